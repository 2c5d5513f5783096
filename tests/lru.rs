//! Hidden tests for the `lru` exercise (`exercises/src/lru.rs`).
//!
//! Tiers, by name prefix: `examples_` (the statement's walk-through),
//! `edge_` (zero capacity, capacity one, replacing in a full cache, peek
//! leaves the order alone, the exact capacity), `property_` (random
//! operation sequences against a move-to-front list), `robust_` (every value
//! dropped exactly once, counted; string and Unicode keys; keys whose hashes
//! all collide; a huge capacity that must not be allocated up front),
//! `scale_` (a million Zipf operations at capacity 100,000, in time).

use std::hash::{Hash, Hasher};
use std::sync::atomic::{AtomicUsize, Ordering};

use kata::expect_eq;
use kata::generate::serving::{CacheOp, cache_ops, zipf_cache_ops};
use kata::grade;
use kata::oracle::lru::VecLru;
use kata::property;
use kata::seed::rng_for;
use kata::subject::lru::{CacheError, LruCache};
use proptest::prelude::*;

const EXERCISE: &str = "lru";

/// What each operation returned, comparable between subject and oracle.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Outcome {
    Found(Option<u64>),
    Evicted(Option<(u64, u64)>),
}

/// Runs `ops` on the subject's cache of `capacity`; each outcome, then the length.
fn run_subject(capacity: usize, ops: &[CacheOp]) -> (Vec<Outcome>, usize) {
    let mut cache = LruCache::new(capacity).expect("capacity > 0 is valid");
    let outcomes = ops
        .iter()
        .map(|&op| match op {
            CacheOp::Get(key) => Outcome::Found(cache.get(&key).copied()),
            CacheOp::Peek(key) => Outcome::Found(cache.peek(&key).copied()),
            CacheOp::Put(key, value) => Outcome::Evicted(cache.put(key, value)),
        })
        .collect();
    (outcomes, cache.len())
}

/// The same on the move-to-front oracle.
fn run_oracle(capacity: usize, ops: &[CacheOp]) -> (Vec<Outcome>, usize) {
    let mut cache = VecLru::new(capacity);
    let outcomes = ops
        .iter()
        .map(|&op| match op {
            CacheOp::Get(key) => Outcome::Found(cache.get(&key).copied()),
            CacheOp::Peek(key) => Outcome::Found(cache.peek(&key).copied()),
            CacheOp::Put(key, value) => Outcome::Evicted(cache.put(key, value)),
        })
        .collect();
    (outcomes, cache.len())
}

/// `Ok` when the subject and the oracle agree on every operation, else the
/// first difference with the operations before it and a likely cause.
fn check_ops(capacity: usize, ops: &[CacheOp], actual: &(Vec<Outcome>, usize)) -> Result<(), String> {
    let expected = run_oracle(capacity, ops);
    if let Some(at) = expected.0.iter().zip(&actual.0).position(|(want, got)| want != got) {
        let hint = match (&expected.0[at], &actual.0[at]) {
            (Outcome::Evicted(None), Outcome::Evicted(Some(_))) => {
                " (a put of a present key only replaces its value; a put into a cache with room evicts nothing)"
            }
            (Outcome::Evicted(Some(_)), Outcome::Evicted(Some(_))) => {
                " (evict the least recently used entry: get and put refresh an entry, peek does not)"
            }
            (Outcome::Evicted(Some(_)), Outcome::Evicted(None)) => {
                " (a new key into a full cache evicts and returns the least recent entry)"
            }
            _ => " (a key stays cached until it is the least recent one when a new key arrives)",
        };
        return Err(format!(
            "capacity {capacity}: operation {at}, {:?}: expected {:?}, got {:?}{hint}; the operations before it: {:?}",
            ops[at],
            expected.0[at],
            actual.0[at],
            &ops[at.saturating_sub(8)..at]
        ));
    }
    if expected.1 != actual.1 {
        return Err(format!(
            "capacity {capacity}: len() is {} after the operations, expected {}",
            actual.1, expected.1
        ));
    }
    Ok(())
}

