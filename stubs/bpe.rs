//! # A byte-level BPE tokenizer
//!
//! GPT-style models read token ids, not text. Byte-pair encoding (BPE)
//! builds the vocabulary: start from the 256 bytes, and merge the most
//! frequent adjacent pair of tokens into a new token, again and again. Train
//! one, then use its merges to encode text and decode ids back to bytes.
//!
//! ## Task
//! Implement [`Bpe`]: [`Bpe::train`], [`Bpe::from_merges`], [`Bpe::encode`]
//! and [`Bpe::decode`] ([`Bpe::merges`] is written for you; keep the
//! `merges` field or change it as your design needs).
//!
//! ## The vocabulary
//! - Ids `0..=255` are the 256 bytes, always, in byte order.
//! - Merge `i` (counted from 0) is a pair `(left, right)` of ids; it makes the
//!   id `256 + i`, whose bytes are the bytes of `left` followed by those of
//!   `right`. A tokenizer with `m` merges has the ids `0..256 + m`.
//! - Text is cut into **pieces**, each a maximal run of whitespace chars or
//!   a maximal run of non-whitespace chars (`char::is_whitespace`). No token
//!   ever crosses a piece: `"hi  you"` is the pieces `"hi"`, `"  "`, `"you"`.
//!
//! ## Training: `train(corpus, vocab_size)`
//! 1. Cut every text of the corpus into pieces; each piece starts as its
//!    bytes. Equal pieces may be counted once, weighted by how often they occur.
//! 2. Count every adjacent pair of tokens inside every piece. Pairs overlap:
//!    `"aaa"` holds `(a, a)` **twice**.
//! 3. Take the most frequent pair; on a tie, the smallest `(left, right)`
//!    (compare `left`, then `right`). Stop if its count is below 2 (no pair
//!    occurs twice).
//! 4. Record it as the next merge, and in every piece replace its
//!    occurrences by the new id, **left to right**: `(a, a)` in `"aaa"`
//!    gives `[aa, a]`, and in `"aaaa"` gives `[aa, aa]`.
//! 5. Repeat from step 2 until `vocab_size` ids exist (`256` + merges).
//!
//! ## Encoding: `encode(text)`
//! In each piece, start from its bytes and repeatedly merge the adjacent
//! pair with the **lowest merge index**; if that pair occurs several times,
//! the leftmost first. Stop when no adjacent pair is a merge. (A pair listed
//! twice counts with its lower index.) The ids of all pieces, in order, are
//! the answer, and `decode(encode(t)) == t.as_bytes()` for every `t`.
//!
//! ## Decoding: `decode(ids)`
//! The bytes of each id, concatenated. Tokens may split a multi-byte char,
//! so the result is bytes, not a `String`.
//!
//! ## Examples
//! ```text
//! train(["aaabdaaabac"], 259)
//!   pairs: (a,a) ×4, (a,b) ×2, the rest once  → merge 0 = (97, 97) "aa" = id 256
//!   pieces: [aa a b d aa a b a c]: (aa,a) ×2 and (a,b) ×2 tie → the smaller,
//!           (97, 98) "ab" = id 257
//!   pieces: [aa ab d aa ab a c]: (aa,ab) ×2 → merge 2 = (256, 257) "aaab" = id 258
//!   259 ids exist: merges() == [(97, 97), (97, 98), (256, 257)]
//!
//! with those merges:
//!   encode("aaab aaa") == [258, 32, 256, 97]
//!       "aaab" → [aa a b] → [aa ab] → [aaab];  " " → [32];  "aaa" → [aa a]
//!   decode(&[258, 32, 256, 97]) == Ok(b"aaab aaa")
//!   decode(&[104, 105]) == Ok(b"hi")
//!   decode(&[259]) == Err(UnknownToken { id: 259 })
//!
//! train(["aaa"], 300)         → merges [(97, 97)]: (a,a) counts twice; then
//!                               [aa a] has no pair twice, so training stops
//! train(["ba ab ba ab"], 258) → merges [(97, 98), (98, 97)]: both count 2,
//!                               the smaller pair first
//! train(["a a a"], 300)       → no merges: no piece holds two tokens
//! train(["abc"], 255)         → Err(VocabTooSmall { vocab_size: 255 })
//! from_merges(&[(97, 98), (256, 99)]) → Ok: "ab" = 256, "abc" = 257
//! from_merges(&[(97, 98), (258, 99)]) → Err(InvalidMerge { index: 1 })
//! ```
//!
//! ## Edge cases and errors
//! - `train` with `vocab_size < 256` → `Err(VocabTooSmall { vocab_size })`,
//!   whatever the corpus. `vocab_size == 256`, an empty corpus, or a corpus
//!   where no pair occurs twice → `Ok` with no merges.
//! - `from_merges`: merge `i` may name only ids below `256 + i` (bytes and
//!   earlier merges); the first merge that names another id →
//!   `Err(InvalidMerge { index: i })`. A repeated pair is accepted (its
//!   later copy still makes an id, which `encode` never produces).
//! - `decode`: the first id (in order) outside `0..256 + merges` →
//!   `Err(UnknownToken { id })`. Never panic on any `u32`.
//! - `encode("")` is empty; any text, including every Unicode whitespace
//!   char and multi-byte chars, must round-trip through `decode`.
//!
//! ## What a strong answer looks like
//! - **Training**: do not recount every pair after every merge (O(merges ×
//!   corpus)). Count each distinct piece once with its frequency, keep the
//!   pair counts and, per pair, the pieces it occurs in; after a merge update
//!   only the pieces that held the pair, and find the next best pair with a
//!   priority queue (stale entries skipped when popped).
//! - **Encoding**: a hash map from pair to merge index; per piece, a linked
//!   list of symbols and a min-heap of (merge index, position): O(n log n)
//!   for a piece of n bytes, never a scan of the merge list per merge
//!   (O(merges × n)). Text repeats its words: a cache of pieces already
//!   encoded pays.
//! - **Decoding**: O(output bytes). Precomputing every id's bytes is the
//!   fast way, but `from_merges` may be given merges that double a token's
//!   length each time (`(97, 97), (256, 256), (257, 257), ...`): building
//!   must not try to store 2⁶² bytes.
//! - **Memory**: training holds the distinct pieces and their pair counts
//!   (not the corpus twice); encoding holds O(n) for a text of n bytes.

