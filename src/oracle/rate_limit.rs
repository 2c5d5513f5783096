//! A token bucket, by the contract's own words.
//!
//! [`Gcra`] is the rule exactly as the statement writes it, one request at a
//! time, in `u128` so that no sum can overflow whatever the test feeds it.
//! [`admission_bound`] is what any run, from any threads, must respect.

/// The GCRA rule, sequential and obviously correct.
///
/// ```
/// use kata::oracle::rate_limit::Gcra;
/// let mut bucket = Gcra::new(3, 10);
/// assert!(bucket.try_acquire(3, 0));
/// assert!(!bucket.try_acquire(1, 5));
/// assert!(bucket.try_acquire(1, 10));
/// ```
#[derive(Debug, Clone)]
pub struct Gcra {
    capacity: u128,
    nanos_per_token: u128,
    tat: u128,
}

impl Gcra {
    /// A full bucket (parameters assumed valid).
    pub fn new(capacity: u64, nanos_per_token: u64) -> Gcra {
        Gcra { capacity: u128::from(capacity), nanos_per_token: u128::from(nanos_per_token), tat: 0 }
    }

    /// `n == 0` → true; `n > capacity` → false; else
    /// `next = max(tat, now) + n·T`, granted iff `next − now ≤ capacity·T`.
    pub fn try_acquire(&mut self, tokens: u64, now: u64) -> bool {
        let (tokens, now) = (u128::from(tokens), u128::from(now));
        if tokens == 0 {
            return true;
        }
        if tokens > self.capacity {
            return false;
        }
        let next = self.tat.max(now) + tokens * self.nanos_per_token;
        let granted = next - now <= self.capacity * self.nanos_per_token;
        if granted {
            self.tat = next;
        }
        granted
    }
}

/// The most tokens a bucket may grant between time 0 and `elapsed`:
/// `capacity + elapsed / nanos_per_token`.
///
/// ```
/// assert_eq!(kata::oracle::rate_limit::admission_bound(5, 10, 99), 14);
/// ```
pub fn admission_bound(capacity: u64, nanos_per_token: u64, elapsed: u64) -> u64 {
    capacity + elapsed / nanos_per_token
}
