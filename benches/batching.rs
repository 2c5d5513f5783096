//! Criterion benchmarks for `batching`.
//!
//! Two questions, each answered in one group, on inputs built once from a
//! fixed seed:
//!
//! 1. `pad_batch` of 32 sequences of 16 to 512 tokens: how close does it come
//!    to the floor, which allocates the two output buffers at their final
//!    size and copies the rows into them, and does nothing else?
//! 2. `padded_batches` with `LongestFirst` over 1,000,000 sequences of 1 to
//!    512 tokens, skewed short like real token counts, batch 32, every batch
//!    consumed: how much faster than the straightforward pipeline, a stable
//!    `sort_by_key` of the indices by length, then each batch allocated and
//!    filled? A second group times the first batch alone, which is the sort:
//!    filling batches in sorted order is bound by memory latency (each row
//!    is a separate heap block, visited out of allocation order), and that
//!    cost is the same for both.
//!
//! Before the second group it prints the padding waste (pad cells per real
//! token) of `Input` against `LongestFirst` on that distribution.
//!
//! There is no peer crate here: padding is usually a few lines inside a
//! framework's data loader, not a library function.

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, SamplingMode, Throughput, criterion_group, criterion_main};
use kata::bench::Role;
use kata::generate::sequences;
use kata::ndarray::Array2;
#[cfg(feature = "with-reference")]
use kata::reference::batching as reference;
use kata::seed::rng_for;
#[cfg(feature = "with-reference")]
use kata::subject::batching::BatchOrder;
use kata::subject::batching::{self as candidate, Batch};

const EXERCISE: &str = "batching";

/// The padding id of every benchmark: 0, as most tokenizers use.
const PAD_ID: u32 = 0;

fn pad_batch(c: &mut Criterion) {
    let mut rng = rng_for("bench-batching pad_batch");
    let lengths = sequences::uniform_lengths(&mut rng, 32, 16..=512);
    let seqs = sequences::sequences_of_lengths(&mut rng, &lengths);
    let width = lengths.iter().copied().max().unwrap_or(0);
    let size = format!("32 x {width}");

    let mut group = c.benchmark_group("pad_batch: 32 sequences of 16 to 512 tokens");
    group.throughput(Throughput::Bytes((seqs.len() * width * (size_of::<u32>() + size_of::<u8>())) as u64));
    group.bench_with_input(
        BenchmarkId::new(Role::Floor.implementation("allocate and copy"), &size),
        &seqs,
        |b, seqs| {
            b.iter(|| black_box(copy_rows(black_box(seqs), 0..seqs.len(), width, black_box(PAD_ID))));
        },
    );
    #[cfg(feature = "with-reference")]
    group.bench_with_input(BenchmarkId::new(Role::Reference.implementation(""), &size), &seqs, |b, seqs| {
        b.iter(|| black_box(reference::pad_batch(black_box(seqs), black_box(PAD_ID))));
    });
    if kata::bench::candidate_ready(EXERCISE, || {
        black_box(candidate::pad_batch(&[vec![1_u32]], PAD_ID));
    }) {
        group.bench_with_input(
            BenchmarkId::new(Role::Candidate.implementation(""), &size),
            &seqs,
            |b, seqs| {
                b.iter(|| black_box(candidate::pad_batch(black_box(seqs), black_box(PAD_ID))));
            },
        );
    }
    group.finish();
}