/// Fails the test unless the subject runs `ops` as the oracle does.
fn assert_ops(capacity: usize, ops: Vec<CacheOp>) {
    let actual = {
        let ops = ops.clone();
        grade::run(EXERCISE, move || run_subject(capacity, &ops))
    };
    if let Err(message) = check_ops(capacity, &ops, &actual) {
        panic!("{message}");
    }
}

// ---------------------------------------------------------------- examples

#[test]
fn examples_the_statements_walk_through() {
    let steps = grade::run(EXERCISE, || {
        let mut cache = LruCache::new(2).expect("valid");
        let mut log = Vec::new();
        log.push(format!("{:?}", cache.put(1, "a")));
        log.push(format!("{:?}", cache.put(2, "b")));
        log.push(format!("{:?}", cache.get(&1)));
        log.push(format!("{:?}", cache.put(3, "c")));
        log.push(format!("{:?}", cache.peek(&1)));
        log.push(format!("{:?}", cache.put(4, "d")));
        log.push(format!("{:?}", cache.put(3, "C")));
        log.push(format!("{:?}", cache.get(&2)));
        log.push(format!("{:?}", (cache.len(), cache.capacity())));
        log
    });
    let expected = [
        "None",
        "None",
        "Some(\"a\")",
        "Some((2, \"b\"))",
        "Some(\"a\")",
        "Some((1, \"a\"))",
        "None",
        "None",
        "(2, 2)",
    ];
    for (step, (got, want)) in steps.iter().zip(expected).enumerate() {
        expect_eq!(
            got,
            want,
            "step {step} of the statement's example (steps: put 1, put 2, get 1, put 3, peek 1, put 4, put 3 again, get 2, len/capacity)"
        );
    }
}

// ---------------------------------------------------------------- edge

#[test]
fn edge_zero_capacity_is_an_error() {
    let result = grade::run(EXERCISE, || LruCache::<u64, u64>::new(0).err());
    expect_eq!(result, Some(CacheError::ZeroCapacity));
}

#[test]
fn edge_a_new_cache_is_empty() {
    let result = grade::run(EXERCISE, || {
        let mut cache = LruCache::<u64, u64>::new(3).expect("valid");
        (cache.len(), cache.is_empty(), cache.capacity(), cache.get(&1).copied(), cache.peek(&1).copied())
    });
    expect_eq!(result, (0, true, 3, None, None));
}

#[test]
fn edge_a_cache_with_an_entry_is_not_empty() {
    let result = grade::run(EXERCISE, || {
        let mut cache = LruCache::<u64, u64>::new(3).expect("valid");
        cache.put(1, 10);
        (cache.len(), cache.is_empty())
    });
    expect_eq!(result, (1, false), "(len, is_empty) after one put: expected (1, false), got {result:?}");
}

#[test]
fn edge_capacity_one_keeps_only_the_last_key() {
    assert_ops(
        1,
        vec![
            CacheOp::Put(1, 10),
            CacheOp::Get(1),
            CacheOp::Put(2, 20),
            CacheOp::Get(1),
            CacheOp::Get(2),
            CacheOp::Put(2, 21),
            CacheOp::Peek(2),
            CacheOp::Put(3, 30),
        ],
    );
}

#[test]
fn edge_holds_exactly_capacity_entries() {
    let ops: Vec<CacheOp> =
        (0..5).map(|key| CacheOp::Put(key, key)).chain((0..5).map(CacheOp::Peek)).collect();
    let actual = {
        let ops = ops.clone();
        grade::run(EXERCISE, move || run_subject(4, &ops))
    };
    if let Err(message) = check_ops(4, &ops, &actual) {
        panic!(
            "{message} (a cache of capacity 4 holds 4 entries: the fifth put evicts key 0, and only key 0)"
        );
    }
}

