//! Types of the `attention` exercise.

use thiserror::Error;

/// Why scaled dot-product attention has no answer.
///
/// Checked in the order the variants are declared; only then does a query
/// matrix with no rows give an empty result.
///
/// ```
/// use kata_types::AttentionError;
/// let error = AttentionError::CausalShape { queries: 5, keys: 3 };
/// assert_eq!(error.to_string(), "causal attention with 5 queries but only 3 keys");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum AttentionError {
    /// Queries and keys have different widths (`expected` is `q.ncols()`,
    /// `found` is `k.ncols()`).
    #[error("dimension mismatch: queries have {expected} columns, keys have {found}")]
    DimensionMismatch {
        /// The width of the queries.
        expected: usize,
        /// The width of the keys.
        found: usize,
    },
    /// Keys and values have different numbers of rows.
    #[error("{keys} keys but {values} values: give one value row per key")]
    KeyValueMismatch {
        /// Rows of the keys.
        keys: usize,
        /// Rows of the values.
        values: usize,
    },
    /// Causal attention with more queries than keys: the queries are the
    /// last positions of the keys' sequence, so there cannot be more.
    #[error("causal attention with {queries} queries but only {keys} keys")]
    CausalShape {
        /// Rows of the queries.
        queries: usize,
        /// Rows of the keys.
        keys: usize,
    },
    /// The key width `d` is 0, or there are no keys.
    #[error("no keys, or keys of width 0: attention has nothing to attend to")]
    Empty,
    /// A NaN or an infinity in `q`, `k` or `v`.
    #[error("a NaN or an infinity in the queries, keys or values")]
    NonFinite,
}
