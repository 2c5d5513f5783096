//! Types of the `hash_ring` exercise: its error and the ring's hash function.

use thiserror::Error;

/// Why a consistent hash has no answer.
///
/// ```
/// use kata_types::HashError;
/// assert_eq!(HashError::ZeroBuckets.to_string(), "there must be at least one bucket");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum HashError {
    /// `jump_hash` was asked for one of zero buckets.
    #[error("there must be at least one bucket")]
    ZeroBuckets,
    /// A ring whose nodes own no points could place no key.
    #[error("a ring needs at least one replica point per node")]
    ZeroReplicas,
}

/// FNV-1a 64 offset basis.
const FNV_OFFSET_BASIS: u64 = 0xcbf2_9ce4_8422_2325;
/// FNV-1a 64 prime.
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

/// The position of `bytes` on the hash ring: FNV-1a 64 over the bytes, then
/// the fmix64 finalizer of MurmurHash3, all arithmetic wrapping.
///
/// FNV-1a is fast on short names but leaves its last bytes weakly mixed;
/// fmix64 is a bijection that spreads every input bit over the whole word,
/// so the replica points of one node scatter evenly around the ring.
///
/// ```
/// use kata_types::ring_hash;
/// // FNV-1a of no bytes is the offset basis; the finalizer then mixes it.
/// let mut x: u64 = 0xcbf29ce484222325;
/// x ^= x >> 33;
/// x = x.wrapping_mul(0xff51afd7ed558ccd);
/// x ^= x >> 33;
/// x = x.wrapping_mul(0xc4ceb9fe1a85ec53);
/// x ^= x >> 33;
/// assert_eq!(ring_hash(b""), x);
/// assert_ne!(ring_hash(b"node#0"), ring_hash(b"node#1"));
/// ```
pub fn ring_hash(bytes: &[u8]) -> u64 {
    let fnv =
        bytes.iter().fold(FNV_OFFSET_BASIS, |hash, &byte| (hash ^ u64::from(byte)).wrapping_mul(FNV_PRIME));
    fmix64(fnv)
}

/// MurmurHash3's 64-bit finalizer.
fn fmix64(mut x: u64) -> u64 {
    x ^= x >> 33;
    x = x.wrapping_mul(0xff51_afd7_ed55_8ccd);
    x ^= x >> 33;
    x = x.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    x ^= x >> 33;
    x
}
