//! # BM25 retrieval
//!
//! Before (or beside) embeddings, RAG pipelines retrieve by keywords, and
//! the standard keyword ranking is Okapi BM25: a document scores high when
//! it contains the query's rare terms, often, relative to its length. Build
//! a BM25 index over a corpus once, then answer many queries from it: the
//! score of every document, and the top `k`.
//!
//! ## Task
//! Implement [`Bm25Index`]: `new`, `len`, `scores` and `search`. The fields
//! of `Bm25Index` are yours to design; it must stay `Debug + Clone`.
//!
//! ## Tokens
//! Documents and queries are split into terms by the given [`tokenize`]
//! (re-exported here): maximal runs of `char::is_alphanumeric` chars,
//! lowercased with `str::to_lowercase`. `"The CAT's hat"` gives
//! `["the", "cat", "s", "hat"]`. No stemming: `cats` is not `cat`.
//!
//! ## The formula
//! For a corpus of `N` documents, where `|d|` is the number of tokens of
//! document `d`, `avgdl` the mean of `|d|` over all documents (empty ones
//! included), `df(t)` the number of documents that contain term `t` and
//! `tf` the number of times `t` occurs in `d`:
//!
//! ```text
//! idf(t)      = ln(1 + (N − df(t) + 0.5) / (df(t) + 0.5))
//! score(q, d) = Σ over the query's tokens t (each occurrence counts)
//!               idf(t) · tf·(k1 + 1) / (tf + k1·(1 − b + b·|d|/avgdl))
//! ```
//!
//! - A term adds 0 to a document that does not contain it: never compute
//!   `0 / 0`, even with `k1 = 0` or for an empty document.
//! - A query that repeats a term counts it each time: `"cat cat"` scores
//!   twice `"cat"`.
//! - When `avgdl == 0` (no document has a token) every score is 0.
//! - Scores must be within 1e-4 relative (or 1e-5 absolute) of the formula
//!   computed in f64.
//!
//! ## Worked example
//! `Bm25Params::default()` is `k1 = 1.2, b = 0.75`. The corpus
//! ```text
//! 0: "the cat sat"              |d| = 3
//! 1: "the dog sat on the log"   |d| = 6
//! 2: "cats and dogs"            |d| = 3        N = 3, avgdl = 12 / 3 = 4
//! ```
//! - `cat` is in 1 document: `idf = ln(1 + 2.5 / 1.5) = ln(8/3) = 0.980829`.
//!   `the` and `sat` are in 2: `idf = ln(1 + 1.5 / 2.5) = ln(1.6) = 0.470004`.
//! - Length factors `k1·(1 − b + b·|d|/avgdl)`: document 0 (and 2)
//!   `1.2 · (0.25 + 0.75 · 3/4) = 0.975`; document 1
//!   `1.2 · (0.25 + 0.75 · 6/4) = 1.65`.
//! - `scores("cat")` = `[0.980829 · 2.2 / (1 + 0.975), 0, 0]`
//!   = `[1.092569, 0.0, 0.0]`.
//! - `scores("the sat")`: document 0 has each term once:
//!   `2 · 0.470004 · 2.2 / 1.975 = 1.047097`; document 1 has `the` twice
//!   and `sat` once: `0.470004 · 2 · 2.2 / (2 + 1.65) + 0.470004 · 2.2 /
//!   (1 + 1.65) = 0.566580 + 0.390192 = 0.956771`; document 2 has neither:
//!   → `[1.047097, 0.956771, 0.0]`.
//! - `scores("cat cat")` = `[2.185139, 0.0, 0.0]`; `scores("CAT?")` is
//!   `scores("cat")`; `scores("cats")` = `[0.0, 0.0, 1.092569]`.
//! - `search("the sat", 10)` → `[Hit { index: 0, score: 1.047097 },
//!   Hit { index: 1, score: 0.956771 }]`: document 2 scores 0 and is not a
//!   hit. `search("the sat", 1)` → only document 0. `search("zebra", 5)` → `[]`.
//! - Ties: over `["a b", "b a", "c"]`, `search("a", 10)` returns documents
//!   0 and 1 with the same score, 0 first.
//!
//! ## `search`
//! The top `k` documents with a score > 0, ordered by score descending,
//! equal scores lower index first. Fewer than `k` hits when fewer documents
//! match; `k = 0` gives `[]`. Its scores are those of `scores`.
//!
//! ## Errors and edge cases
//! - `Err(Bm25Error::InvalidParams)` when `k1 < 0.0` or `k1` is not finite
//!   (NaN, ±infinity), or `b` is outside `[0, 1]` or NaN. `k1 = -0.0`,
//!   `k1 = 0`, `b = 0` and `b = 1` are valid. The parameters are checked
//!   before the documents.
//! - An empty corpus is valid: `len() == 0`, `scores` returns `[]`,
//!   `search` returns `[]`. Empty documents are valid and score 0.
//! - An empty query, or one whose terms appear in no document, scores 0
//!   everywhere and has no hits.
//!
//! ## What a strong answer looks like
//! - An inverted index, built once in `new`: each term maps to its posting
//!   list (the documents that contain it, with the term frequency); document
//!   lengths and IDF are computed at build time too (everything in the
//!   per-document term of the sum is known then).
//! - A query touches only its own terms' postings, O(Σ df) work, instead of
//!   rescanning the corpus: on 20,000 documents of 100 tokens, a
//!   few-term top-10 query takes microseconds, not milliseconds.
//! - `search` selects the top `k` (a bounded heap, or `select_nth_unstable`)
//!   instead of sorting every document.

pub use kata_types::{Bm25Error, Bm25Params, Hit, tokenize};

/// An inverted index over a corpus that scores queries with Okapi BM25.
///
/// Add the fields you need (they are yours to design).
#[derive(Debug, Clone)]
pub struct Bm25Index {}

impl Bm25Index {
    /// Builds the index over `docs` (document `i` is `docs[i]`).
    ///
    /// # Errors
    /// [`Bm25Error::InvalidParams`] for `k1 < 0`, a non-finite `k1`, or `b`
    /// outside `[0, 1]` or NaN.
    pub fn new<S: AsRef<str>>(docs: &[S], params: Bm25Params) -> Result<Bm25Index, Bm25Error> {
        todo!(
            "open exercises/src/bm25.rs: index {} documents with k1 = {}, b = {}",
            docs.len(),
            params.k1,
            params.b
        )
    }

    /// Number of documents.
    pub fn len(&self) -> usize {
        todo!("open exercises/src/bm25.rs: Bm25Index::len")
    }

    /// Whether the index holds no documents.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The BM25 score of every document for `query`, in input order.
    pub fn scores(&self, query: &str) -> Vec<f32> {
        todo!("open exercises/src/bm25.rs: score every document for {query:?}")
    }

    /// The `k` best documents for `query` with a score > 0, best first.
    pub fn search(&self, query: &str, k: usize) -> Vec<Hit> {
        todo!("open exercises/src/bm25.rs: top {k} documents for {query:?}")
    }
}
