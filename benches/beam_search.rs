//! Beam search over a vocabulary of 50,000 with a beam of 8 for 32 new
//! tokens: the reference (one vectorised pass per beam into a bounded heap)
//! against the candidate, the full sort of every step's candidates (naive:
//! the oracle), and a floor that only calls the model as many times.
//!
//! `cargo bench --bench beam_search`. The model copies one row of a fixed
//! table (chosen by hashing the sequence) into the output, so its cost is a
//! memory copy: the floor.

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use kata::bench::Role;
use kata::generate::language_model::TableModel;
#[cfg(feature = "with-reference")]
use kata::reference;
use kata::seed::rng_for;
use kata::{bench, oracle, subject};

const VOCAB: usize = 50_000;
const BEAM_WIDTH: usize = 8;
const NEW_TOKENS: usize = 32;
const EOS: u32 = 0;
const PROMPT: [u32; 4] = [101, 7, 2_023, 9];

fn beam_search(c: &mut Criterion) {
    let candidate_ready = bench::candidate_ready("beam_search", || {
        let _ =
            subject::beam_search::beam_search(&[], 0, 2, 1, 1, |_: &[u32], out: &mut [f32]| out.fill(-1.0));
    });
    let model = TableModel::random(&mut rng_for("bench-beam_search"), VOCAB, 64, 0.0, 0.0);
    let fill = |sequence: &[u32], out: &mut [f32]| model.fill(sequence, out);
    // The sequences the model is called with, for the floor and the throughput.
    let calls = model_calls(fill);
    let mut group =
        c.benchmark_group(format!("beam_search vocabulary {VOCAB}, width {BEAM_WIDTH}, {NEW_TOKENS} tokens"));
    group.sample_size(10);
    group.throughput(Throughput::Elements((calls.len() * VOCAB) as u64));
    #[cfg(feature = "with-reference")]
    group.bench_function(BenchmarkId::new(Role::Reference.implementation(""), VOCAB), |b| {
        b.iter(|| {
            reference::beam_search::beam_search(black_box(&PROMPT), EOS, VOCAB, BEAM_WIDTH, NEW_TOKENS, fill)
        })
    });
    if candidate_ready {
        group.bench_function(BenchmarkId::new(Role::Candidate.implementation(""), VOCAB), |b| {
            b.iter(|| {
                subject::beam_search::beam_search(
                    black_box(&PROMPT),
                    EOS,
                    VOCAB,
                    BEAM_WIDTH,
                    NEW_TOKENS,
                    fill,
                )
            })
        });
    }
    group.bench_function(BenchmarkId::new(Role::Naive.implementation("full sort per step"), VOCAB), |b| {
        b.iter(|| {
            oracle::beam_search::beam_search(black_box(&PROMPT), EOS, VOCAB, BEAM_WIDTH, NEW_TOKENS, fill)
        })
    });
    group.bench_function(BenchmarkId::new(Role::Floor.implementation("model calls only"), VOCAB), |b| {
        let mut out = vec![0.0_f32; VOCAB];
        b.iter(|| {
            for call in &calls {
                fill(black_box(call), &mut out);
            }
            black_box(out[0])
        })
    });
    group.finish();
}

/// The sequences a correct beam search asks the model about: the
/// reference's calls where the kit has the reference, else the oracle's.
fn model_calls(fill: impl Fn(&[u32], &mut [f32])) -> Vec<Vec<u32>> {
    let mut calls: Vec<Vec<u32>> = Vec::new();
    let record = |s: &[u32], out: &mut [f32]| {
        calls.push(s.to_vec());
        fill(s, out);
    };
    #[cfg(feature = "with-reference")]
    let _ = reference::beam_search::beam_search(&PROMPT, EOS, VOCAB, BEAM_WIDTH, NEW_TOKENS, record);
    #[cfg(not(feature = "with-reference"))]
    let _ = oracle::beam_search::beam_search(&PROMPT, EOS, VOCAB, BEAM_WIDTH, NEW_TOKENS, record);
    calls
}

criterion_group!(benches, beam_search);
criterion_main!(benches);
