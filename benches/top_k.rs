//! Top-k search over 100,000 embeddings of 384 dimensions, k = 10.
//!
//! Three questions, one group each, every input built once from a fixed seed:
//!
//! - `top_k/search`: `FlatIndex::search` against `stream`, a loop that only
//!   reads the same matrix once (a sum of all its elements). Search is one
//!   pass over memory; the ratio says how close it gets to that floor.
//! - `top_k/batch`: `search_batch` with 32 queries against 32 calls of
//!   `search`, per query (throughput in queries).
//! - `top_k/one_shot`: `top_k` on unnormalised items against the approach
//!   most people write first (`naive`): normalise a copy of every row,
//!   score them all, sort everything.

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use kata::bench::Role;
use kata::generate::vectors::{uniform_matrix, unnormalised_matrix};
use kata::ndarray::{Array2, ArrayView1, ArrayView2, Axis};
#[cfg(feature = "with-reference")]
use kata::reference;
use kata::seed::rng_for;
use kata::{bench, subject};

const ITEMS: usize = 100_000;
const DIM: usize = 384;
const K: usize = 10;
const BATCH: usize = 32;

/// Reads every element once with 32 independent accumulators: as fast as
/// memory delivers the matrix, the floor a search can approach.
fn stream_sum(data: &[f32]) -> f32 {
    let (blocks, tail) = data.as_chunks::<32>();
    let mut lanes = [0.0_f32; 32];
    for block in blocks {
        for (lane, x) in lanes.iter_mut().zip(block) {
            *lane += x;
        }
    }
    lanes.iter().sum::<f32>() + tail.iter().sum::<f32>()
}

/// Normalise a copy of every row, score every row, sort all the scores.
fn naive_top_k(query: ArrayView1<f32>, items: ArrayView2<f32>, k: usize) -> Vec<(usize, f32)> {
    let unit = |v: ArrayView1<f32>| {
        let norm = v.dot(&v).sqrt();
        if norm > 0.0 { v.mapv(|x| x / norm) } else { v.to_owned() }
    };
    let query = unit(query);
    let normalised: Vec<_> = items.axis_iter(Axis(0)).map(unit).collect();
    let mut scored: Vec<(usize, f32)> = normalised.iter().map(|row| row.dot(&query)).enumerate().collect();
    scored.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    scored.truncate(k);
    scored
}

fn candidate_ready() -> bool {
    bench::candidate_ready("top_k", || {
        let items = kata::ndarray::array![[1.0_f32, 0.0], [0.0, 1.0]];
        let _ = subject::top_k::top_k(items.row(0), items.view(), 1);
        let index = subject::top_k::FlatIndex::new(items.view()).map(|index| index.search(items.row(0), 1));
        let _ = black_box(index);
    })
}

fn search(c: &mut Criterion, items: &Array2<f32>, queries: &Array2<f32>, candidate: bool) {
    let query = queries.row(0);
    let mut group = c.benchmark_group("top_k/search");
    group.sample_size(20).throughput(Throughput::Bytes((ITEMS * DIM * size_of::<f32>()) as u64));
    #[cfg(feature = "with-reference")]
    let reference_index = reference::top_k::FlatIndex::new(items.view()).expect("valid items");
    #[cfg(feature = "with-reference")]
    group.bench_function(BenchmarkId::new(Role::Reference.implementation(""), ITEMS), |bench| {
        bench.iter(|| reference_index.search(black_box(query), K))
    });
    if candidate {
        let index = subject::top_k::FlatIndex::new(items.view()).expect("valid items");
        group.bench_function(BenchmarkId::new(Role::Candidate.implementation(""), ITEMS), |bench| {
            bench.iter(|| index.search(black_box(query), K))
        });
    }
    let raw = items.as_slice().unwrap_or_default();
    group.bench_function(BenchmarkId::new(Role::Floor.implementation("stream once"), ITEMS), |bench| {
        bench.iter(|| stream_sum(black_box(raw)))
    });
    group.finish();
}

fn batch(c: &mut Criterion, items: &Array2<f32>, queries: &Array2<f32>, candidate: bool) {
    let mut group = c.benchmark_group("top_k/batch");
    group.sample_size(10).throughput(Throughput::Elements(BATCH as u64));
    #[cfg(feature = "with-reference")]
    {
        let reference_index = reference::top_k::FlatIndex::new(items.view()).expect("valid items");
        group.bench_function(BenchmarkId::new(Role::Reference.implementation(""), BATCH), |bench| {
            bench.iter(|| reference_index.search_batch(black_box(queries.view()), K))
        });
        group.bench_function(
            BenchmarkId::new(Role::Reference.implementation("one-by-one"), BATCH),
            |bench| {
                bench.iter(|| {
                    queries
                        .rows()
                        .into_iter()
                        .map(|q| reference_index.search(black_box(q), K))
                        .collect::<Vec<_>>()
                })
            },
        );
    }
    if candidate {
        let index = subject::top_k::FlatIndex::new(items.view()).expect("valid items");
        group.bench_function(BenchmarkId::new(Role::Candidate.implementation(""), BATCH), |bench| {
            bench.iter(|| index.search_batch(black_box(queries.view()), K))
        });
    }
    group.finish();
}

fn one_shot(c: &mut Criterion, queries: &Array2<f32>, candidate: bool) {
    let items = unnormalised_matrix(&mut rng_for("bench-top_k-one-shot"), ITEMS, DIM);
    let query = queries.row(0);
    let mut group = c.benchmark_group("top_k/one_shot");
    group.sample_size(10).throughput(Throughput::Bytes((ITEMS * DIM * size_of::<f32>()) as u64));
    #[cfg(feature = "with-reference")]
    group.bench_function(BenchmarkId::new(Role::Reference.implementation(""), ITEMS), |bench| {
        bench.iter(|| reference::top_k::top_k(black_box(query), black_box(items.view()), K))
    });
    if candidate {
        group.bench_function(BenchmarkId::new(Role::Candidate.implementation(""), ITEMS), |bench| {
            bench.iter(|| subject::top_k::top_k(black_box(query), black_box(items.view()), K))
        });
    }
    group.bench_function(BenchmarkId::new(Role::Naive.implementation(""), ITEMS), |bench| {
        bench.iter(|| naive_top_k(black_box(query), black_box(items.view()), K))
    });
    group.finish();
}

fn top_k(c: &mut Criterion) {
    let candidate = candidate_ready();
    let mut rng = rng_for("bench-top_k");
    let items = uniform_matrix(&mut rng, ITEMS, DIM);
    let queries = uniform_matrix(&mut rng, BATCH, DIM);
    search(c, &items, &queries, candidate);
    batch(c, &items, &queries, candidate);
    one_shot(c, &queries, candidate);
}

criterion_group!(benches, top_k);
criterion_main!(benches);
