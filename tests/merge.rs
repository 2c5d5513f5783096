//! Hidden tests for the `merge` exercise (`exercises/src/merge.rs`).
//!
//! Tiers, by name prefix: `examples_` (the statement's examples), `edge_`
//! (no streams, empty streams, one stream, borrowed items), `property_`
//! (random streams, k = 2 to 1000, against a stable sort of the
//! concatenation; unsorted streams lose nothing), `robust_` (ties with
//! payloads, laziness measured with counting iterators, endless streams,
//! `for_each`/`fold` against `next()`, comparisons per item, a truthful size
//! hint, extreme keys), `scale_` (a hundred thousand streams, and two long
//! ones, in time).

use std::cmp::Ordering;
use std::fmt::Debug;

use kata::expect_eq;
use kata::generate::streams::{self, PullCounter, Tagged};
use kata::grade;
use kata::oracle::merge::{check_same_items, stable_merge, stable_merge_by};
use kata::property;
use kata::seed::rng_for;
use kata::subject::merge::{merge_sorted, merge_sorted_by};
use proptest::prelude::*;

const EXERCISE: &str = "merge";

/// Every item of the subject's `merge_sorted`, under the time limit.
fn merged<T: Ord + Send + 'static>(streams: Vec<Vec<T>>) -> Vec<T> {
    grade::run(EXERCISE, move || merge_sorted(streams).collect())
}

/// Every item of the subject's `merge_sorted_by`, under the time limit.
fn merged_by<T: Send + 'static>(streams: Vec<Vec<T>>, cmp: fn(&T, &T) -> Ordering) -> Vec<T> {
    grade::run(EXERCISE, move || merge_sorted_by(streams, cmp).collect())
}

/// What each tagged item carries, so that ties can be told apart.
fn parts(items: &[Tagged]) -> Vec<(u32, usize, usize)> {
    items.iter().map(Tagged::parts).collect()
}

/// `Ok` when `actual` is `expected`, else the first difference.
fn check_sequence<T: PartialEq + Debug>(actual: &[T], expected: &[T]) -> Result<(), String> {
    if let Some(at) = actual.iter().zip(expected).position(|(a, e)| a != e) {
        return Err(format!(
            "output item {at}: expected {:?}, got {:?} (the items around it: expected {:?}, got {:?})",
            expected[at],
            actual[at],
            &expected[at.saturating_sub(2)..(at + 3).min(expected.len())],
            &actual[at.saturating_sub(2)..(at + 3).min(actual.len())],
        ));
    }
    if actual.len() != expected.len() {
        return Err(format!("expected {} items, got {}", expected.len(), actual.len()));
    }
    Ok(())
}

/// Fails the test unless the subject's `merge_sorted` of tagged streams
/// is the stable merge: ties in stream order, then in order within a stream.
fn assert_stable_merge(streams: Vec<Vec<Tagged>>) {
    let expected = parts(&stable_merge(streams.clone()));
    let actual = parts(&merged(streams));
    if let Err(message) = check_sequence(&actual, &expected) {
        panic!(
            "{message}\n(items are (key, stream, position); equal keys must keep stream order, then position)"
        );
    }
}

/// `k` endless streams: stream `i` counts `i, i + k, i + 2k, ...`, each
/// allowed `budget` pulls. Merged, they count 0, 1, 2, ...
fn endless_streams(counter: &PullCounter, k: u64, budget: usize) -> Vec<impl Iterator<Item = u64> + use<>> {
    (0..k).map(|first| counter.wrap((first..).step_by(k as usize)).with_budget(budget)).collect()
}

/// `pulled[m]`: items pulled from `streams` after `m` items out of
/// `merge_sorted` (`pulled[0]`: right after the call).
fn pulls_per_item(streams: Vec<Vec<u64>>) -> Vec<usize> {
    let counter = PullCounter::new();
    let wrapped: Vec<_> = streams.into_iter().map(|stream| counter.wrap(stream)).collect();
    let mut merge = merge_sorted(wrapped);
    let mut pulled = vec![counter.pulled()];
    while merge.next().is_some() {
        pulled.push(counter.pulled());
    }
    pulled
}

