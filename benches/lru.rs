//! An LRU cache under a skewed workload: 1,000,000 operations (80% `get`,
//! 20% `put`, keys drawn from a Zipf law over 100,000 keys) on a cache of
//! capacity 10,000. The reference (an index-linked arena) against the
//! candidate, the `lru` crate (peer: a hashbrown map into a pointer-linked
//! list) and a `Vec` kept in move-to-front order (naive).
//!
//! `cargo bench --bench lru`. Each measured run starts from an empty cache
//! and replays the same operations; the move-to-front baseline replays the
//! first tenth of them (its per-operation throughput is what compares).

use std::hint::black_box;
#[cfg(feature = "peer-crates")]
use std::num::NonZeroUsize;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use kata::bench::Role;
use kata::generate::serving::{CacheOp, zipf_cache_ops};
use kata::oracle::lru::VecLru;
#[cfg(feature = "with-reference")]
use kata::reference;
use kata::seed::rng_for;
use kata::{bench, subject};

/// The plain rung: a `HashMap` and a queue of accesses, stale entries skipped lazily.
#[cfg(feature = "with-reference")]
#[allow(unused, unreachable_pub, clippy::all, clippy::pedantic, clippy::unwrap_used)]
#[path = "../answers/lru/right_lazy_deque.rs"]
mod plain;

const OPERATIONS: usize = 1_000_000;
const CAPACITY: usize = 10_000;
const KEY_SPACE: usize = 100_000;

/// Replays `ops` through `get` and `put`; returns a checksum of the answers.
fn replay(
    ops: &[CacheOp],
    mut get: impl FnMut(u64) -> Option<u64>,
    mut put: impl FnMut(u64, u64) -> bool,
) -> u64 {
    ops.iter()
        .map(|&op| match op {
            CacheOp::Get(key) | CacheOp::Peek(key) => get(key).unwrap_or(1),
            CacheOp::Put(key, value) => u64::from(put(key, value)),
        })
        .fold(0, u64::wrapping_add)
}

/// Replays `ops` on a new cache made by `$new(CAPACITY)` (any of the
/// contract's `LruCache` types: they share method names, not a trait);
/// 0 when it refuses the capacity.
macro_rules! replay_on_new {
    ($new:path, $ops:expr) => {
        match $new(CAPACITY) {
            Ok(mut cache) => {
                let cache = std::cell::RefCell::new(&mut cache);
                replay(
                    $ops,
                    |key| cache.borrow_mut().get(&key).copied(),
                    |key, value| cache.borrow_mut().put(key, value).is_some(),
                )
            }
            Err(_) => 0,
        }
    };
}

fn lru(c: &mut Criterion) {
    let candidate_ready = bench::candidate_ready("lru", || {
        if let Ok(mut cache) = subject::lru::LruCache::new(1) {
            cache.put(1_u64, 1_u64);
        }
    });
    let ops = zipf_cache_ops(&mut rng_for("bench-lru"), OPERATIONS, KEY_SPACE, 0.8);

    let mut group = c.benchmark_group("lru, 1M Zipf operations (80% get), capacity 10,000");
    group.sample_size(10);
    group.throughput(Throughput::Elements(OPERATIONS as u64));
    #[cfg(feature = "with-reference")]
    group.bench_with_input(
        BenchmarkId::new(Role::Plain.implementation("lazy deque"), CAPACITY),
        &ops,
        |b, ops| b.iter(|| replay_on_new!(plain::LruCache::new, ops)),
    );
    #[cfg(feature = "with-reference")]
    group.bench_with_input(BenchmarkId::new(Role::Reference.implementation(""), CAPACITY), &ops, |b, ops| {
        b.iter(|| replay_on_new!(reference::lru::LruCache::new, ops))
    });
    if candidate_ready {
        group.bench_with_input(
            BenchmarkId::new(Role::Candidate.implementation(""), CAPACITY),
            &ops,
            |b, ops| b.iter(|| replay_on_new!(subject::lru::LruCache::new, ops)),
        );
    }
    #[cfg(feature = "peer-crates")]
    group.bench_with_input(BenchmarkId::new(Role::Peer.implementation("lru"), CAPACITY), &ops, |b, ops| {
        b.iter(|| {
            let mut cache = ::lru::LruCache::new(NonZeroUsize::new(CAPACITY).unwrap_or(NonZeroUsize::MIN));
            let cache = std::cell::RefCell::new(&mut cache);
            replay(
                ops,
                |key| cache.borrow_mut().get(&key).copied(),
                |key, value| cache.borrow_mut().push(key, value).is_some_and(|(old, _)| old != key),
            )
        })
    });
    group.finish();

    let tenth = &ops[..OPERATIONS / 10];
    let mut group = c.benchmark_group("lru, 100k Zipf operations (80% get), capacity 10,000");
    group.sample_size(10);
    group.throughput(Throughput::Elements(tenth.len() as u64));
    #[cfg(feature = "with-reference")]
    group.bench_with_input(
        BenchmarkId::new(Role::Reference.implementation(""), CAPACITY),
        tenth,
        |b, ops| b.iter(|| replay_on_new!(reference::lru::LruCache::new, ops)),
    );
    group.bench_with_input(
        BenchmarkId::new(Role::Naive.implementation("Vec move-to-front"), CAPACITY),
        tenth,
        |b, ops| {
            b.iter(|| {
                let cache = std::cell::RefCell::new(VecLru::new(CAPACITY));
                black_box(replay(
                    ops,
                    |key| cache.borrow_mut().get(&key).copied(),
                    |key, value| cache.borrow_mut().put(key, value).is_some(),
                ))
            })
        },
    );
    group.finish();
}

criterion_group!(benches, lru);
criterion_main!(benches);