pub use kata_types::BpeError;

/// A byte-level BPE tokenizer: the 256 byte ids, then one id per merge.
#[derive(Debug, Clone)]
pub struct Bpe {
    /// The merges, in order: merge `i` makes the id `256 + i`.
    merges: Vec<(u32, u32)>,
}

impl Bpe {
    /// Trains a tokenizer on `corpus` until `vocab_size` ids exist or no
    /// pair occurs twice. See the module documentation for the rules.
    pub fn train(corpus: &[&str], vocab_size: usize) -> Result<Bpe, BpeError> {
        todo!("open exercises/src/bpe.rs: train {} ids on {} texts", vocab_size, corpus.len())
    }

    /// A tokenizer with the given merges, checked in order.
    pub fn from_merges(merges: &[(u32, u32)]) -> Result<Bpe, BpeError> {
        todo!("open exercises/src/bpe.rs: check and index {} merges", merges.len())
    }

    /// The merges, in order: merge `i` makes the id `256 + i`.
    pub fn merges(&self) -> &[(u32, u32)] {
        &self.merges
    }

    /// The ids of `text`, piece by piece, lowest merge index first.
    pub fn encode(&self, text: &str) -> Vec<u32> {
        todo!("open exercises/src/bpe.rs: encode {} bytes with {} merges", text.len(), self.merges.len())
    }

    /// The bytes of `ids`, or the first id that is not in the vocabulary.
    pub fn decode(&self, ids: &[u32]) -> Result<Vec<u8>, BpeError> {
        todo!("open exercises/src/bpe.rs: decode {} ids with {} merges", ids.len(), self.merges.len())
    }
}