/// `Ok` when after every `m` items out at most `m + k` were pulled.
fn check_lazy(pulled: &[usize], k: usize) -> Result<(), String> {
    match pulled.iter().enumerate().find(|&(m, &count)| count > m + k) {
        Some((m, count)) => Err(format!(
            "after {m} items out of {k} streams, {count} items were pulled (at most m + k = {} allowed): \
             the merge must read an input only when the next output needs it",
            m + k
        )),
        None => Ok(()),
    }
}

// ---------------------------------------------------------------- examples

#[test]
fn examples_three_streams_interleave() {
    let streams = vec![vec![1, 4, 7], vec![2, 5], vec![3, 6, 8]];
    expect_eq!(merged(streams), [1, 2, 3, 4, 5, 6, 7, 8]);
}

#[test]
fn examples_an_empty_stream_among_others() {
    expect_eq!(merged(vec![vec![1, 3], vec![], vec![2]]), [1, 2, 3]);
}

#[test]
fn examples_no_streams_yield_nothing() {
    expect_eq!(merged(Vec::<Vec<u32>>::new()), Vec::<u32>::new());
}

#[test]
fn examples_descending_comparator() {
    expect_eq!(merged_by(vec![vec![9, 4], vec![8, 7, 1]], |a, b| b.cmp(a)), [9, 8, 7, 4, 1]);
}

#[test]
fn examples_records_by_key_keep_stream_order_on_ties() {
    let streams = vec![vec![(1, "a0"), (2, "a1")], vec![(1, "b0"), (2, "b1")]];
    let expected = [(1, "a0"), (1, "b0"), (2, "a1"), (2, "b1")];
    expect_eq!(merged_by(streams, |x, y| x.0.cmp(&y.0)), expected);
}

#[test]
fn examples_endless_streams_of_multiples() {
    let first = grade::run(EXERCISE, || {
        let counter = PullCounter::new();
        let multiples = |step: usize| counter.wrap((0_u64..).step_by(step)).with_budget(100_000);
        merge_sorted(vec![multiples(3), multiples(5)]).take(6).collect::<Vec<_>>()
    });
    expect_eq!(first, [0, 0, 3, 5, 6, 9]);
}

#[test]
fn examples_an_unsorted_stream_loses_nothing() {
    let output = merged(vec![vec![5, 1], vec![3]]);
    if let Err(message) = check_same_items(vec![5, 1, 3], output) {
        panic!("{message}");
    }
}

// ---------------------------------------------------------------- edge

#[test]
fn edge_no_streams_with_a_comparator() {
    expect_eq!(merged_by(Vec::<Vec<u32>>::new(), |a, b| a.cmp(b)), Vec::<u32>::new());
}

#[test]
fn edge_only_empty_streams() {
    expect_eq!(merged(vec![Vec::<u32>::new(); 1000]), Vec::<u32>::new());
    expect_eq!(merged_by(vec![Vec::<u32>::new(); 3], |a, b| b.cmp(a)), Vec::<u32>::new());
}

#[test]
fn edge_one_stream_passes_through() {
    expect_eq!(merged(vec![vec![1, 1, 2, 3, 5, 8]]), [1, 1, 2, 3, 5, 8]);
    expect_eq!(merged(vec![vec![42]]), [42]);
    assert_stable_merge(streams::tag(vec![vec![4, 4, 4, 7, 7]]));
}

#[test]
fn edge_one_full_stream_among_many_empty_ones() {
    for full in [0, 1, 500, 999] {
        let mut streams = vec![Vec::new(); 1000];
        streams[full] = vec![3, 1, 4, 1, 5, 9, 2, 6];
        streams[full].sort_unstable();
        expect_eq!(merged(streams), [1, 1, 2, 3, 4, 5, 6, 9], "the full stream is stream {full}");
    }
}

