//! Hidden tests for the `rate_limit` exercise (`exercises/src/rate_limit.rs`).
//!
//! Tiers, by name prefix: `examples_` (the statement's examples), `edge_`
//! (every error of `new` and their order, the 2⁶² bound, zero tokens, more
//! than the capacity, starting full), `property_` (random request streams
//! with backward clock jumps against the GCRA rule in u128), `robust_`
//! (exact refill at odd intervals and at times near 2⁶², where f64 cannot
//! count nanoseconds; a clock going backwards; remainders carried between
//! refills; 4 threads hammering one bucket on a shared fake clock),
//! `scale_` (millions of calls from several threads, in time).

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::thread;

use kata::expect_eq;
use kata::generate::serving::{Request, requests};
use kata::grade;
use kata::oracle::rate_limit::{Gcra, admission_bound};
use kata::property;
use kata::subject::rate_limit::{RateLimitError, TokenBucket};
use proptest::prelude::*;

const EXERCISE: &str = "rate_limit";

/// Threads share one bucket by reference: it must be `Send + Sync`. This
/// line does not compile otherwise.
const _: fn() = || {
    fn shared_across_threads<T: Send + Sync>() {}
    shared_across_threads::<TokenBucket>();
};

/// The largest clock reading the contract allows.
const LATEST: u64 = (1 << 62) - 1;

/// The subject's `TokenBucket::new`, under the time limit.
fn new_bucket(capacity: u64, nanos_per_token: u64) -> Result<TokenBucket, RateLimitError> {
    grade::run(EXERCISE, move || TokenBucket::new(capacity, nanos_per_token))
}

/// A valid bucket of the subject's.
fn bucket(capacity: u64, nanos_per_token: u64) -> TokenBucket {
    match new_bucket(capacity, nanos_per_token) {
        Ok(bucket) => bucket,
        Err(error) => {
            panic!("TokenBucket::new({capacity}, {nanos_per_token}) is valid, but it returned {error:?}")
        }
    }
}

/// The subject's answers to `requests`, one by one, on a fresh bucket.
fn answers(capacity: u64, nanos_per_token: u64, requests: Vec<Request>) -> Vec<bool> {
    let bucket = bucket(capacity, nanos_per_token);
    grade::run(EXERCISE, move || requests.iter().map(|r| bucket.try_acquire(r.tokens, r.now)).collect())
}

/// `Ok` when the subject answers `requests` as the GCRA rule does, else the
/// first request where they differ, with the few before it.
fn check_against_gcra(
    capacity: u64,
    nanos_per_token: u64,
    requests: &[Request],
    actual: &[bool],
) -> Result<(), String> {
    let mut model = Gcra::new(capacity, nanos_per_token);
    for (at, request) in requests.iter().enumerate() {
        let expected = model.try_acquire(request.tokens, request.now);
        if actual[at] != expected {
            let earlier = &requests[at.saturating_sub(4)..at];
            return Err(format!(
                "bucket (capacity {capacity}, {nanos_per_token} ns per token): request {at}, {} tokens at {} ns: \
                 expected {expected}, got {} (the requests just before, with their expected answers: {:?}). \
                 Follow the rule exactly: next = max(tat, now) + n·T, granted iff next − now ≤ capacity·T",
                request.tokens,
                request.now,
                actual[at],
                earlier.iter().zip(&actual[at.saturating_sub(4)..at]).collect::<Vec<_>>(),
            ));
        }
    }
    Ok(())
}

/// Fails the test unless the subject answers `requests` as GCRA does.
fn assert_gcra(capacity: u64, nanos_per_token: u64, requests: Vec<Request>) {
    let actual = answers(capacity, nanos_per_token, requests.clone());
    if let Err(message) = check_against_gcra(capacity, nanos_per_token, &requests, &actual) {
        panic!("{message}");
    }
}

/// Requests written as `(tokens, now)` pairs.
fn reqs(pairs: &[(u64, u64)]) -> Vec<Request> {
    pairs.iter().map(|&(tokens, now)| Request { tokens, now }).collect()
}

// ---------------------------------------------------------------- examples

#[test]
fn examples_the_statements_walk_through() {
    let requests = reqs(&[(1, 0), (2, 0), (1, 5), (1, 10), (4, 1_000), (3, 1_000), (0, 1_000), (1, 995)]);
    let expected = [true, true, false, true, false, true, true, false];
    expect_eq!(
        answers(3, 10, requests),
        expected,
        "TokenBucket::new(3, 10), the statement's requests in order"
    );
}

