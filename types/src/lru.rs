//! Types of the `lru` exercise.

use thiserror::Error;

/// Why a cache cannot be built.
///
/// ```
/// use kata_types::CacheError;
/// assert_eq!(CacheError::ZeroCapacity.to_string(), "a cache must hold at least one entry");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum CacheError {
    /// `capacity == 0`: every insertion would evict itself.
    #[error("a cache must hold at least one entry")]
    ZeroCapacity,
}
