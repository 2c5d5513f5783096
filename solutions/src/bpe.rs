//! # Byte-level BPE: incremental training, heap-driven encoding
//!
//! Ids `0..=255` are the bytes; merge `i` makes id `256 + i`. Text is cut
//! into pieces (maximal runs of whitespace or of other chars); no token
//! crosses a piece, so both training and encoding work piece by piece.
//!
//! **Training** counts each distinct piece once, with its frequency, and
//! keeps three structures up to date instead of recounting the corpus after
//! every merge: the weighted count of every pair, the list of pieces each
//! pair occurs in, and a max-heap of `(count, pair)`. A merge rewrites only
//! the pieces on its pair's list (uncounting their old pairs, counting the
//! new ones), so its cost is the size of those pieces, not of the corpus.
//! The heap is lazy: a pair's count only falls after it is queued (new
//! pairs contain the new id and are queued once the merge is done), so a
//! popped entry whose count is still current is the best pair, ties going
//! to the smallest pair through the heap's order; a stale entry is queued
//! again with its current count.
//!
//! **Encoding** looks pairs up in two tables: a dense 256 × 256 array for
//! pairs of bytes (every first merge of a piece) and a hash map for the
//! rest, both giving the lowest merge index of a pair. A piece of up to 48
//! bytes is merged by scanning an array of pair ranks for the lowest
//! (leftmost on a tie) and recomputing the two ranks beside each merge:
//! cache-resident and branch-light. A longer piece uses a linked list of
//! symbols and a min-heap of `(rank, position)`, O(n log n), so no input
//! can make encoding quadratic. Merging the lowest rank first is the same
//! as applying the merges in order, because a merge can only create pairs
//! containing its own id, whose merges come later. Text repeats its words:
//! each call keeps a cache from a piece's bytes to where its ids were first
//! written, and copies them for every later occurrence.
//!
//! **Decoding** copies each id's bytes from one flat table (built once),
//! O(output). Merges can double a token's length at each step, so when
//! that table would pass 64 MiB the bytes are expanded from the merge tree
//! instead, still O(output), and building never runs out of memory.
//!
//! ```
//! use solutions::bpe::{Bpe, BpeError};
//!
//! let bpe = Bpe::train(&["aaabdaaabac"], 259).unwrap();
//! assert_eq!(bpe.merges(), [(97, 97), (97, 98), (256, 257)]);
//! let ids = bpe.encode("aaab aaa");
//! assert_eq!(ids, [258, 32, 256, 97]);
//! assert_eq!(bpe.decode(&ids).unwrap(), b"aaab aaa");
//! assert_eq!(bpe.decode(&[259]), Err(BpeError::UnknownToken { id: 259 }));
//! ```

pub use kata_types::BpeError;

mod encode;
mod hash;
mod pieces;
mod train;

use hash::FastMap;

/// The first id a merge makes.
const FIRST_MERGE_ID: u32 = 256;

/// The flat byte table is built only up to this size (64 MiB).
const MAX_FLAT_BYTES: u64 = 1 << 26;

/// Pieces cached per `encode` call, at most: bounds the cache on text with
/// no repeated word.
const MAX_CACHED_PIECES: usize = 1 << 16;

/// Pieces longer than this are not cached: they rarely repeat.
const MAX_CACHED_PIECE_LEN: usize = 64;

/// A byte-level BPE tokenizer: the 256 byte ids, then one id per merge.
#[derive(Debug, Clone)]
pub struct Bpe {
    merges: Vec<(u32, u32)>,
    ranks: Ranks,
    bytes: TokenBytes,
}

impl Bpe {
    /// Trains a tokenizer on `corpus` until `vocab_size` ids exist or no
    /// pair occurs twice (overlapping pairs count; ties go to the smallest
    /// pair; each merge replaces its pair left to right).
    ///
    /// ```
    /// use solutions::bpe::{Bpe, BpeError};
    /// assert_eq!(Bpe::train(&["aaa"], 300).unwrap().merges(), [(97, 97)]);
    /// assert_eq!(Bpe::train(&["ba ab ba ab"], 258).unwrap().merges(), [(97, 98), (98, 97)]);
    /// assert_eq!(Bpe::train(&["a a a"], 300).unwrap().merges(), []);
    /// assert_eq!(Bpe::train(&["abc"], 255).unwrap_err(), BpeError::VocabTooSmall { vocab_size: 255 });
    /// ```
    pub fn train(corpus: &[&str], vocab_size: usize) -> Result<Bpe, BpeError> {
        let Some(max_merges) = vocab_size.checked_sub(FIRST_MERGE_ID as usize) else {
            return Err(BpeError::VocabTooSmall { vocab_size });
        };
        Ok(Bpe::build(train::train(corpus, max_merges)))
    }

