//! # Top-k embedding search
//!
//! The retrieval step of every RAG pipeline: given a query embedding and a
//! matrix of item embeddings (one item per row), return the `k` items most
//! similar to the query by cosine similarity, best first. Build it twice:
//! a one-shot function, and an index that does the per-item work once and
//! then answers many queries, alone or in batches.
//!
//! ## Task
//! Implement [`top_k`] and [`FlatIndex`] (`new`, `len`, `dim`, `search`,
//! `search_batch`). The fields of `FlatIndex` are yours to design; it must
//! stay `Debug + Clone`.
//!
//! ## Semantics
//! - Score = cosine similarity of the query with each row; a row of zeros
//!   scores `0.0`.
//! - Return `min(k, n)` hits, ordered by their reported score, descending.
//!   Hits with bit-identical scores go lower index first.
//! - Scores must be within 1e-5 of the exact value. At the cut, any item
//!   whose exact score is within that tolerance of the k-th best may be
//!   picked.
//!
//! ## Examples
//! ```text
//! items = [[1, 0],      query = [1, 0], k = 2
//!          [0, 1],      → [Hit { index: 0, score: 1.0 },
//!          [1, 1],         Hit { index: 2, score: 0.70710677 }]
//!          [-1, 0]]
//! same items, query = [0, 1], k = 10 → 4 hits: 1 (1.0), 2 (0.7071), then
//!          0 and 3 (both 0.0: lower index first)
//! k = 0 → []
//! ```
//!
//! ## Errors, checked in this order
//! 1. `query.len() != items.ncols()` →
//!    `Err(DimensionMismatch { expected: items.ncols(), found: query.len() })`
//! 2. zero columns → `Err(Empty)`
//! 3. a NaN or ±infinity anywhere, in the query or the items → `Err(NonFinite)`
//! 4. a query of zeros → `Err(ZeroNorm)`
//!
//! Only after those checks do `n == 0` or `k == 0` give `Ok(vec![])`.
//! `FlatIndex::new` rejects zero columns (`Empty`) and NaN or infinity
//! (`NonFinite`); `search_batch` reports
//! `DimensionMismatch { expected: dim(), found: queries.ncols() }`, and one
//! zero or non-finite query row fails the whole batch with its error.
//!
//! ## What a strong answer looks like
//! - Selection, not sorting: a bounded heap of `k` (or `select_nth_unstable`)
//!   costs O(n log k) instead of O(n log n); the whole search is one pass
//!   over the matrix, as fast as memory streams it.
//! - `FlatIndex::new` normalises every row once, so `search` is a plain dot
//!   product per row.
//! - `search_batch` turns many queries into one matrix product
//!   (queries × itemsᵀ), which reuses each item row from cache for every
//!   query instead of streaming the matrix once per query.
//! - Extreme magnitudes (1e30, 1e-30) must neither overflow nor underflow.

pub use kata_types::{Hit, VectorError};
use ndarray::{ArrayView1, ArrayView2};

/// The `k` rows of `items` most similar to `query`, best first.
///
/// See the module documentation for the order, the ties and the errors.
pub fn top_k(query: ArrayView1<f32>, items: ArrayView2<f32>, k: usize) -> Result<Vec<Hit>, VectorError> {
    todo!(
        "open exercises/src/top_k.rs: top {k} of {} items for a query of {} components",
        items.nrows(),
        query.len()
    )
}

/// An index over item embeddings that answers many cosine queries.
///
/// Add the fields you need (they are yours to design).
#[derive(Debug, Clone)]
pub struct FlatIndex {}

impl FlatIndex {
    /// Builds the index; this is where the per-item work belongs.
    ///
    /// # Errors
    /// `Empty` for zero columns, `NonFinite` for a NaN or infinity.
    pub fn new(items: ArrayView2<f32>) -> Result<FlatIndex, VectorError> {
        todo!("open exercises/src/top_k.rs: index {} items of {} components", items.nrows(), items.ncols())
    }

    /// Number of items.
    pub fn len(&self) -> usize {
        todo!("open exercises/src/top_k.rs: FlatIndex::len")
    }

    /// Whether the index holds no items.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Number of components of every item (and every query).
    pub fn dim(&self) -> usize {
        todo!("open exercises/src/top_k.rs: FlatIndex::dim")
    }

    /// The `k` items most similar to `query`, best first, as [`top_k`].
    ///
    /// # Errors
    /// As [`top_k`]: `DimensionMismatch`, `NonFinite`, `ZeroNorm`.
    pub fn search(&self, query: ArrayView1<f32>, k: usize) -> Result<Vec<Hit>, VectorError> {
        todo!("open exercises/src/top_k.rs: search for the top {k} of a query of {} components", query.len())
    }

    /// [`FlatIndex::search`] for every row of `queries`, as one block of work.
    ///
    /// # Errors
    /// `DimensionMismatch { expected: dim(), found: queries.ncols() }`; one
    /// zero or non-finite query fails the whole batch with its error.
    pub fn search_batch(&self, queries: ArrayView2<f32>, k: usize) -> Result<Vec<Vec<Hit>>, VectorError> {
        todo!("open exercises/src/top_k.rs: search for the top {k} of {} queries", queries.nrows())
    }
}