fn longest_first(c: &mut Criterion) {
    const COUNT: usize = 1_000_000;
    const BATCH_SIZE: usize = 32;
    let mut rng = rng_for("bench-batching longest_first");
    let seqs = sequences::skewed_sequences(&mut rng, COUNT, 512);
    #[cfg(feature = "with-reference")]
    print_padding_waste(&seqs, BATCH_SIZE);
    let size = format!("{COUNT} sequences, batch {BATCH_SIZE}");

    let mut group = c.benchmark_group("padded_batches LongestFirst: 1,000,000 skewed sequences, batch 32");
    group.throughput(Throughput::Elements(COUNT as u64)).sample_size(10).sampling_mode(SamplingMode::Flat);
    group.bench_with_input(
        BenchmarkId::new(Role::Naive.implementation("sort_by_key, then allocate and fill"), &size),
        &seqs,
        |b, seqs| {
            b.iter(|| {
                for batch in sort_then_fill(black_box(seqs), BATCH_SIZE) {
                    black_box(batch);
                }
            });
        },
    );
    #[cfg(feature = "with-reference")]
    group.bench_with_input(BenchmarkId::new(Role::Reference.implementation(""), &size), &seqs, |b, seqs| {
        b.iter(|| {
            let batches =
                reference::padded_batches(black_box(seqs), BATCH_SIZE, PAD_ID, BatchOrder::LongestFirst)
                    .expect("the batch size is not 0");
            for batch in batches {
                black_box(batch);
            }
        });
    });
    let candidate_ready = kata::bench::candidate_ready(EXERCISE, || {
        let probe = [vec![1_u32]];
        let batches = candidate::padded_batches(&probe, 1, PAD_ID, candidate::BatchOrder::LongestFirst);
        black_box(batches.map(Iterator::count).ok());
    });
    if candidate_ready {
        group.bench_with_input(
            BenchmarkId::new(Role::Candidate.implementation(""), &size),
            &seqs,
            |b, seqs| {
                b.iter(|| {
                    let batches = candidate::padded_batches(
                        black_box(seqs),
                        BATCH_SIZE,
                        PAD_ID,
                        candidate::BatchOrder::LongestFirst,
                    )
                    .expect("the batch size is not 0");
                    for batch in batches {
                        black_box(batch);
                    }
                });
            },
        );
    }
    group.finish();

    // The sort alone: what a consumer waits for before its first batch.
    let mut group =
        c.benchmark_group("padded_batches LongestFirst: first batch of 1,000,000 skewed sequences");
    group.throughput(Throughput::Elements(COUNT as u64)).sample_size(10).sampling_mode(SamplingMode::Flat);
    group.bench_with_input(
        BenchmarkId::new(Role::Naive.implementation("sort_by_key, then allocate and fill"), &size),
        &seqs,
        |b, seqs| {
            b.iter(|| black_box(sort_then_fill(black_box(seqs), BATCH_SIZE).next()));
        },
    );
    #[cfg(feature = "with-reference")]
    group.bench_with_input(BenchmarkId::new(Role::Reference.implementation(""), &size), &seqs, |b, seqs| {
        b.iter(|| {
            let mut batches =
                reference::padded_batches(black_box(seqs), BATCH_SIZE, PAD_ID, BatchOrder::LongestFirst)
                    .expect("the batch size is not 0");
            black_box(batches.next())
        });
    });
    if candidate_ready {
        group.bench_with_input(
            BenchmarkId::new(Role::Candidate.implementation(""), &size),
            &seqs,
            |b, seqs| {
                b.iter(|| {
                    let mut batches = candidate::padded_batches(
                        black_box(seqs),
                        BATCH_SIZE,
                        PAD_ID,
                        candidate::BatchOrder::LongestFirst,
                    )
                    .expect("the batch size is not 0");
                    black_box(batches.next())
                });
            },
        );
    }
    group.finish();
}

/// The rows `seqs[i]`, `i` in `rows`, padded with `pad_id` to `width`: both
/// buffers allocated once at their final size, every cell written once. On
/// its own, with the width given, it is the floor of any padded layout.
fn copy_rows(
    seqs: &[Vec<u32>],
    rows: impl ExactSizeIterator<Item = usize>,
    width: usize,
    pad_id: u32,
) -> (Vec<u32>, Vec<u8>) {
    let cells = rows.len() * width;
    let (mut ids, mut mask) = (Vec::with_capacity(cells), Vec::with_capacity(cells));
    for row in rows {
        let tokens = &seqs[row];
        ids.extend_from_slice(tokens);
        ids.resize(ids.len() + (width - tokens.len()), pad_id);
        mask.resize(mask.len() + tokens.len(), 1);
        mask.resize(mask.len() + (width - tokens.len()), 0);
    }
    (ids, mask)
}

/// The straightforward pipeline: a stable comparison sort of the indices by
/// descending length, then each batch allocated and filled as the floor does.
fn sort_then_fill(seqs: &[Vec<u32>], batch_size: usize) -> impl Iterator<Item = Batch> + '_ {
    let lengths: Vec<usize> = seqs.iter().map(Vec::len).collect();
    let order = kata::oracle::batching::longest_first_order(&lengths);
    let groups: Vec<Vec<usize>> = order.chunks(batch_size).map(<[usize]>::to_vec).collect();
    groups.into_iter().map(move |group| {
        let width = group.iter().map(|&row| seqs[row].len()).max().unwrap_or(0);
        let (ids, mask) = copy_rows(seqs, group.iter().copied(), width, PAD_ID);
        let shape = (group.len(), width);
        Batch {
            ids: Array2::from_shape_vec(shape, ids).expect("rows x width cells"),
            mask: Array2::from_shape_vec(shape, mask).expect("rows x width cells"),
            lengths: group.iter().map(|&row| seqs[row].len()).collect(),
            indices: group,
        }
    })
}

/// Prints the pad cells per real token of both orders (computed by the
/// reference), the number that `LongestFirst` exists to cut.
#[cfg(feature = "with-reference")]
fn print_padding_waste(seqs: &[Vec<u32>], batch_size: usize) {
    let real: usize = seqs.iter().map(Vec::len).sum();
    let waste = |order| {
        let batches =
            reference::padded_batches(seqs, batch_size, PAD_ID, order).expect("the batch size is not 0");
        let cells: usize = batches.map(|batch| batch.ids.len()).sum();
        (cells - real) as f64 / real as f64
    };
    println!(
        "padding waste over {} sequences (mean length {:.1}), batch {batch_size}: Input {:.4} pad cells per \
         real token, LongestFirst {:.4}",
        seqs.len(),
        real as f64 / seqs.len() as f64,
        waste(BatchOrder::Input),
        waste(BatchOrder::LongestFirst),
    );
}

criterion_group!(benches, pad_batch, longest_first);
criterion_main!(benches);