#[test]
fn examples_new_reports_its_errors() {
    expect_eq!(new_bucket(0, 10).err(), Some(RateLimitError::ZeroCapacity));
    expect_eq!(new_bucket(3, 0).err(), Some(RateLimitError::ZeroInterval));
    expect_eq!(new_bucket(1 << 40, 1 << 30).err(), Some(RateLimitError::TooLarge));
}

// ---------------------------------------------------------------- edge

#[test]
fn edge_zero_capacity_is_checked_before_zero_interval() {
    expect_eq!(new_bucket(0, 0).err(), Some(RateLimitError::ZeroCapacity));
}

#[test]
fn edge_zero_interval_is_checked_before_too_large() {
    expect_eq!(new_bucket(u64::MAX, 0).err(), Some(RateLimitError::ZeroInterval));
}

#[test]
fn edge_exactly_two_to_the_62_is_accepted_one_more_is_too_large() {
    assert!(new_bucket(1 << 31, 1 << 31).is_ok(), "capacity · T = 2^62 exactly is allowed");
    assert!(new_bucket(1, 1 << 62).is_ok(), "capacity · T = 2^62 exactly is allowed");
    expect_eq!(new_bucket((1 << 62) + 1, 1).err(), Some(RateLimitError::TooLarge));
    expect_eq!(new_bucket(3, 1 << 61).err(), Some(RateLimitError::TooLarge));
}

#[test]
fn edge_a_product_that_overflows_u64_is_too_large_not_a_panic() {
    expect_eq!(
        new_bucket(u64::MAX, u64::MAX).err(),
        Some(RateLimitError::TooLarge),
        "capacity · nanos_per_token overflows u64: use checked_mul (or u128), then report TooLarge"
    );
    expect_eq!(new_bucket(1 << 32, 1 << 32).err(), Some(RateLimitError::TooLarge));
}

#[test]
fn edge_a_new_bucket_starts_full() {
    let got = answers(5, 1_000, reqs(&[(5, 0)]));
    expect_eq!(got, [true], "a new bucket holds `capacity` tokens at time 0: all 5 can be taken at once");
    let got = answers(5, 1_000, reqs(&[(5, 123_456_789)]));
    expect_eq!(got, [true], "a new bucket is full whatever the first clock reading");
}

#[test]
fn edge_zero_tokens_always_succeed_even_from_an_empty_bucket() {
    let got = answers(2, 10, reqs(&[(2, 0), (0, 0), (0, 1), (1, 1)]));
    expect_eq!(got, [true, true, true, false], "n == 0 is granted and takes nothing");
}

#[test]
fn edge_more_than_the_capacity_is_refused_at_once_and_takes_nothing() {
    let requests = reqs(&[(4, 0), (u64::MAX, 0), (3, 0)]);
    let got = grade::run_within(EXERCISE, grade::SCALE_LIMIT, move || {
        let bucket = TokenBucket::new(3, 1 << 40).expect("valid bucket");
        requests.iter().map(|r| bucket.try_acquire(r.tokens, r.now)).collect::<Vec<_>>()
    });
    expect_eq!(
        got,
        [false, false, true],
        "a request above the capacity can never fit: refuse it at once (no waiting, no n·T overflow), \
         and leave the bucket full"
    );
}

#[test]
fn edge_the_whole_capacity_at_once_after_a_full_refill() {
    assert_gcra(4, 25, reqs(&[(4, 0), (4, 99), (4, 100), (1, 100), (2, 150), (1, 175)]));
}

#[test]
fn edge_capacity_one() {
    assert_gcra(1, 7, reqs(&[(1, 0), (1, 6), (1, 7), (2, 100), (1, 13), (1, 14), (1, 14)]));
}

// ---------------------------------------------------------------- property

#[test]
fn property_matches_gcra_on_random_requests_and_clock_jumps() {
    let strategy = (1_u64..20, 1_u64..1_000).prop_flat_map(|(capacity, interval)| {
        (Just(capacity), Just(interval), requests(capacity, interval * 3, 200))
    });
    grade::run(EXERCISE, move || {
        property::check(strategy, 300, |(capacity, interval, requests)| {
            let bucket = TokenBucket::new(capacity, interval).expect("valid bucket");
            let actual: Vec<bool> = requests.iter().map(|r| bucket.try_acquire(r.tokens, r.now)).collect();
            check_against_gcra(capacity, interval, &requests, &actual).map_err(TestCaseError::fail)
        });
    });
}