#[test]
fn edge_empty_streams_among_full_ones() {
    let keys = vec![vec![], vec![2, 2, 5], vec![], vec![], vec![1, 2], vec![], vec![0, 9, 9], vec![]];
    assert_stable_merge(streams::tag(keys));
}

#[test]
fn edge_single_item_streams() {
    let keys: Vec<Vec<u32>> = [5, 3, 5, 1, 3, 5, 0].iter().map(|&key| vec![key]).collect();
    assert_stable_merge(streams::tag(keys));
}

#[test]
fn edge_streams_of_borrowed_items() {
    let (numbers, by_length) = grade::run(EXERCISE, || {
        let shards = [vec![1, 4, 9], vec![2, 3], vec![], vec![0, 10]];
        let words = [vec!["fig", "kiwi", "apple"], vec!["pear", "melon"]];
        let numbers: Vec<u32> =
            merge_sorted(shards.iter().map(|shard| shard.iter()).collect()).copied().collect();
        let by_length: Vec<&str> =
            merge_sorted_by(words.iter().map(|stream| stream.iter()).collect(), |a, b| a.len().cmp(&b.len()))
                .copied()
                .collect();
        (numbers, by_length)
    });
    expect_eq!(numbers, [0, 1, 2, 3, 4, 9, 10]);
    expect_eq!(by_length, ["fig", "kiwi", "pear", "apple", "melon"], "equal lengths keep stream order");
}

#[test]
fn edge_streams_of_ranges_and_owned_strings() {
    let (numbers, words) = grade::run(EXERCISE, || {
        let numbers: Vec<u32> = merge_sorted(vec![0..3, 2..4, 10..10, 1..2]).collect();
        let words: Vec<String> = merge_sorted(vec![
            vec!["b".to_owned(), "d".to_owned()],
            vec!["a".to_owned(), "c".to_owned(), "e".to_owned()],
        ])
        .collect();
        (numbers, words)
    });
    expect_eq!(numbers, [0, 1, 1, 2, 2, 3]);
    expect_eq!(words, ["a", "b", "c", "d", "e"]);
}

// ---------------------------------------------------------------- property

#[test]
fn property_matches_a_stable_sort_of_the_concatenation() {
    grade::run(EXERCISE, || {
        property::check(streams::sorted_key_streams(10, 16, 6), 300, |keys| {
            let tagged = streams::tag(keys);
            let expected = parts(&stable_merge(tagged.clone()));
            let actual = parts(&merge_sorted(tagged).collect::<Vec<_>>());
            check_sequence(&actual, &expected).map_err(TestCaseError::fail)
        });
    });
}

#[test]
fn property_descending_comparator_matches_the_stable_oracle() {
    let descending = |a: &Tagged, b: &Tagged| b.key.cmp(&a.key);
    grade::run(EXERCISE, move || {
        property::check(streams::sorted_key_streams(10, 16, 6), 300, |keys| {
            let mut tagged = streams::tag(keys);
            for stream in &mut tagged {
                stream.reverse();
                for (position, item) in stream.iter_mut().enumerate() {
                    item.position = position;
                }
            }
            let expected = parts(&stable_merge_by(tagged.clone(), descending));
            let actual = parts(&merge_sorted_by(tagged, descending).collect::<Vec<_>>());
            check_sequence(&actual, &expected).map_err(TestCaseError::fail)
        });
    });
}

