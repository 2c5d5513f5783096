//! Wrong: a token count and a clock in f64. Fractions of a token drift
//! (0.7 + 0.3 is not 1.0), and near 2⁶² ns an f64 only holds every 1024th
//! nanosecond.
//! Fails: edge_capacity_one: "Follow the rule exactly"

include!("../../answers/rate_limit/common.rs");

use std::sync::Mutex;

#[derive(Debug)]
pub struct TokenBucket {
    state: Mutex<(f64, f64)>, // (tokens, last time)
    capacity: f64,
    rate: f64, // tokens per nanosecond
}

impl TokenBucket {
    pub fn new(capacity: u64, nanos_per_token: u64) -> Result<TokenBucket, RateLimitError> {
        tolerance(capacity, nanos_per_token)?;
        Ok(TokenBucket {
            state: Mutex::new((capacity as f64, 0.0)),
            capacity: capacity as f64,
            rate: 1.0 / nanos_per_token as f64,
        })
    }

    pub fn try_acquire(&self, tokens: u64, now_nanos: u64) -> bool {
        let mut state = self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let (available, last) = *state;
        let now = now_nanos as f64;
        let available = (available + (now - last).max(0.0) * self.rate).min(self.capacity);
        *state = (available, now.max(last));
        if tokens as f64 <= available {
            state.0 = available - tokens as f64;
            true
        } else {
            false
        }
    }
}
