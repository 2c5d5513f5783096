//! Types of the `dedup` exercise.

use thiserror::Error;

/// Why a set of embeddings cannot be deduplicated.
///
/// Checked in the order the variants are declared.
///
/// ```
/// use kata_types::DedupError;
/// assert_eq!(DedupError::InvalidThreshold.to_string(), "the threshold must be a number in [-1, 1]");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum DedupError {
    /// The threshold is NaN or outside `[-1, 1]`, the range of a cosine.
    #[error("the threshold must be a number in [-1, 1]")]
    InvalidThreshold,
    /// Rows are present but have zero columns: they have no direction.
    #[error("rows with zero columns have no direction")]
    Empty,
    /// A component is NaN or infinite.
    #[error("a component is NaN or infinite")]
    NonFinite,
}
