//! TFRecord files for the `tfrecord` exercise, and the damage done to them:
//! flipped bits, cut tails, inserted and deleted bytes, zeroed spans.
//!
//! [`damage`] applies [`Mutation`]s while tracking where each original byte
//! went, so a test knows which records came through intact.

use kata_types::write_record;
use proptest::prelude::*;
use rand::{Rng, RngExt};

/// A file holding `records`, in order.
///
/// ```
/// let file = kata::generate::records::file_of(&[b"ab".to_vec(), vec![]]);
/// assert_eq!(file.len(), 18 + 16);
/// ```
pub fn file_of<R: AsRef<[u8]>>(records: &[R]) -> Vec<u8> {
    let mut file = Vec::new();
    for record in records {
        write_record(&mut file, record.as_ref());
    }
    file
}

/// `count` records of random bytes with lengths in `lengths`.
pub fn random_records(
    rng: &mut impl Rng,
    count: usize,
    lengths: std::ops::RangeInclusive<usize>,
) -> Vec<Vec<u8>> {
    (0..count)
        .map(|_| {
            let length = rng.random_range(lengths.clone());
            let mut data = vec![0; length];
            rng.fill_bytes(&mut data);
            data
        })
        .collect()
}

/// One way a file gets damaged. Positions are taken modulo the file's
/// length at the time the mutation applies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mutation {
    /// Flip bit `bit % 8` of the byte at `at`.
    FlipBit {
        /// Position of the byte.
        at: usize,
        /// Which bit (modulo 8).
        bit: u8,
    },
    /// Keep only the first `keep` bytes (modulo length + 1).
    CutTail {
        /// Bytes kept.
        keep: usize,
    },
    /// Insert `bytes` before position `at` (modulo length + 1).
    Insert {
        /// Where the bytes go.
        at: usize,
        /// The bytes inserted.
        bytes: Vec<u8>,
    },
    /// Delete `len` bytes from `at`.
    Delete {
        /// First byte deleted.
        at: usize,
        /// Bytes deleted (fewer at the end of the file).
        len: usize,
    },
    /// Overwrite `len` bytes from `at` with zeros.
    Zero {
        /// First byte zeroed.
        at: usize,
        /// Bytes zeroed (fewer at the end of the file).
        len: usize,
    },
}

/// A file after damage: its bytes, and for each byte the original position
/// it holds intact (`None` for a changed or inserted byte).
#[derive(Debug, Clone)]
pub struct Damaged {
    /// The damaged file.
    pub bytes: Vec<u8>,
    /// `origin[i]`: the original offset byte `i` came from, if untouched.
    pub origin: Vec<Option<usize>>,
}

/// Applies `mutations` in order to `file`.
///
/// ```
/// use kata::generate::records::{Mutation, damage};
/// let damaged = damage(&[1, 2, 3], &[Mutation::Delete { at: 0, len: 1 }, Mutation::FlipBit { at: 1, bit: 0 }]);
/// assert_eq!(damaged.bytes, [2, 2]);
/// assert_eq!(damaged.origin, [Some(1), None]);
/// ```
pub fn damage(file: &[u8], mutations: &[Mutation]) -> Damaged {
    let mut bytes: Vec<(u8, Option<usize>)> = file.iter().enumerate().map(|(i, &b)| (b, Some(i))).collect();
    for mutation in mutations {
        let len = bytes.len();
        match mutation {
            Mutation::FlipBit { at, bit } if len > 0 => {
                bytes[at % len] = (bytes[at % len].0 ^ (1 << (bit % 8)), None)
            }
            Mutation::CutTail { keep } => bytes.truncate(keep % (len + 1)),
            Mutation::Insert { at, bytes: inserted } => {
                let at = at % (len + 1);
                bytes.splice(at..at, inserted.iter().map(|&b| (b, None)));
            }
            Mutation::Delete { at, len: count } if len > 0 => {
                let at = at % len;
                bytes.drain(at..(at + count).min(len));
            }
            Mutation::Zero { at, len: count } if len > 0 => {
                let at = at % len;
                for byte in &mut bytes[at..(at + count).min(len)] {
                    *byte = (0, None);
                }
            }
            _ => {}
        }
    }
    Damaged {
        bytes: bytes.iter().map(|&(b, _)| b).collect(),
        origin: bytes.iter().map(|&(_, o)| o).collect(),
    }
}

