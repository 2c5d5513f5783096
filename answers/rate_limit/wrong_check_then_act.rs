//! Wrong: GCRA on an atomic, but read and written in two steps (a load,
//! then a store): two threads read the same time, both grant the same token.

include!("../../answers/rate_limit/common.rs");

use std::sync::atomic::{AtomicU64, Ordering};

#[derive(Debug)]
pub struct TokenBucket {
    tat: AtomicU64,
    capacity: u64,
    nanos_per_token: u64,
    tau: u64,
}

impl TokenBucket {
    pub fn new(capacity: u64, nanos_per_token: u64) -> Result<TokenBucket, RateLimitError> {
        let tau = tolerance(capacity, nanos_per_token)?;
        Ok(TokenBucket { tat: AtomicU64::new(0), capacity, nanos_per_token, tau })
    }

    pub fn try_acquire(&self, tokens: u64, now_nanos: u64) -> bool {
        if tokens == 0 {
            return true;
        }
        if tokens > self.capacity {
            return false;
        }
        let tat = self.tat.load(Ordering::Acquire);
        let next = tat.max(now_nanos) + tokens * self.nanos_per_token;
        if next - now_nanos > self.tau {
            return false;
        }
        self.tat.store(next, Ordering::Release);
        true
    }
}
