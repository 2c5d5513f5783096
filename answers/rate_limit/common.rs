// Shared by the answers in this folder: the checks of `new`, in the
// contract's order, returning τ = capacity · nanos_per_token.

pub use kata_types::RateLimitError;

#[allow(dead_code)]
fn tolerance(capacity: u64, nanos_per_token: u64) -> Result<u64, RateLimitError> {
    if capacity == 0 {
        return Err(RateLimitError::ZeroCapacity);
    }
    if nanos_per_token == 0 {
        return Err(RateLimitError::ZeroInterval);
    }
    match capacity.checked_mul(nanos_per_token) {
        Some(tau) if tau <= 1 << 62 => Ok(tau),
        _ => Err(RateLimitError::TooLarge),
    }
}
