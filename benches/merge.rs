//! K-way merge of 8 million sorted `u64` keys split over k = 2, 8, 64 and
//! 1024 streams: the reference (a loser tree) against the candidate,
//! `itertools::kmerge` (peer, a binary heap) and concatenating the streams
//! then `sort_unstable` (the eager baseline), on the same streams in the
//! same run.
//!
//! A second group asks the same question at k = 64 on every realistic
//! shape of input ([`StreamShape`]: uniform keys, one long stream among
//! short ones, disjoint runs, 1,000 distinct keys), each consumed twice:
//! with `for_each` (internal iteration, `fold`) and with a `for` loop
//! (external iteration, `next()`), since a merge may special-case the first.
//! Beside them a floor: pulling the items from their streams in merged
//! order, run by run, with no comparison at all. A lazy merge must pull
//! in about that order (after `m` items out, at most `m + k` pulled), so
//! kmerge / floor bounds what any merge can gain over kmerge on a shape.
//! A second floor pulls in the same order but makes each pull wait for the
//! key pulled before it, as in a merge (the next stream depends on that
//! key): on shapes where the next stream cannot be predicted (uniform
//! keys), kmerge / that floor bounds the gain of any merge that does not
//! guess.
//!
//! `cargo bench --bench merge`; the ratios that matter are candidate /
//! reference and kmerge / reference per k and per shape. Merges are
//! consumed item by item (as a streaming consumer would); the sort
//! baseline has to build its output vector, which is its cost.

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use kata::bench::Role;
use kata::generate::streams::{StreamShape, sorted_streams};
#[cfg(feature = "with-reference")]
use kata::reference;
use kata::seed::rng_for;
use kata::{bench, subject};

/// The plain rung: `std`'s `BinaryHeap` of each stream's head.
#[cfg(feature = "with-reference")]
#[allow(unused, unreachable_pub, clippy::all, clippy::pedantic, clippy::unwrap_used)]
#[path = "../answers/merge/right_binary_heap.rs"]
mod plain;

/// Total keys per merge, split over the streams.
const TOTAL_KEYS: usize = 8_000_000;

/// Numbers of streams.
const STREAM_COUNTS: [usize; 4] = [2, 8, 64, 1024];

/// The eager baseline: every key in one vector, then an unstable sort.
fn concatenate_and_sort(streams: &[Vec<u64>]) -> Vec<u64> {
    let mut all = Vec::with_capacity(streams.iter().map(Vec::len).sum());
    for stream in streams {
        all.extend_from_slice(stream);
    }
    all.sort_unstable();
    all
}

/// The streams as fresh borrowing iterators (cheap to make on every run).
fn iterators(streams: &[Vec<u64>]) -> Vec<std::iter::Copied<std::slice::Iter<'_, u64>>> {
    streams.iter().map(|stream| stream.iter().copied()).collect()
}

fn merge(c: &mut Criterion) {
    let candidate_ready = bench::candidate_ready("merge", || {
        let _ = subject::merge::merge_sorted(vec![vec![2_u64], vec![1]]).count();
    });
    let mut rng = rng_for("bench-merge");
    let mut group = c.benchmark_group("merge 8M u64 keys");
    group.sample_size(10);
    group.throughput(Throughput::Elements(TOTAL_KEYS as u64));
    for k in STREAM_COUNTS {
        let streams = sorted_streams(&mut rng, k, TOTAL_KEYS, 0..u64::MAX);
        #[cfg(feature = "with-reference")]
        {
            group.bench_with_input(
                BenchmarkId::new(Role::Reference.implementation(""), k),
                &streams,
                |bench, streams| {
                    bench.iter(|| {
                        reference::merge::merge_sorted(iterators(black_box(streams))).for_each(|key| {
                            black_box(key);
                        })
                    })
                },
            );
            group.bench_with_input(
                BenchmarkId::new(Role::Plain.implementation("BinaryHeap"), k),
                &streams,
                |bench, streams| {
                    bench.iter(|| {
                        plain::merge_sorted(iterators(black_box(streams))).for_each(|key| {
                            black_box(key);
                        })
                    })
                },
            );
        }
        if candidate_ready {
            group.bench_with_input(
                BenchmarkId::new(Role::Candidate.implementation(""), k),
                &streams,
                |bench, streams| {
                    bench.iter(|| {
                        subject::merge::merge_sorted(iterators(black_box(streams))).for_each(|key| {
                            black_box(key);
                        })
                    })
                },
            );
        }
        #[cfg(feature = "peer-crates")]
        group.bench_with_input(
            BenchmarkId::new(Role::Peer.implementation("itertools-kmerge"), k),
            &streams,
            |bench, streams| {
                bench.iter(|| {
                    itertools::kmerge(iterators(black_box(streams))).for_each(|key| {
                        black_box(key);
                    })
                })
            },
        );
        group.bench_with_input(
            BenchmarkId::new(Role::Naive.implementation("concat + sort_unstable"), k),
            &streams,
            |bench, streams| bench.iter(|| black_box(concatenate_and_sort(black_box(streams)))),
        );
    }
    group.finish();
}

/// Streams per merge in the shapes group: where `kmerge` was measured to
/// catch up.
const SHAPE_STREAMS: usize = 64;

