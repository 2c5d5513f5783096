//! # Consistent hashing
//!
//! A cache or a sharded index spreads keys over nodes. `hash(key) % n`
//! reshuffles almost every key when `n` changes; consistent hashing moves
//! only the keys that must move. Build both classic schemes.
//!
//! ## Task 1: [`jump_hash`]
//! Lamping and Veach's "jump consistent hash" (2014), bit for bit as in
//! their paper, with a 64-bit bucket count:
//!
//! ```text
//! b = -1, j = 0                                   (64-bit signed)
//! while j < buckets:
//!     b = j
//!     key = key * 2862933555777941757 + 1          (u64, wrapping)
//!     j = (b + 1) * (2^31 / ((key >> 33) + 1))     (in f64, in that order, then truncated)
//! return b
//! ```
//! Errors: `buckets == 0` → `Err(HashError::ZeroBuckets)`.
//!
//! ## Task 2: [`HashRing`]
//! A ring of named nodes. Node `n` owns the `replicas` points
//! `ring_hash(format!("{n}#{i}").as_bytes())` for `i` in `0..replicas`
//! ([`ring_hash`] is given: FNV-1a 64, then the fmix64 finalizer). A key
//! goes to the owner of the first point at or after `ring_hash(key)`,
//! wrapping past the largest point to the smallest. Points of different
//! nodes that collide (the same position) go to the node whose name sorts
//! first (`str` order).
//! - `new(replicas)`: `replicas == 0` → `Err(HashError::ZeroReplicas)`.
//! - `add(node)`: `false` (and no change) if the node is already there.
//! - `remove(node)`: `false` if it is not there; otherwise every one of its
//!   points goes.
//! - `node_for(key)`: `None` on an empty ring.
//! - `len()`: the number of nodes; `is_empty()`.
//!
//! Adding a node moves only the keys that now belong to it; removing one
//! moves only its keys. That is what makes it consistent.
//!
//! ## Examples
//! ```text
//! jump_hash(0, n)       → Ok(0) for 1 ≤ n ≤ 2^31  (key becomes 1, r = 0, so j = 1 · 2^31)
//! jump_hash(k, 1)       → Ok(0) for every key k   (the first jump lands at 1 or beyond)
//! jump_hash(1, 10)      → Ok(6)    jump_hash(42, 10) → Ok(2)    jump_hash(12345, 10) → Ok(1)
//! jump_hash(10863919174838991, 11) → Ok(6)        (a published value)
//! jump_hash(7, 0)       → Err(ZeroBuckets)
//!
//! ring = HashRing::new(1)        // one point per node
//! ring.add("a")                  // point ring_hash(b"a#0")
//! ring.node_for(b"any key")      → Some("a")      (a single node owns the whole ring)
//! ring.add("a")                  → false
//! ring.remove("b")               → false
//! ring.remove("a")               → true; node_for(b"any key") → None
//! ```
//!
//! ## What a strong answer looks like
//! `jump_hash`: O(ln buckets) steps, no memory; watch the arithmetic, an
//! integer version of the jump gives different buckets. The ring: keep the
//! points sorted in one array (with their owners) and find a key's point by
//! binary search, O(log points), not a scan of every point; a `BTreeMap`
//! works but walks more memory per lookup. The fastest lookups add a small
//! index from a hash's top bits into the sorted array. `add` and `remove`
//! may take O(points).

pub use kata_types::{HashError, ring_hash};

/// The bucket of `key` among `buckets`, by jump consistent hash.
///
/// See the module documentation for the exact algorithm.
pub fn jump_hash(key: u64, buckets: u32) -> Result<u32, HashError> {
    todo!("open exercises/src/hash_ring.rs: the jump hash of {key} into {buckets} buckets")
}

/// A consistent-hash ring of named nodes.
///
/// Choose your own fields.
#[derive(Debug, Clone)]
pub struct HashRing {
    // Delete this field and add your own: it only makes the stub compile.
    _fields: (),
}

impl HashRing {
    /// An empty ring whose nodes will own `replicas` points each.
    pub fn new(replicas: u32) -> Result<HashRing, HashError> {
        todo!("open exercises/src/hash_ring.rs: a ring with {replicas} replicas per node")
    }

    /// Adds `node`; `false` if it is already on the ring.
    pub fn add(&mut self, node: &str) -> bool {
        todo!("open exercises/src/hash_ring.rs: add {node:?} to {self:?}")
    }

    /// Removes `node` and all its points; `false` if it was not on the ring.
    pub fn remove(&mut self, node: &str) -> bool {
        todo!("open exercises/src/hash_ring.rs: remove {node:?} from {self:?}")
    }

    /// The node owning `key`, or `None` on an empty ring.
    pub fn node_for(&self, key: &[u8]) -> Option<&str> {
        todo!("open exercises/src/hash_ring.rs: the node of a {}-byte key in {self:?}", key.len())
    }

    /// How many nodes are on the ring.
    pub fn len(&self) -> usize {
        todo!("open exercises/src/hash_ring.rs: the number of nodes of {self:?}")
    }

    /// Whether the ring has no nodes.
    pub fn is_empty(&self) -> bool {
        todo!("open exercises/src/hash_ring.rs: whether {self:?} has no nodes")
    }
}