#[test]
fn property_unsorted_streams_lose_nothing() {
    grade::run(EXERCISE, || {
        property::check(streams::unsorted_key_streams(8, 16, 20), 300, |keys| {
            let tagged = streams::tag(keys);
            let expected = parts(&tagged.concat());
            let by_ord = parts(&merge_sorted(tagged.clone()).collect::<Vec<_>>());
            check_same_items(expected.clone(), by_ord).map_err(TestCaseError::fail)?;
            let by_cmp = parts(&merge_sorted_by(tagged, |a, b| b.cmp(a)).collect::<Vec<_>>());
            check_same_items(expected, by_cmp).map_err(TestCaseError::fail)
        });
    });
}

#[test]
fn property_laziness_after_every_item() {
    grade::run(EXERCISE, || {
        property::check(streams::sorted_key_streams(12, 12, 30), 200, |keys| {
            let k = keys.len();
            let keys = keys.into_iter().map(|s| s.into_iter().map(u64::from).collect()).collect();
            check_lazy(&pulls_per_item(keys), k).map_err(TestCaseError::fail)
        });
    });
}

#[test]
fn property_k_2_8_64_1000_against_the_oracle() {
    for k in [2, 8, 64, 1000] {
        let mut rng = rng_for(&format!("property_k_{k}"));
        let tagged = streams::sorted_tagged_streams(&mut rng, k, 30 * k, 200);
        let expected = parts(&stable_merge(tagged.clone()));
        let (by_ord, by_cmp) = grade::run(EXERCISE, move || {
            let by_ord: Vec<Tagged> = merge_sorted(tagged.clone()).collect();
            let by_cmp: Vec<Tagged> = merge_sorted_by(tagged, |a, b| a.key.cmp(&b.key)).collect();
            (by_ord, by_cmp)
        });
        for (name, actual) in [("merge_sorted", by_ord), ("merge_sorted_by", by_cmp)] {
            if let Err(message) = check_sequence(&parts(&actual), &expected) {
                panic!("{name}, k = {k}: {message}");
            }
        }
    }
}

// ---------------------------------------------------------------- robust

#[test]
fn robust_many_ties_across_and_within_streams() {
    let mut rng = rng_for("robust_many_ties");
    for (k, distinct_keys) in [(2, 1), (5, 2), (16, 3), (100, 4)] {
        assert_stable_merge(streams::sorted_tagged_streams(&mut rng, k, 40 * k, distinct_keys));
    }
}

#[test]
fn robust_for_each_and_fold_agree_with_next() {
    // Consumers like `for_each`, `sum` and `count` call `fold`, which a merge
    // may override: it must yield the same items in the same stable order,
    // also after some items were taken with `next()`.
    let mut rng = rng_for("robust_fold");
    for (k, distinct_keys) in [(1, 3), (3, 2), (8, 5), (64, 50)] {
        let mut keys = streams::sorted_tagged_streams(&mut rng, k, 30 * k, distinct_keys);
        keys.insert(k / 2, Vec::new());
        let expected = parts(&stable_merge(keys.clone()));
        for taken in [0, 1, 7, expected.len()] {
            let keys = keys.clone();
            let actual = grade::run(EXERCISE, move || {
                let mut merge = merge_sorted(keys);
                let mut out: Vec<Tagged> = merge.by_ref().take(taken).collect();
                merge.for_each(|item| out.push(item));
                out
            });
            if let Err(message) = check_sequence(&parts(&actual), &expected) {
                panic!("k = {k}, {taken} items by next() then the rest by for_each: {message}");
            }
        }
        let counted = grade::run(EXERCISE, move || merge_sorted(keys).count());
        expect_eq!(counted, expected.len(), "k = {k}: count() of the merge");
    }
}

#[test]
fn robust_every_item_equal_comes_out_in_stream_then_input_order() {
    let keys = vec![vec![7; 4], vec![7; 1], vec![], vec![7; 3]];
    assert_stable_merge(streams::tag(keys));
}