#[test]
fn property_matches_gcra_with_large_capacities_and_intervals() {
    let strategy = (1_u64..1 << 20, 1_u64..1 << 30).prop_flat_map(|(capacity, interval)| {
        (
            Just(capacity),
            Just(interval),
            requests(capacity, interval.saturating_mul(capacity).min(1 << 40), 100),
        )
    });
    grade::run(EXERCISE, move || {
        property::check(strategy, 200, |(capacity, interval, requests)| {
            let interval = interval.min((1 << 62) / capacity);
            let bucket = TokenBucket::new(capacity, interval).expect("valid bucket");
            let actual: Vec<bool> = requests.iter().map(|r| bucket.try_acquire(r.tokens, r.now)).collect();
            check_against_gcra(capacity, interval, &requests, &actual).map_err(TestCaseError::fail)
        });
    });
}

// ---------------------------------------------------------------- robust

#[test]
fn robust_refills_exactly_one_token_per_interval_at_odd_intervals() {
    // Polling every 7 ns a bucket that refills every 10 ns: a refill that
    // resets the last-update time without carrying the remainder never
    // refills at all; an f64 rate of 0.1 token/ns drifts.
    let requests: Vec<Request> = (0..2_000).map(|i| Request { tokens: 1, now: i * 7 }).collect();
    let actual = answers(1, 10, requests.clone());
    let granted = actual.iter().filter(|&&ok| ok).count();
    if let Err(message) = check_against_gcra(1, 10, &requests, &actual) {
        panic!(
            "{message}\n({granted} of 2000 granted over 13,993 ns; expected 1,400: keep the remainder of a \
             partial refill, e.g. by keeping a time instead of a token count)"
        );
    }
}

#[test]
fn robust_counts_single_nanoseconds_near_two_to_the_62() {
    // Near 2^62 ns an f64 holds only every 1024th nanosecond.
    let start = LATEST - 1_000_000;
    let mut pairs = vec![(3, start)];
    pairs.extend((1..=300).map(|i| (1, start + i)));
    pairs.extend((0..300).map(|i| (1, start + 1_000 + i * 3)));
    assert_gcra(3, 1, reqs(&pairs));
    assert_gcra(1_000, 3, reqs(&pairs));
}

#[test]
fn robust_near_two_to_the_62_with_the_largest_bucket() {
    let requests = reqs(&[(1 << 31, LATEST - 5), (1, LATEST - 4), (1, LATEST), (1 << 31, LATEST), (1, 0)]);
    assert_gcra(1 << 31, 1 << 31, requests);
    assert_gcra(1, 1 << 62, reqs(&[(1, 0), (1, LATEST), (1, LATEST), (1, 1 << 61)]));
}

#[test]
fn robust_a_clock_going_backwards_neither_panics_nor_refills() {
    let requests =
        reqs(&[(3, 1_000), (1, 0), (1, 500), (1, 999), (1, 1_010), (1, 5), (2, 1_030), (1, 1_030)]);
    let actual = answers(3, 10, requests.clone());
    if let Err(message) = check_against_gcra(3, 10, &requests, &actual) {
        panic!(
            "{message}\n(an earlier clock reading sees the bucket as it was then; never subtract a later time from an earlier one)"
        );
    }
}

#[test]
fn robust_four_threads_on_one_bucket_never_over_admit() {
    // Each call reads and advances a shared fake clock by 1 ns; one token
    // refills every 2 ns, so the threads race for every other call. Many
    // calls, so that threads are also preempted between a read and a write
    // (on a busy machine, that is where a load-then-store update breaks).
    let (capacity, interval, calls_per_thread) = (4_u64, 2_u64, 3_000_000_u64);
    let bucket = Arc::new(bucket(capacity, interval));
    let (granted, elapsed) = grade::run(EXERCISE, move || {
        let clock = Arc::new(AtomicU64::new(0));
        let workers: Vec<_> = (0..4)
            .map(|_| {
                let (bucket, clock) = (Arc::clone(&bucket), Arc::clone(&clock));
                thread::spawn(move || {
                    let mut granted = 0_u64;
                    for _ in 0..calls_per_thread {
                        let now = clock.fetch_add(1, Ordering::Relaxed);
                        granted += u64::from(bucket.try_acquire(1, now));
                    }
                    granted
                })
            })
            .collect();
        let granted: u64 = workers.into_iter().map(|worker| worker.join().expect("a worker panicked")).sum();
        (granted, clock.load(Ordering::Relaxed))
    });
    let bound = admission_bound(capacity, interval, elapsed);
    assert!(
        granted <= bound,
        "4 threads were granted {granted} tokens over {elapsed} ns, but at most capacity + elapsed / T = {bound} \
         may be: two threads took the same token. Check and update the state in one atomic step \
         (one AtomicU64 and compare_exchange, or a lock), not a load then a store"
    );
    assert!(
        granted * 10 >= bound * 9,
        "4 threads were granted only {granted} tokens over {elapsed} ns, of {bound} available: a request that \
         fits must succeed (retry the compare-and-swap instead of giving up when another thread got in first)"
    );
}

