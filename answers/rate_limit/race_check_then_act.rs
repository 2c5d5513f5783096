//! Wrong: GCRA on an atomic, but read and written in two steps (a load,
//! then a store): two threads read the same time, both grant the same token.
//!
//! Not graded by `kata answers` (no `wrong_` prefix): the race it has is
//! caught by `robust_four_threads_on_one_bucket_never_over_admit` only when
//! the threads interleave at the wrong moment, which is likely but not
//! certain, and CI must not depend on luck. Run it by hand:
//! `cp answers/rate_limit/race_check_then_act.rs exercises/src/rate_limit.rs`.

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