#[test]
fn edge_put_of_a_present_key_in_a_full_cache_evicts_nothing() {
    assert_ops(
        3,
        vec![
            CacheOp::Put(1, 1),
            CacheOp::Put(2, 2),
            CacheOp::Put(3, 3),
            CacheOp::Put(1, 100),
            CacheOp::Peek(1),
            CacheOp::Peek(2),
            CacheOp::Peek(3),
            CacheOp::Put(4, 4),
            CacheOp::Peek(2),
        ],
    );
}

#[test]
fn edge_get_refreshes_and_peek_does_not() {
    assert_ops(
        2,
        vec![
            CacheOp::Put(1, 1),
            CacheOp::Put(2, 2),
            CacheOp::Get(1),
            CacheOp::Put(3, 3),
            CacheOp::Peek(2),
            CacheOp::Peek(1),
            CacheOp::Put(4, 4),
            CacheOp::Peek(1),
        ],
    );
}

#[test]
fn edge_a_missing_get_changes_nothing() {
    assert_ops(
        2,
        vec![
            CacheOp::Put(1, 1),
            CacheOp::Put(2, 2),
            CacheOp::Get(9),
            CacheOp::Peek(9),
            CacheOp::Put(3, 3),
            CacheOp::Peek(1),
            CacheOp::Peek(2),
        ],
    );
}

// ---------------------------------------------------------------- property

#[test]
fn property_matches_a_move_to_front_list() {
    let strategy = (1_usize..8, cache_ops(12, 300));
    grade::run(EXERCISE, move || {
        property::check(strategy, 400, |(capacity, ops)| {
            let actual = run_subject(capacity, &ops);
            check_ops(capacity, &ops, &actual).map_err(TestCaseError::fail)
        });
    });
}

#[test]
fn property_matches_a_move_to_front_list_with_larger_caches() {
    let strategy = (1_usize..200, cache_ops(300, 2_000));
    grade::run(EXERCISE, move || {
        property::check(strategy, 60, |(capacity, ops)| {
            let actual = run_subject(capacity, &ops);
            check_ops(capacity, &ops, &actual).map_err(TestCaseError::fail)
        });
    });
}

// ---------------------------------------------------------------- robust

/// How many times each tracked value has been dropped.
struct DropLedger {
    drops: Vec<AtomicUsize>,
}

/// A value that records its drop in a ledger.
#[derive(Debug)]
struct Tracked {
    id: usize,
    ledger: &'static DropLedger,
}

impl Drop for Tracked {
    fn drop(&mut self) {
        self.ledger.drops[self.id].fetch_add(1, Ordering::Relaxed);
    }
}

impl std::fmt::Debug for DropLedger {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(formatter, "DropLedger({} values)", self.drops.len())
    }
}

#[test]
fn robust_every_value_is_dropped_exactly_once() {
    let ops = zipf_cache_ops(&mut rng_for("robust-drops"), 5_000, 40, 0.5);
    let ledger: &'static DropLedger =
        Box::leak(Box::new(DropLedger { drops: (0..ops.len()).map(|_| AtomicUsize::new(0)).collect() }));
    let (mid_run, puts) = grade::run(EXERCISE, move || {
        let mut cache = LruCache::new(16).expect("valid");
        let mut puts = Vec::new();
        let mut mid_run = None;
        for (id, op) in ops.iter().enumerate() {
            match *op {
                CacheOp::Put(key, _) => {
                    puts.push(id);
                    // The evicted value is dropped here, by the caller.
                    drop(cache.put(key, Tracked { id, ledger }));
                }
                CacheOp::Get(key) | CacheOp::Peek(key) => {
                    let _ = cache.get(&key).map(|value| value.id);
                }
            }
            if id == ops.len() / 2 {
                mid_run =
                    Some(ledger.drops.iter().map(|count| count.load(Ordering::Relaxed)).collect::<Vec<_>>());
            }
        }
        drop(cache);
        (mid_run, puts)
    });
    let counts: Vec<usize> = ledger.drops.iter().map(|count| count.load(Ordering::Relaxed)).collect();
    if let Some(&id) = puts.iter().find(|&&id| counts[id] != 1) {
        panic!(
            "the value put by operation {id} was dropped {} times, expected exactly once (by the cache when replaced, \
             by the caller when evicted and returned, or when the cache is dropped): {}",
            counts[id],
            if counts[id] == 0 { "it leaked" } else { "a double drop" }
        );
    }
    if let Some(mid_run) = mid_run {
        let live = puts.iter().filter(|&&id| id <= ledger.drops.len() / 2 && mid_run[id] == 0).count();
        assert!(
            live <= 16,
            "mid-run, {live} values were alive in a cache of capacity 16: replaced values must be dropped at once"
        );
    }
}