    /// A tokenizer with the given merges. Merge `i` may name only ids below
    /// `256 + i`; the first that names another is `InvalidMerge`. A repeated
    /// pair is accepted: encoding uses its lower index.
    ///
    /// ```
    /// use solutions::bpe::{Bpe, BpeError};
    /// assert!(Bpe::from_merges(&[(97, 98), (256, 99)]).is_ok());
    /// assert_eq!(Bpe::from_merges(&[(97, 98), (258, 99)]).unwrap_err(), BpeError::InvalidMerge { index: 1 });
    /// ```
    pub fn from_merges(merges: &[(u32, u32)]) -> Result<Bpe, BpeError> {
        for (index, &(left, right)) in merges.iter().enumerate() {
            let defined = FIRST_MERGE_ID as u64 + index as u64;
            if u64::from(left) >= defined || u64::from(right) >= defined || defined >= u64::from(u32::MAX) {
                return Err(BpeError::InvalidMerge { index });
            }
        }
        Ok(Bpe::build(merges.to_vec()))
    }

    /// The merges, in order: merge `i` makes the id `256 + i`.
    pub fn merges(&self) -> &[(u32, u32)] {
        &self.merges
    }

    /// The ids of `text`, piece by piece, lowest merge index first.
    ///
    /// ```
    /// use solutions::bpe::Bpe;
    /// let bpe = Bpe::from_merges(&[(97, 97)]).unwrap();
    /// assert_eq!(bpe.encode("aaa a"), [256, 97, 32, 97]);
    /// ```
    pub fn encode(&self, text: &str) -> Vec<u32> {
        let mut out = Vec::with_capacity(text.len() / 4 + 1);
        let mut workspace = encode::Workspace::default();
        // Where a piece's ids were first written in `out`.
        let mut cache: FastMap<&[u8], (u32, u32)> = FastMap::default();
        for piece in pieces::pieces(text).map(str::as_bytes) {
            if piece.len() == 1 {
                out.push(u32::from(piece[0]));
                continue;
            }
            if piece.len() > MAX_CACHED_PIECE_LEN || out.len() > u32::MAX as usize {
                workspace.encode_piece(&self.ranks, piece, &mut out);
                continue;
            }
            if let Some(&(start, len)) = cache.get(piece) {
                let start = start as usize;
                out.extend_from_within(start..start + len as usize);
                continue;
            }
            let start = out.len();
            workspace.encode_piece(&self.ranks, piece, &mut out);
            if cache.len() < MAX_CACHED_PIECES {
                cache.insert(piece, (start as u32, (out.len() - start) as u32));
            }
        }
        out
    }

    /// The bytes of `ids`, or the first id that is not in the vocabulary.
    ///
    /// ```
    /// use solutions::bpe::{Bpe, BpeError};
    /// let bpe = Bpe::from_merges(&[(104, 105)]).unwrap();
    /// assert_eq!(bpe.decode(&[256, 33]).unwrap(), b"hi!");
    /// assert_eq!(bpe.decode(&[104, 257, 1000]), Err(BpeError::UnknownToken { id: 257 }));
    /// ```
    pub fn decode(&self, ids: &[u32]) -> Result<Vec<u8>, BpeError> {
        let vocab_size = FIRST_MERGE_ID as usize + self.merges.len();
        if let Some(&id) = ids.iter().find(|&&id| id as usize >= vocab_size) {
            return Err(BpeError::UnknownToken { id });
        }
        let mut out = Vec::new();
        match &self.bytes {
            TokenBytes::Flat { bytes, starts } => {
                let total: usize =
                    ids.iter().map(|&id| (starts[id as usize + 1] - starts[id as usize]) as usize).sum();
                out.reserve_exact(total);
                for &id in ids {
                    out.extend_from_slice(
                        &bytes[starts[id as usize] as usize..starts[id as usize + 1] as usize],
                    );
                }
            }
            TokenBytes::Tree => {
                let mut stack = Vec::new();
                for &id in ids {
                    self.expand(id, &mut stack, &mut out);
                }
            }
        }
        Ok(out)
    }

    /// Tokenizer over valid merges: the rank tables and the byte table.
    fn build(merges: Vec<(u32, u32)>) -> Bpe {
        let ranks = Ranks::new(&merges);
        let bytes = TokenBytes::new(&merges);
        Bpe { merges, ranks, bytes }
    }

    /// Appends the bytes of `id` by walking its merge tree, leftmost leaf first.
    fn expand(&self, id: u32, stack: &mut Vec<u32>, out: &mut Vec<u8>) {
        stack.push(id);
        while let Some(id) = stack.pop() {
            match id.checked_sub(FIRST_MERGE_ID) {
                None => out.push(id as u8),
                Some(merge) => {
                    let (left, right) = self.merges[merge as usize];
                    stack.push(right);
                    stack.push(left);
                }
            }
        }
    }
}

