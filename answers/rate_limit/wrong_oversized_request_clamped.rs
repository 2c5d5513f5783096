//! Wrong: a request for more than the capacity is clamped to the capacity
//! and granted from a full bucket, instead of refused.
//! Fails: edge_more_than_the_capacity_is_refused_at_once_and_takes_nothing: "can never fit"

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
        let cost = tokens.min(self.capacity) * self.nanos_per_token;
        self.tat
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |tat| {
                let next = tat.max(now_nanos) + cost;
                (next - now_nanos <= self.tau).then_some(next)
            })
            .is_ok()
    }
}
