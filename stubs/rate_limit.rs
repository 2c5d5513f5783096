//! # A token bucket for a hot path
//!
//! Every model-serving API limits each client's request rate. The classic
//! limiter is a token bucket: it holds up to `capacity` tokens, refills at a
//! steady rate, and a request takes tokens or is refused. Yours sits on the
//! hot path of a server: many threads ask the same bucket at once, and a
//! lock there would serialise them.
//!
//! ## Task
//! Implement [`TokenBucket`]: [`TokenBucket::new`] and
//! [`TokenBucket::try_acquire`]. The struct's fields are yours to choose;
//! it must stay `Send + Sync` (threads share it through `&TokenBucket` or an
//! `Arc`), and every method takes `&self`.
//!
//! ## Semantics: exactly GCRA
//! The generic cell rate algorithm describes the bucket with one number.
//! With `T = nanos_per_token` and `τ = capacity · T`, the bucket keeps a time
//! `tat` (the "theoretical arrival time"), initially 0.
//! `try_acquire(n, now)`:
//! - `n == 0` → `true` (nothing asked, nothing taken);
//! - `n > capacity` → `false`, at once (it could never fit);
//! - otherwise `next = max(tat, now) + n · T`; granted iff `next − now ≤ τ`,
//!   and then `tat = next`; refused requests change nothing.
//!
//! So the bucket starts full at time 0, refills one token every `T`
//! nanoseconds exactly (no fraction of a token is ever lost), holds at most
//! `capacity`, and a clock reading earlier than a previous one simply sees
//! the bucket as it was then (it must not panic or wrap around).
//! Times are nanoseconds from any fixed origin; they stay below 2⁶².
//!
//! ## Examples
//! ```text
//! bucket = TokenBucket::new(3, 10)     // 3 tokens, one more every 10 ns; τ = 30
//! try_acquire(1, 0)  → true            // tat 0 → 10
//! try_acquire(2, 0)  → true            // tat 10 → 30: empty now
//! try_acquire(1, 5)  → false           // next = 40, 40 − 5 = 35 > 30
//! try_acquire(1, 10) → true            // next = 40, 40 − 10 = 30 ≤ 30; tat = 40
//! try_acquire(4, 1_000) → false        // more than the capacity, ever
//! try_acquire(3, 1_000) → true         // refilled to 3, not more; tat = 1_030
//! try_acquire(0, 1_000) → true         // 0 tokens always succeed
//! try_acquire(1, 995)   → false        // clock went back: next = 1_040, 1_040 − 995 = 45 > 30
//! ```
//!
//! ## Errors of `new`, checked in this order
//! 1. `capacity == 0` → `Err(ZeroCapacity)`
//! 2. `nanos_per_token == 0` → `Err(ZeroInterval)`
//! 3. `capacity · nanos_per_token > 2⁶²` (also when the product overflows
//!    u64) → `Err(TooLarge)`. Exactly 2⁶² is accepted.
//!
//! ## From many threads
//! Over any run, from any number of threads at once, the tokens granted never
//! exceed `capacity + elapsed / nanos_per_token`, and none is lost (a request
//! that fits succeeds). The hidden tests hammer one bucket from 4 threads
//! with a shared fake clock and count.
//!
//! ## What a strong answer looks like
//! O(1) per call, no allocation, no lock: the whole state is `tat`, one
//! `u64`, so one `AtomicU64` updated with a compare-and-swap loop is enough.
//! Two atomics (tokens and last time) updated separately race: two threads
//! both see a token and both take it. Integer nanoseconds only: an `f64`
//! token count drifts and, at large times, cannot even tell 1 ns apart.
//! A `Mutex` around the state is correct but much slower under contention.

pub use kata_types::RateLimitError;

/// A token bucket that many threads can share.
///
/// Choose your own fields; keep the type `Send + Sync`.
#[derive(Debug)]
pub struct TokenBucket {
    // Delete this field and add your own: it only makes the stub compile.
    _fields: (),
}

impl TokenBucket {
    /// A full bucket of `capacity` tokens, refilling one every
    /// `nanos_per_token` nanoseconds.
    ///
    /// See the module documentation for the errors, in their order.
    pub fn new(capacity: u64, nanos_per_token: u64) -> Result<TokenBucket, RateLimitError> {
        todo!(
            "open exercises/src/rate_limit.rs: a bucket of {capacity} tokens, one every {nanos_per_token} ns"
        )
    }

    /// Takes `tokens` tokens at time `now_nanos` if the bucket holds them,
    /// and says whether it did.
    ///
    /// See the module documentation for the exact rule (GCRA).
    pub fn try_acquire(&self, tokens: u64, now_nanos: u64) -> bool {
        todo!("open exercises/src/rate_limit.rs: take {tokens} tokens at {now_nanos} ns from {self:?}")
    }
}
