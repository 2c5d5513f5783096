//! Right: GCRA's time in a `Mutex<u64>`: correct from any thread, slower
//! under contention.

include!("../../answers/rate_limit/common.rs");

use std::sync::Mutex;

#[derive(Debug)]
pub struct TokenBucket {
    tat: Mutex<u64>,
    capacity: u64,
    nanos_per_token: u64,
    tau: u64,
}

impl TokenBucket {
    pub fn new(capacity: u64, nanos_per_token: u64) -> Result<TokenBucket, RateLimitError> {
        let tau = tolerance(capacity, nanos_per_token)?;
        Ok(TokenBucket { tat: Mutex::new(0), capacity, nanos_per_token, tau })
    }

    pub fn try_acquire(&self, tokens: u64, now_nanos: u64) -> bool {
        if tokens == 0 {
            return true;
        }
        if tokens > self.capacity {
            return false;
        }
        let mut tat = self.tat.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let next = (*tat).max(now_nanos) + tokens * self.nanos_per_token;
        if next - now_nanos > self.tau {
            return false;
        }
        *tat = next;
        true
    }
}