/// The merged order as runs: `(stream, items)` for each stretch of the
/// output that comes from one stream (ties in stream order, as a stable
/// merge gives them).
fn merged_runs(streams: &[Vec<u64>]) -> Vec<(usize, usize)> {
    let mut origins: Vec<(u64, usize)> =
        streams.iter().enumerate().flat_map(|(j, stream)| stream.iter().map(move |&key| (key, j))).collect();
    origins.sort_unstable();
    let mut runs: Vec<(usize, usize)> = Vec::new();
    for (_, stream) in origins {
        match runs.last_mut() {
            Some((last, items)) if *last == stream => *items += 1,
            _ => runs.push((stream, 1)),
        }
    }
    runs
}

/// The floor: every item pulled from its stream in merged order, run by
/// run, and nothing else.
fn pull_in_merged_order(streams: &[Vec<u64>], runs: &[(usize, usize)]) {
    let mut iterators = iterators(streams);
    for &(stream, items) in runs {
        for key in iterators[stream].by_ref().take(items) {
            black_box(key);
        }
    }
}

/// The merged order item by item: the stream each item comes from.
fn merged_order(runs: &[(usize, usize)]) -> Vec<u8> {
    runs.iter()
        .flat_map(|&(stream, items)| {
            let stream = u8::try_from(stream).expect("the shapes group has at most 256 streams");
            std::iter::repeat_n(stream, items)
        })
        .collect()
}

/// The latency floor: every item pulled in merged order, each pull
/// waiting for the key pulled before it, as a merge's must (which stream
/// gives the next item depends on the key just pulled). The dependence is
/// an OR with `key & 0`, the zero hidden from the compiler; nothing is
/// compared. A merge can escape this chain only by predicting the next
/// stream, which on uniform keys over `k` streams it gets wrong almost
/// every time.
fn pull_each_after_the_last(streams: &[Vec<u64>], order: &[u8]) {
    let mut iterators = iterators(streams);
    let zero = black_box(0_u64);
    let mut key = 0_u64;
    for &stream in order {
        let slot = usize::from(stream) | usize::try_from(key & zero).unwrap_or_default();
        key = iterators[slot].next().unwrap_or_default();
        black_box(key);
    }
}

/// How a merge is consumed.
#[derive(Debug, Clone, Copy)]
enum Consumer {
    /// `for_each`: internal iteration, the merge's `fold`.
    Fold,
    /// A `for` loop, which calls `next()` item by item.
    Next,
}

impl Consumer {
    /// Drains `merge` this way, each key through `black_box`.
    fn drain(self, merge: impl Iterator<Item = u64>) {
        match self {
            Consumer::Fold => merge.for_each(|key| {
                black_box(key);
            }),
            Consumer::Next => {
                for key in merge {
                    black_box(key);
                }
            }
        }
    }
}

fn merge_shapes(c: &mut Criterion) {
    let candidate_ready = bench::candidate_ready("merge", || {
        let _ = subject::merge::merge_sorted(vec![vec![2_u64], vec![1]]).count();
    });
    let mut rng = rng_for("bench-merge-shapes");
    let mut group = c.benchmark_group(format!("merge 8M u64 keys, k = {SHAPE_STREAMS}, by shape"));
    group.sample_size(10);
    group.throughput(Throughput::Elements(TOTAL_KEYS as u64));
    for shape in StreamShape::ALL {
        let streams = shape.streams(&mut rng, SHAPE_STREAMS, TOTAL_KEYS);
        let runs = merged_runs(&streams);
        let order = merged_order(&runs);
        group.bench_with_input(
            BenchmarkId::new(Role::Floor.implementation("pull in merged order"), shape.name()),
            &streams,
            |bench, streams| bench.iter(|| pull_in_merged_order(black_box(streams), &runs)),
        );
        group.bench_with_input(
            BenchmarkId::new(Role::Floor.implementation("each pull after the last key"), shape.name()),
            &streams,
            |bench, streams| bench.iter(|| pull_each_after_the_last(black_box(streams), &order)),
        );
        for consumer in [Consumer::Fold, Consumer::Next] {
            let case = format!("{}, {consumer:?}", shape.name());
            #[cfg(feature = "with-reference")]
            group.bench_with_input(
                BenchmarkId::new(Role::Reference.implementation(""), &case),
                &streams,
                |bench, streams| {
                    bench.iter(|| {
                        consumer.drain(reference::merge::merge_sorted(iterators(black_box(streams))))
                    })
                },
            );
            if candidate_ready {
                group.bench_with_input(
                    BenchmarkId::new(Role::Candidate.implementation(""), &case),
                    &streams,
                    |bench, streams| {
                        bench.iter(|| {
                            consumer.drain(subject::merge::merge_sorted(iterators(black_box(streams))))
                        })
                    },
                );
            }
            #[cfg(feature = "peer-crates")]
            group.bench_with_input(
                BenchmarkId::new(Role::Peer.implementation("itertools-kmerge"), &case),
                &streams,
                |bench, streams| {
                    bench.iter(|| consumer.drain(itertools::kmerge(iterators(black_box(streams)))))
                },
            );
        }
    }
    group.finish();
}

criterion_group!(benches, merge, merge_shapes);
criterion_main!(benches);