/// The lowest merge index of each pair: dense for two bytes, hashed otherwise.
#[derive(Debug, Clone)]
struct Ranks {
    /// `bytes[left * 256 + right]`, `u32::MAX` for no merge.
    bytes: Vec<u32>,
    /// Pairs with at least one merged id, packed with [`pair_key`].
    merged: FastMap<u64, u32>,
}

impl Ranks {
    fn new(merges: &[(u32, u32)]) -> Ranks {
        let mut bytes = vec![u32::MAX; 256 * 256];
        let mut merged = FastMap::default();
        for (rank, &(left, right)) in merges.iter().enumerate().rev() {
            let rank = rank as u32;
            if left < 256 && right < 256 {
                bytes[(left * 256 + right) as usize] = rank;
            } else {
                merged.insert(pair_key(left, right), rank);
            }
        }
        Ranks { bytes, merged }
    }

    /// The rank of a pair of bytes, `u32::MAX` if it does not merge.
    fn byte_pair(&self, left: u8, right: u8) -> u32 {
        self.bytes[usize::from(left) * 256 + usize::from(right)]
    }

    /// The rank of any pair of ids, `u32::MAX` if it does not merge.
    fn get(&self, left: u32, right: u32) -> u32 {
        if (left | right) < 256 {
            self.bytes[(left * 256 + right) as usize]
        } else {
            self.merged.get(&pair_key(left, right)).copied().unwrap_or(u32::MAX)
        }
    }

    /// The id a merge of this rank makes.
    fn id_of(rank: u32) -> u32 {
        FIRST_MERGE_ID + rank
    }
}

/// How `decode` finds the bytes of an id.
#[derive(Debug, Clone)]
enum TokenBytes {
    /// Every token's bytes, one after another: id `i` is `bytes[starts[i]..starts[i + 1]]`.
    Flat { bytes: Vec<u8>, starts: Vec<u32> },
    /// Too many bytes to store: expand each id from the merges.
    Tree,
}

impl TokenBytes {
    fn new(merges: &[(u32, u32)]) -> TokenBytes {
        let mut lengths: Vec<u64> = vec![1; FIRST_MERGE_ID as usize];
        let mut total = u64::from(FIRST_MERGE_ID);
        for &(left, right) in merges {
            let length = lengths[left as usize].saturating_add(lengths[right as usize]);
            lengths.push(length);
            total = total.saturating_add(length);
        }
        if total > MAX_FLAT_BYTES {
            return TokenBytes::Tree;
        }
        let mut bytes: Vec<u8> = (0..=255).collect();
        let mut starts: Vec<u32> = (0..=FIRST_MERGE_ID).collect();
        for &(left, right) in merges {
            for id in [left, right] {
                let (start, end) = (starts[id as usize] as usize, starts[id as usize + 1] as usize);
                bytes.extend_from_within(start..end);
            }
            starts.push(bytes.len() as u32);
        }
        TokenBytes::Flat { bytes, starts }
    }
}

/// A pair of ids packed in a `u64`: ordering the keys orders the pairs.
fn pair_key(left: u32, right: u32) -> u64 {
    (u64::from(left) << 32) | u64::from(right)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_pieces_take_the_heap_and_agree_with_the_short_path() {
        let bpe = Bpe::train(&["abababab abcabc aaaa aaab"], 280).expect("valid merges");
        let long = "abcab".repeat(40) + &"a".repeat(101);
        let mut heap_path = Vec::new();
        encode::Workspace::default().encode_piece(&bpe.ranks, long.as_bytes(), &mut heap_path);
        // Short pieces one at a time join into the same ids only where no
        // merge crosses the joint, so compare against a sequential oracle.
        let mut word: Vec<u32> = long.bytes().map(u32::from).collect();
        for (rank, &(left, right)) in bpe.merges().iter().enumerate() {
            train::replace_pair(&mut word, left, right, FIRST_MERGE_ID + rank as u32);
        }
        assert_eq!(heap_path, word);
        assert!(long.len() > 48);
    }

    #[test]
    fn doubling_merges_decode_from_the_tree() {
        let merges: Vec<(u32, u32)> =
            (0..40).map(|i| if i == 0 { (97, 97) } else { (255 + i, 255 + i) }).collect();
        let bpe = Bpe::from_merges(&merges).expect("valid merges");
        assert!(matches!(bpe.bytes, TokenBytes::Tree));
        assert_eq!(bpe.decode(&[258, 97]).expect("valid merges"), b"aaaaaaaaa");
        assert_eq!(bpe.encode("aaaaaaaaa"), [258, 97]);
    }

    #[test]
    fn repeated_merges_use_the_lower_index() {
        let bpe = Bpe::from_merges(&[(97, 98), (97, 98)]).expect("valid merges");
        assert_eq!(bpe.encode("ab"), [256]);
        assert_eq!(bpe.decode(&[257]).expect("valid merges"), b"ab");
    }
}
