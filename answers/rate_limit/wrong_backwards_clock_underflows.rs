//! Wrong: an exact integer bucket that computes `now - last`: a clock
//! reading earlier than the last one underflows u64 (a panic with overflow
//! checks, a huge refill without).
//! Fails: robust_a_clock_going_backwards_neither_panics_nor_refills: "subtract with overflow"

include!("../../answers/rate_limit/common.rs");

use std::sync::Mutex;

#[derive(Debug)]
pub struct TokenBucket {
    state: Mutex<(u64, u64)>, // (tokens, time up to which refills are counted)
    capacity: u64,
    nanos_per_token: u64,
}

impl TokenBucket {
    pub fn new(capacity: u64, nanos_per_token: u64) -> Result<TokenBucket, RateLimitError> {
        tolerance(capacity, nanos_per_token)?;
        Ok(TokenBucket { state: Mutex::new((capacity, 0)), capacity, nanos_per_token })
    }

    pub fn try_acquire(&self, tokens: u64, now_nanos: u64) -> bool {
        if tokens == 0 {
            return true;
        }
        let mut state = self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let (available, last) = *state;
        let refilled = (now_nanos - last) / self.nanos_per_token;
        let (available, last) = if available + refilled >= self.capacity {
            (self.capacity, now_nanos)
        } else {
            (available + refilled, last + refilled * self.nanos_per_token)
        };
        *state = (available, last);
        if tokens <= available {
            state.0 = available - tokens;
            true
        } else {
            false
        }
    }
}