#[test]
fn robust_four_threads_released_together_take_one_token_per_round() {
    // Round r: the clock reads r·T, exactly one token has refilled, and 4
    // threads ask for it at once. A load-then-store update lets two of them
    // take it.
    let (rounds, threads, interval) = (20_000_u64, 4_usize, 8_u64);
    let bucket = Arc::new(bucket(1, interval));
    let granted = grade::run(EXERCISE, move || {
        let round = Arc::new(AtomicU64::new(0));
        let arrived = Arc::new(AtomicU64::new(0));
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                let (bucket, round, arrived) =
                    (Arc::clone(&bucket), Arc::clone(&round), Arc::clone(&arrived));
                thread::spawn(move || {
                    let mut granted = 0_u64;
                    for r in 0..rounds {
                        while round.load(Ordering::Acquire) != r {
                            thread::yield_now();
                        }
                        granted += u64::from(bucket.try_acquire(1, r * interval));
                        let everyone = arrived.fetch_add(1, Ordering::AcqRel) + 1 == (r + 1) * threads as u64;
                        if everyone {
                            // The last to arrive opens the next round.
                            round.store(r + 1, Ordering::Release);
                        }
                    }
                    granted
                })
            })
            .collect();
        workers.into_iter().map(|worker| worker.join().expect("a worker panicked")).sum::<u64>()
    });
    let bound = admission_bound(1, interval, (rounds - 1) * interval);
    assert!(
        granted <= bound,
        "{threads} threads asking together for the one token of each of {rounds} rounds were granted {granted} \
         tokens (at most capacity + elapsed / T = {bound}): two threads took the same token. Check and update \
         the state in one atomic step (one AtomicU64 and compare_exchange, or a lock), not a load then a store"
    );
    expect_eq!(granted, bound, "each round refills exactly one token, and a request that fits must succeed");
}

#[test]
fn robust_threads_each_with_their_own_clock_reading_share_the_bound() {
    // Two threads whose clocks disagree by up to 1 µs: readings arrive out of
    // order, which the bucket must treat as earlier times, not underflow.
    let (capacity, interval) = (100_u64, 50_u64);
    let bucket = Arc::new(bucket(capacity, interval));
    let granted = grade::run(EXERCISE, move || {
        let workers: Vec<_> = [0_u64, 1_000]
            .into_iter()
            .map(|skew| {
                let bucket = Arc::clone(&bucket);
                thread::spawn(move || {
                    (0..200_000_u64).filter(|i| bucket.try_acquire(1, i * 2 + skew)).count() as u64
                })
            })
            .collect();
        workers.into_iter().map(|worker| worker.join().expect("a worker panicked")).sum::<u64>()
    });
    let bound = admission_bound(capacity, interval, 200_000 * 2 + 1_000);
    assert!(
        granted <= bound,
        "granted {granted} tokens, at most {bound} allowed: two threads took the same token"
    );
}

// ---------------------------------------------------------------- scale

#[test]
fn scale_four_million_calls_from_four_threads() {
    let bucket = Arc::new(bucket(1_000, 100));
    let granted = grade::run_within(EXERCISE, grade::SCALE_LIMIT, move || {
        let workers: Vec<_> = (0..4_u64)
            .map(|worker| {
                let bucket = Arc::clone(&bucket);
                thread::spawn(move || {
                    (0..1_000_000_u64).filter(|i| bucket.try_acquire(1 + i % 3, i * 10 + worker)).count()
                })
            })
            .collect();
        workers.into_iter().map(|worker| worker.join().expect("a worker panicked")).sum::<usize>()
    });
    assert!(granted > 0, "no request was granted in a million");
}
