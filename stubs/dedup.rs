//! # Near-duplicate removal by cosine similarity
//!
//! Before indexing a corpus for retrieval (or training on it), drop the
//! passages that say the same thing: their embeddings point the same way.
//! Walk the rows in input order and keep a row only if it is not too
//! similar to any row already kept.
//!
//! ## Task
//! Implement [`dedup`]: return the indices of the kept rows, ascending.
//!
//! ## Semantics
//! - Greedy in input order: row `i` is kept iff its cosine similarity with
//!   **every row kept before it** is `< threshold`. Rows that were removed
//!   do not count: a row similar only to a removed row is kept.
//! - A zero row (all `+0.0` or `-0.0`) has similarity 0 with every row, so
//!   it never produces a NaN. A subnormal row (`1e-40`) is not a zero row.
//! - Similarities are those the `cosine` exercise requires, right for any
//!   finite input: rows of `1e30` must not overflow, rows of `1e-30` must
//!   not underflow.
//! - A similarity exactly equal to the threshold is not `< threshold`: the
//!   row is a duplicate (example 3). Otherwise a pair whose similarity lies
//!   within 1e-5 of the threshold may be decided either way: rounding is
//!   yours to choose there.
//!
//! ## Examples
//! ```text
//! 1. [[1, 0],    threshold 0.5
//!     [1, 1],    cos with row 0 = 0.7071 ≥ 0.5  → removed
//!     [0, 1]]    cos with row 0 = 0 < 0.5       → kept (its 0.7071 with the
//!                removed row 1 does not count)
//!    → Ok([0, 2])
//! 2. [[3, 4], [6, 8], [0, 0], [-3, -4]], threshold 0.9
//!    row 1 has cos 1 with row 0: removed; row 2 is a zero row: cos 0, kept;
//!    row 3 has cos -1 with row 0 and 0 with row 2: kept
//!    → Ok([0, 2, 3])
//! 3. [[1, 0], [0, 1]], threshold 0.0 → Ok([0])   (cos = 0 exactly, not < 0)
//! 4. any rows, threshold -1.0 → Ok([0])           (every cos is ≥ -1)
//! ```
//!
//! ## Errors, checked in this order
//! 1. `threshold` is NaN or outside `[-1, 1]` → `Err(InvalidThreshold)`,
//!    even when there are no rows;
//! 2. rows present with zero columns → `Err(Empty)`;
//! 3. a NaN or ±infinity anywhere → `Err(NonFinite)`.
//!
//! Then no rows at all (whatever the columns) → `Ok(vec![])`.
//!
//! ## What a strong answer looks like
//! - Normalise every row once (in f64, or scaled first, so that extreme
//!   magnitudes survive), then each similarity is one dot product.
//! - Compare each row with the kept rows only, and stop at the first
//!   duplicate: O(n · kept · d) in the worst case.
//! - Memory O(n · d) beyond the input: never build the n × n similarity
//!   matrix (the tests bound the peak allocation at 4,096 rows).
//! - Faster still: compare a whole block of rows with the kept set as one
//!   matrix product (blocked, cache-friendly), then settle the block in
//!   input order.

pub use kata_types::DedupError;
use ndarray::ArrayView2;

/// The indices of the rows kept by greedy near-duplicate removal, ascending.
///
/// See the module documentation for the rule, the errors and the accuracy.
pub fn dedup(embeddings: ArrayView2<f32>, threshold: f32) -> Result<Vec<usize>, DedupError> {
    todo!(
        "open exercises/src/dedup.rs: deduplicate {} rows of {} components at threshold {threshold}",
        embeddings.nrows(),
        embeddings.ncols()
    )
}
