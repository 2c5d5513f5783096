//! Types of the `rate_limit` exercise.

use thiserror::Error;

/// Why a token bucket cannot be built.
///
/// `TokenBucket::new` checks them in the order the variants are declared.
///
/// ```
/// use kata_types::RateLimitError;
/// assert_eq!(RateLimitError::ZeroCapacity.to_string(), "a bucket must hold at least one token");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum RateLimitError {
    /// `capacity == 0`: the bucket could never grant anything.
    #[error("a bucket must hold at least one token")]
    ZeroCapacity,
    /// `nanos_per_token == 0`: an infinite refill rate is not a limit.
    #[error("a token must take at least one nanosecond to refill")]
    ZeroInterval,
    /// `capacity · nanos_per_token` exceeds 2⁶² nanoseconds (about 146 years):
    /// the bucket's arithmetic could overflow.
    #[error("capacity times nanos_per_token exceeds 2^62 nanoseconds")]
    TooLarge,
}
