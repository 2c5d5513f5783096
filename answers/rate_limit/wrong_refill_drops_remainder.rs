//! Wrong: an integer bucket that adds `elapsed / T` whole tokens and resets
//! the last-update time to `now`, throwing the remainder away: polled more
//! often than every T nanoseconds, it never refills.
//! Fails: edge_capacity_one: "Follow the rule exactly"

include!("../../answers/rate_limit/common.rs");

use std::sync::Mutex;

#[derive(Debug)]
pub struct TokenBucket {
    state: Mutex<(u64, u64)>, // (tokens, last time)
    capacity: u64,
    nanos_per_token: u64,
}

impl TokenBucket {
    pub fn new(capacity: u64, nanos_per_token: u64) -> Result<TokenBucket, RateLimitError> {
        tolerance(capacity, nanos_per_token)?;
        Ok(TokenBucket { state: Mutex::new((capacity, 0)), capacity, nanos_per_token })
    }

    pub fn try_acquire(&self, tokens: u64, now_nanos: u64) -> bool {
        let mut state = self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let (available, last) = *state;
        let refilled = now_nanos.saturating_sub(last) / self.nanos_per_token;
        let available = available.saturating_add(refilled).min(self.capacity);
        *state = (available, last.max(now_nanos));
        if tokens <= available {
            state.0 = available - tokens;
            true
        } else {
            false
        }
    }
}