#[test]
fn robust_records_by_key_with_payloads() {
    #[derive(Debug, Clone, PartialEq)]
    struct Event {
        time: u32,
        shard: &'static str,
        seq: u32,
    }
    let event = |time, shard, seq| Event { time, shard, seq };
    let streams = vec![
        vec![event(1, "a", 0), event(3, "a", 1), event(3, "a", 2), event(8, "a", 3)],
        vec![event(3, "b", 0), event(3, "b", 1), event(9, "b", 2)],
        vec![event(0, "c", 0), event(3, "c", 1)],
    ];
    let expected = stable_merge_by(streams.clone(), |x, y| x.time.cmp(&y.time));
    let actual = merged_by(streams, |x, y| x.time.cmp(&y.time));
    if let Err(message) = check_sequence(&actual, &expected) {
        panic!("{message}");
    }
}

#[test]
fn robust_an_out_of_order_stream_keeps_its_tail() {
    // A merge that stops reading a stream once it goes down loses 3 and 4.
    for streams in [vec![vec![1, 2, 9, 3, 4], vec![5, 6]], vec![vec![5, 6], vec![1, 2, 9, 3, 4]]] {
        let expected: Vec<u32> = streams.concat();
        if let Err(message) = check_same_items(expected, merged(streams.clone())) {
            panic!("streams {streams:?}: {message}");
        }
        let expected: Vec<u32> = streams.concat();
        if let Err(message) = check_same_items(expected, merged_by(streams.clone(), |a, b| a.cmp(b))) {
            panic!("streams {streams:?}, by comparator: {message}");
        }
    }
}

#[test]
fn robust_reversed_streams_lose_nothing() {
    let mut rng = rng_for("robust_reversed_streams");
    let mut keys = streams::sorted_streams(&mut rng, 16, 2_000, 0..500);
    for stream in keys.iter_mut().step_by(2) {
        stream.reverse();
    }
    let expected = keys.concat();
    if let Err(message) = check_same_items(expected, merged(keys)) {
        panic!("{message}");
    }
}

#[test]
fn robust_lazy_pulls_at_most_m_plus_k() {
    let mut rng = rng_for("robust_lazy");
    for k in [1, 2, 7, 64, 300] {
        let keys = streams::sorted_streams(&mut rng, k, 20 * k, 0..1_000);
        let pulled = grade::run(EXERCISE, move || pulls_per_item(keys));
        if let Err(message) = check_lazy(&pulled, k) {
            panic!("{message}");
        }
    }
}

#[test]
fn robust_lazy_with_a_comparator() {
    let pulled = grade::run(EXERCISE, || {
        let counter = PullCounter::new();
        let streams =
            vec![counter.wrap(vec![9, 5, 1]), counter.wrap(vec![8, 2]), counter.wrap(vec![7, 6, 3])];
        let mut merge = merge_sorted_by(streams, |a: &u32, b: &u32| b.cmp(a));
        let mut pulled = vec![counter.pulled()];
        while merge.next().is_some() {
            pulled.push(counter.pulled());
        }
        pulled
    });
    expect_eq!(pulled.len(), 9, "8 items should come out");
    if let Err(message) = check_lazy(&pulled, 3) {
        panic!("{message}");
    }
}

#[test]
fn robust_endless_streams_merge_lazily() {
    let (first, pulled) = grade::run(EXERCISE, || {
        let counter = PullCounter::new();
        let first: Vec<u64> = merge_sorted(endless_streams(&counter, 8, 1_000_000)).take(10_000).collect();
        (first, counter.pulled())
    });
    expect_eq!(first, (0..10_000).collect::<Vec<u64>>());
    assert!(pulled <= 10_000 + 8, "{pulled} items pulled for 10000 out of 8 streams");
}

#[test]
fn robust_endless_streams_with_a_comparator() {
    let first = grade::run(EXERCISE, || {
        let counter = PullCounter::new();
        merge_sorted_by(endless_streams(&counter, 3, 1_000_000), |a, b| a.cmp(b))
            .take(1_000)
            .collect::<Vec<_>>()
    });
    expect_eq!(first, (0..1_000).collect::<Vec<u64>>());
}

