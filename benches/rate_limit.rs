//! A token bucket on the hot path: `try_acquire` called by one thread, and
//! by two threads contending for one bucket. The reference (GCRA on one
//! atomic word) against the candidate, the `governor` crate's direct rate
//! limiter (peer, also GCRA on an atomic) and the same rule behind a
//! `Mutex` (naive), on the same requests in the same run.
//!
//! The two threads are started once per measurement and released together
//! by a barrier; only the time from the release until both are done counts.
//!
//! `cargo bench --bench rate_limit`. Clock costs: every implementation gets
//! its clock reading from the benchmark (a counter advanced by one interval
//! per call, so most requests are granted); governor reads it through a
//! `Clock` whose `now()` returns that counter, kept in a thread-local. None
//! pays for a real clock (`Instant::now` or TSC reads cost 10-25 ns more).

use std::hint::black_box;
use std::sync::{Barrier, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use kata::bench::Role;
use kata::oracle::rate_limit::Gcra;
#[cfg(feature = "with-reference")]
use kata::reference;
use kata::{bench, subject};

/// The plain rung: the bucket's state behind a `Mutex`.
#[cfg(feature = "with-reference")]
#[allow(unused, unreachable_pub, clippy::all, clippy::pedantic, clippy::unwrap_used)]
#[path = "../answers/rate_limit/right_mutex.rs"]
mod plain;

/// Tokens the bucket holds.
const CAPACITY: u32 = 1_000;
/// Nanoseconds per token.
const INTERVAL: u64 = 1_000;
/// Calls per measured batch, per thread.
const CALLS: u64 = 20_000;

/// One implementation under test, shareable between threads.
trait Bucket: Sync {
    fn acquire(&self, now: u64) -> bool;
}

#[cfg(feature = "with-reference")]
impl Bucket for plain::TokenBucket {
    fn acquire(&self, now: u64) -> bool {
        self.try_acquire(1, now)
    }
}

#[cfg(feature = "with-reference")]
impl Bucket for reference::rate_limit::TokenBucket {
    fn acquire(&self, now: u64) -> bool {
        self.try_acquire(1, now)
    }
}

/// The candidate's bucket (a newtype: with `--features reference` the
/// subject is the reference itself).
struct Candidate(subject::rate_limit::TokenBucket);

impl Bucket for Candidate {
    fn acquire(&self, now: u64) -> bool {
        self.0.try_acquire(1, now)
    }
}

/// The same GCRA rule behind a lock.
struct Locked(Mutex<Gcra>);

impl Bucket for Locked {
    fn acquire(&self, now: u64) -> bool {
        self.0.lock().map(|mut bucket| bucket.try_acquire(1, now)).unwrap_or(false)
    }
}

/// The peer: governor's limiter on a clock the benchmark sets.
#[cfg(feature = "peer-crates")]
mod governor_peer {
    use std::cell::Cell;
    use std::num::NonZeroU32;
    use std::time::Duration;

    use governor::clock::Clock;
    use governor::{Quota, RateLimiter};

    use super::{Bucket, CAPACITY, INTERVAL};

    thread_local! {
        /// The clock reading the benchmark hands to governor.
        static NOW: Cell<u64> = const { Cell::new(0) };
    }

    /// A governor clock that reads the benchmark's counter: governor pays for
    /// the same clock as the others, a thread-local read.
    #[derive(Debug, Clone, Copy, Default)]
    struct BenchClock;

    impl Clock for BenchClock {
        type Instant = Duration;

        fn now(&self) -> Duration {
            Duration::from_nanos(NOW.with(Cell::get))
        }
    }

    type Governor = RateLimiter<
        governor::state::NotKeyed,
        governor::state::InMemoryState,
        BenchClock,
        governor::middleware::NoOpMiddleware<Duration>,
    >;

    /// governor's direct limiter with the same quota.
    pub(super) struct Peer(Governor);

    impl Bucket for Peer {
        fn acquire(&self, now: u64) -> bool {
            NOW.with(|clock| clock.set(now));
            self.0.check().is_ok()
        }
    }

    pub(super) fn governor_bucket() -> Peer {
        let burst = NonZeroU32::new(CAPACITY).unwrap_or(NonZeroU32::MIN);
        let quota = Quota::with_period(Duration::from_nanos(INTERVAL)).map(|quota| quota.allow_burst(burst));
        let quota = quota.unwrap_or_else(|| Quota::per_second(burst));
        Peer(RateLimiter::direct_with_clock(quota, BenchClock))
    }
}

/// `CALLS` requests of one token, the clock advancing one interval per
/// call from `start`: how many were granted.
fn hammer(bucket: &dyn Bucket, start: u64) -> u64 {
    (0..CALLS).map(|i| u64::from(bucket.acquire(black_box(start + i * INTERVAL)))).sum()
}

/// Every implementation, built fresh, with its role.
fn implementations(candidate_ready: bool) -> Vec<(String, Box<dyn Bucket>)> {
    let mut all: Vec<(String, Box<dyn Bucket>)> = Vec::new();
    #[cfg(feature = "with-reference")]
    if let Ok(bucket) = reference::rate_limit::TokenBucket::new(u64::from(CAPACITY), INTERVAL) {
        all.push((Role::Reference.implementation(""), Box::new(bucket)));
    }
    #[cfg(feature = "with-reference")]
    if let Ok(bucket) = plain::TokenBucket::new(u64::from(CAPACITY), INTERVAL) {
        all.push((Role::Plain.implementation("Mutex"), Box::new(bucket)));
    }
    if candidate_ready
        && let Ok(bucket) = subject::rate_limit::TokenBucket::new(u64::from(CAPACITY), INTERVAL)
    {
        all.push((Role::Candidate.implementation(""), Box::new(Candidate(bucket))));
    }
    #[cfg(feature = "peer-crates")]
    all.push((Role::Peer.implementation("governor"), Box::new(governor_peer::governor_bucket())));
    all.push((
        Role::Naive.implementation("Mutex"),
        Box::new(Locked(Mutex::new(Gcra::new(u64::from(CAPACITY), INTERVAL)))),
    ));
    all
}

fn rate_limit(c: &mut Criterion) {
    let candidate_ready = bench::candidate_ready("rate_limit", || {
        if let Ok(bucket) = subject::rate_limit::TokenBucket::new(1, 1) {
            bucket.try_acquire(1, 0);
        }
    });

    let mut group = c.benchmark_group("try_acquire, one thread");
    group.throughput(Throughput::Elements(CALLS));
    for (name, bucket) in implementations(candidate_ready) {
        let mut start = 0;
        group.bench_function(BenchmarkId::new(name, "uncontended"), |b| {
            b.iter(|| {
                let granted = hammer(bucket.as_ref(), start);
                start += CALLS * INTERVAL;
                black_box(granted)
            })
        });
    }
    group.finish();

    let mut group = c.benchmark_group("try_acquire, two threads on one bucket");
    group.throughput(Throughput::Elements(2 * CALLS));
    for (name, bucket) in implementations(candidate_ready) {
        let mut start = 0;
        group.bench_function(BenchmarkId::new(name, "2 threads"), |b| {
            b.iter_custom(|batches| {
                let (elapsed, granted) = contend(bucket.as_ref(), start, batches);
                start += batches * CALLS * INTERVAL;
                black_box(granted);
                elapsed
            })
        });
    }
    group.finish();
}

/// Two threads, released together by a barrier, each making `batches`
/// batches of `CALLS` requests on `bucket` over the same stretch of time
/// from `start`: the time from the release until both are done, and how
/// many requests were granted. Starting the second thread is not timed.
fn contend(bucket: &dyn Bucket, start: u64, batches: u64) -> (Duration, u64) {
    let release = Barrier::new(2);
    let run = || (0..batches).map(|batch| hammer(bucket, start + batch * CALLS * INTERVAL)).sum::<u64>();
    thread::scope(|scope| {
        let other = scope.spawn(|| {
            release.wait();
            run()
        });
        release.wait();
        let began = Instant::now();
        let granted = run() + other.join().unwrap_or(0);
        (began.elapsed(), granted)
    })
}

criterion_group!(benches, rate_limit);
criterion_main!(benches);
