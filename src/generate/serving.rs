//! Workloads for the serving exercises: cache operations on Zipf-skewed
//! keys (`lru`) and request streams for a rate limiter (`rate_limit`).
//!
//! Real cache traffic is skewed: a few keys are asked for all the time, most
//! rarely. Drawing keys from a Zipf law gives the hit rates and the
//! recency churn a cache meets in production.

use proptest::prelude::*;
use rand::{Rng, RngExt};

use crate::generate::corpus::Zipf;

/// One cache operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CacheOp {
    /// `get(&key)`.
    Get(u64),
    /// `peek(&key)`.
    Peek(u64),
    /// `put(key, value)`.
    Put(u64, u64),
}

/// `count` operations on keys drawn from a Zipf law (exponent 1) over
/// `0..key_space`, scrambled so that hot keys are not small numbers; a
/// share `get_share` of them are `get`, the rest `put` (values count up).
///
/// ```
/// use kata::generate::serving::{CacheOp, zipf_cache_ops};
/// let ops = zipf_cache_ops(&mut kata::seed::rng_for("doc"), 1000, 100, 0.8);
/// let gets = ops.iter().filter(|op| matches!(op, CacheOp::Get(_))).count();
/// assert!((700..900).contains(&gets));
/// ```
pub fn zipf_cache_ops(rng: &mut impl Rng, count: usize, key_space: usize, get_share: f64) -> Vec<CacheOp> {
    let zipf = Zipf::new(key_space, 1.0);
    (0..count as u64)
        .map(|value| {
            let key = scramble(zipf.sample(rng) as u64);
            if rng.random_bool(get_share) { CacheOp::Get(key) } else { CacheOp::Put(key, value) }
        })
        .collect()
}

/// Operation sequences for property tests: keys in `0..key_space` (small,
/// so that hits, replacements and evictions all happen), every kind of
/// operation.
pub fn cache_ops(key_space: u64, max_len: usize) -> impl Strategy<Value = Vec<CacheOp>> {
    let op = prop_oneof![
        3 => (0..key_space).prop_map(CacheOp::Get),
        1 => (0..key_space).prop_map(CacheOp::Peek),
        3 => (0..key_space, any::<u64>()).prop_map(|(key, value)| CacheOp::Put(key, value)),
    ];
    proptest::collection::vec(op, 0..max_len)
}

/// One request to a rate limiter: `tokens` at time `now`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Request {
    /// Tokens asked for.
    pub tokens: u64,
    /// The clock reading, nanoseconds.
    pub now: u64,
}

/// Requests whose clock mostly moves forward by up to `max_step`, sometimes
/// jumps back, and whose sizes run from 0 to a little over `capacity`.
pub fn requests(capacity: u64, max_step: u64, max_len: usize) -> impl Strategy<Value = Vec<Request>> {
    let step = prop_oneof![
        8 => (0..=max_step).prop_map(|step| step as i64),
        1 => (0..=max_step * 4).prop_map(|back| -(back as i64)),
    ];
    let request = (0..=capacity + 1, step);
    proptest::collection::vec(request, 0..max_len).prop_map(|drawn| {
        let mut now = 0_u64;
        drawn
            .into_iter()
            .map(|(tokens, step)| {
                now = now.saturating_add_signed(step);
                Request { tokens, now }
            })
            .collect()
    })
}

/// A bijection of u64 (splitmix64's finalizer): spreads small ranks over
/// the whole key space.
fn scramble(mut x: u64) -> u64 {
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}