#[test]
fn robust_comparisons_per_item_are_logarithmic() {
    let mut rng = rng_for("robust_comparisons");
    for k in [16_usize, 1024] {
        let keys = streams::sorted_streams(&mut rng, k, 64 * k, 0..u64::MAX);
        let total = 64 * k;
        let expected = stable_merge(keys.clone());
        let (actual, comparisons) = grade::run(EXERCISE, move || {
            let mut comparisons = 0_usize;
            let merged: Vec<u64> = merge_sorted_by(keys, |a, b| {
                comparisons += 1;
                a.cmp(b)
            })
            .collect();
            (merged, comparisons)
        });
        expect_eq!(actual, expected, "k = {k}: wrong output");
        // A heap or a tournament tree needs at most about 2 log2(k) per item
        // (plus building); a scan of the k heads needs k - 1.
        let levels = k.ilog2() as usize;
        let allowed = total * (3 * levels + 4) + 4 * k;
        assert!(
            comparisons <= allowed,
            "k = {k}: {comparisons} comparisons for {total} items ({:.1} per item; about {levels} per \
             item are enough): find the next item in O(log k), not by scanning all k heads",
            comparisons as f64 / total as f64
        );
    }
}

#[test]
fn robust_size_hint_is_truthful() {
    // Any hint is allowed ((0, None) always is); a wrong one is not: `collect`
    // and friends trust it. Checked before each item and at the end.
    let mut rng = rng_for("robust_size_hint");
    let keys = streams::sorted_streams(&mut rng, 5, 40, 0..100);
    let wrong = grade::run(EXERCISE, move || {
        let mut merge = merge_sorted(keys);
        let mut remaining = 40_usize;
        let mut wrong = Vec::new();
        loop {
            let (low, high) = merge.size_hint();
            if low > remaining || high.is_some_and(|high| high < remaining) {
                wrong.push(format!("({low}, {high:?}) with {remaining} items left"));
            }
            if merge.next().is_none() {
                break;
            }
            remaining = remaining.saturating_sub(1);
        }
        wrong
    });
    assert!(wrong.is_empty(), "size_hint must bound the items left: {wrong:?}");
}

#[test]
fn robust_extreme_keys() {
    let streams = vec![
        vec![i64::MIN, -1, 0, i64::MAX],
        vec![i64::MIN, i64::MIN, i64::MAX, i64::MAX],
        vec![],
        vec![0, 0],
    ];
    let expected = stable_merge(streams.clone());
    expect_eq!(merged(streams), expected);
}

// ---------------------------------------------------------------- scale

#[test]
fn scale_a_hundred_thousand_streams() {
    // An O(log k) merge takes milliseconds; a scan of all k heads per item
    // makes 4 * 10^10 comparisons.
    let k = 100_000;
    let mut rng = rng_for("scale_a_hundred_thousand_streams");
    let keys = streams::sorted_streams(&mut rng, k, 4 * k, 0..u64::MAX);
    let expected = stable_merge(keys.clone());
    let actual =
        grade::run_within(EXERCISE, grade::SCALE_LIMIT, move || merge_sorted(keys).collect::<Vec<_>>());
    assert!(actual == expected, "{}", check_sequence(&actual, &expected).err().unwrap_or_default());
}

#[test]
fn scale_two_long_streams() {
    let mut rng = rng_for("scale_two_long_streams");
    let keys = streams::sorted_streams(&mut rng, 2, 2_000_000, 0..1_000_000);
    let expected = stable_merge(keys.clone());
    let actual = grade::run_within(EXERCISE, grade::SCALE_LIMIT, move || {
        merge_sorted_by(keys, |a, b| a.cmp(b)).collect::<Vec<_>>()
    });
    assert!(actual == expected, "{}", check_sequence(&actual, &expected).err().unwrap_or_default());
}