impl Damaged {
    /// Where each record of the original file (records of `lengths`, laid
    /// out from offset 0) sits intact in the damaged file: its offset, or
    /// `None` if any of its bytes changed, went missing or was split.
    pub fn intact_records(&self, lengths: &[usize]) -> Vec<Option<usize>> {
        let mut start_of = std::collections::HashMap::new();
        for (position, origin) in self.origin.iter().enumerate() {
            if let Some(origin) = origin {
                start_of.insert(*origin, position);
            }
        }
        let mut original = 0;
        lengths
            .iter()
            .map(|&length| {
                let span = 16 + length;
                let here = start_of.get(&original).copied().filter(|&position| {
                    (0..span).all(|k| self.origin.get(position + k) == Some(&Some(original + k)))
                });
                original += span;
                here
            })
            .collect()
    }
}

/// One random [`Mutation`].
pub fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(at, bit)| Mutation::FlipBit { at, bit }),
        any::<usize>().prop_map(|keep| Mutation::CutTail { keep }),
        (any::<usize>(), prop::collection::vec(any::<u8>(), 1..20))
            .prop_map(|(at, bytes)| Mutation::Insert { at, bytes }),
        (any::<usize>(), 1..30_usize).prop_map(|(at, len)| Mutation::Delete { at, len }),
        (any::<usize>(), 1..40_usize).prop_map(|(at, len)| Mutation::Zero { at, len }),
    ]
}

/// A few records of up to `max_len` bytes (some empty), and up to
/// `max_mutations` mutations to apply to their file.
pub fn damaged_file(
    max_records: usize,
    max_len: usize,
    max_mutations: usize,
) -> impl Strategy<Value = (Vec<Vec<u8>>, Vec<Mutation>)> {
    (
        prop::collection::vec(prop::collection::vec(any::<u8>(), 0..=max_len), 0..=max_records),
        prop::collection::vec(mutation(), 0..=max_mutations),
    )
}

/// A [`std::io::Read`] over bytes in memory that returns at most
/// `sizes[i % sizes.len()]` bytes on its `i`-th call, as a pipe or a socket
/// may: the way to test a reader that assumes `read` fills its buffer.
///
/// ```
/// use std::io::Read;
/// let mut reader = kata::generate::records::ChunkedReader::new(vec![1, 2, 3], vec![1]);
/// let mut buffer = [0; 8];
/// assert_eq!(reader.read(&mut buffer).unwrap(), 1);
/// ```
#[derive(Debug, Clone)]
pub struct ChunkedReader {
    bytes: Vec<u8>,
    position: usize,
    sizes: Vec<usize>,
    calls: usize,
}

impl ChunkedReader {
    /// A reader of `bytes` whose calls return at most the given sizes, in
    /// turn (a size of 0 is read as 1: 0 would mean the end).
    pub fn new(bytes: Vec<u8>, sizes: Vec<usize>) -> Self {
        let sizes = if sizes.is_empty() { vec![1] } else { sizes.into_iter().map(|s| s.max(1)).collect() };
        ChunkedReader { bytes, position: 0, sizes, calls: 0 }
    }
}

impl std::io::Read for ChunkedReader {
    fn read(&mut self, buffer: &mut [u8]) -> std::io::Result<usize> {
        let size = self.sizes[self.calls % self.sizes.len()];
        self.calls += 1;
        let count = size.min(buffer.len()).min(self.bytes.len() - self.position);
        buffer[..count].copy_from_slice(&self.bytes[self.position..self.position + count]);
        self.position += count;
        Ok(count)
    }
}