/// A key whose hashes all collide: the map degrades, the answers must not.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Colliding(u64);

impl Hash for Colliding {
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_u64(7);
    }
}

#[test]
fn robust_keys_whose_hashes_all_collide() {
    let answers = grade::run(EXERCISE, || {
        let mut cache = LruCache::new(3).expect("valid");
        let mut evicted = Vec::new();
        for key in 0..6 {
            evicted.push(cache.put(Colliding(key), key).map(|(key, value)| (key.0, value)));
        }
        let found: Vec<Option<u64>> = (0..6).map(|key| cache.peek(&Colliding(key)).copied()).collect();
        (evicted, found)
    });
    expect_eq!(
        answers.0,
        [None, None, None, Some((0, 0)), Some((1, 1)), Some((2, 2))],
        "evictions with colliding hashes"
    );
    expect_eq!(answers.1, [None, None, None, Some(3), Some(4), Some(5)], "lookups with colliding hashes");
}

#[test]
fn robust_string_and_unicode_keys() {
    let answers = grade::run(EXERCISE, || {
        let mut cache: LruCache<String, usize> = LruCache::new(2).expect("valid");
        cache.put("größe".to_owned(), 1);
        cache.put("e\u{301}".to_owned(), 2);
        let refreshed = cache.get(&"größe".to_owned()).copied();
        let evicted = cache.put("é".to_owned(), 3);
        let composed = cache.peek(&"é".to_owned()).copied();
        (refreshed, evicted, composed)
    });
    expect_eq!(
        answers,
        (Some(1), Some(("e\u{301}".to_owned(), 2)), Some(3)),
        "\"é\" and \"e\\u{{301}}\" are different keys"
    );
}

#[test]
fn robust_a_huge_capacity_is_not_allocated_up_front() {
    let result = grade::run(EXERCISE, || {
        let mut cache = LruCache::new(usize::MAX).expect("valid");
        for key in 0..1_000_u64 {
            cache.put(key, key);
        }
        (cache.len(), cache.capacity(), cache.get(&0).copied())
    });
    expect_eq!(
        result,
        (1_000, usize::MAX, Some(0)),
        "capacity usize::MAX: allocate as entries arrive, not for the capacity"
    );
}

// ---------------------------------------------------------------- scale

#[test]
fn scale_a_million_zipf_operations_at_capacity_100_000() {
    // Fill the cache with 100,000 cold keys, then a million skewed operations.
    let cold = (0..100_000_u64).map(|key| CacheOp::Put(key | 1 << 63, key));
    let ops: Vec<CacheOp> =
        cold.chain(zipf_cache_ops(&mut rng_for("scale-lru"), 1_000_000, 1_000_000, 0.8)).collect();
    let checksum = grade::run_within(EXERCISE, grade::SCALE_LIMIT, move || {
        let mut cache = LruCache::new(100_000).expect("valid");
        let mut checksum = 0_u64;
        for op in &ops {
            match *op {
                CacheOp::Get(key) | CacheOp::Peek(key) => {
                    checksum += cache.get(&key).copied().unwrap_or(0) & 1
                }
                CacheOp::Put(key, value) => checksum += u64::from(cache.put(key, value).is_some()),
            }
        }
        (checksum, cache.len())
    });
    expect_eq!(checksum.1, 100_000, "a cache of capacity 100,000 fed 100,000 distinct keys ends full");
}
