//! Cross-entropy over a language-model batch: 256 rows of 32,000 logits (a
//! GPT-2-size vocabulary), the loss alone and with its gradient. The
//! reference against the candidate, the straightforward two-pass loop with
//! scalar `f32::exp` (naive), and a floor that reads every logit once (and,
//! with the gradient, writes every entry once).
//!
//! `cargo bench --bench softmax`; the ratios that matter are
//! candidate / reference, naive / reference and reference / floor.

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use kata::bench::{self, Role};
use kata::generate::logits::uniform_logits;
use kata::ndarray::{Array2, ArrayView2};
#[cfg(feature = "with-reference")]
use kata::reference;
use kata::seed::rng_for;
use kata::subject;

const ROWS: usize = 256;
const VOCABULARY: usize = 32_000;

/// What most people write first: per row the maximum, then a sum of scalar
/// `f32::exp` (a libm call per logit, which does not vectorise).
fn naive_cross_entropy(
    logits: ArrayView2<f32>,
    targets: &[usize],
    mut grad: Option<&mut Array2<f32>>,
) -> f32 {
    let rows = logits.nrows() as f32;
    let mut total = 0.0_f64;
    for (r, row) in logits.rows().into_iter().enumerate() {
        let max = row.iter().copied().fold(f32::NEG_INFINITY, f32::max);
        let sum: f32 = row.iter().map(|&x| (x - max).exp()).sum();
        total += f64::from(max + sum.ln() - row[targets[r]]);
        if let Some(grad) = grad.as_deref_mut() {
            for (g, &x) in grad.row_mut(r).iter_mut().zip(row) {
                *g = (x - max).exp() / (sum * rows);
            }
            grad[[r, targets[r]]] -= 1.0 / rows;
        }
    }
    (total / f64::from(rows)) as f32
}

/// Reads every logit once: the bound for the loss (16 independent lanes).
fn read_once(logits: &[f32]) -> f32 {
    let mut lanes = [0.0_f32; 16];
    for chunk in logits.chunks_exact(16) {
        lanes.iter_mut().zip(chunk).for_each(|(lane, &x)| *lane += x);
    }
    lanes.iter().sum()
}

/// Reads every logit once and writes every gradient entry once.
fn read_and_write_once(logits: &[f32], out: &mut [f32]) {
    out.iter_mut().zip(logits).for_each(|(o, &x)| *o = x * 0.5);
}

fn cross_entropy(c: &mut Criterion) {
    let candidate_ready = bench::candidate_ready("softmax", || {
        let logits = kata::ndarray::array![[1.0_f32, 2.0]];
        let _ = subject::softmax::cross_entropy(logits.view(), &[0]);
    });
    let mut rng = rng_for("bench-softmax");
    let logits = uniform_logits(&mut rng, ROWS, VOCABULARY, 20.0);
    let targets: Vec<usize> = (0..ROWS).map(|r| (r * 7_919) % VOCABULARY).collect();
    let flat = logits.as_slice().unwrap_or_default();
    let size = format!("{ROWS}x{VOCABULARY}");

    let mut group = c.benchmark_group("cross_entropy");
    group.throughput(Throughput::Elements((ROWS * VOCABULARY) as u64));
    #[cfg(feature = "with-reference")]
    group.bench_function(BenchmarkId::new(Role::Reference.implementation(""), &size), |b| {
        b.iter(|| reference::softmax::cross_entropy(black_box(logits.view()), black_box(&targets)))
    });
    if candidate_ready {
        group.bench_function(BenchmarkId::new(Role::Candidate.implementation(""), &size), |b| {
            b.iter(|| subject::softmax::cross_entropy(black_box(logits.view()), black_box(&targets)))
        });
    }
    group.bench_function(BenchmarkId::new(Role::Naive.implementation("two-pass scalar"), &size), |b| {
        b.iter(|| naive_cross_entropy(black_box(logits.view()), black_box(&targets), None))
    });
    group.bench_function(BenchmarkId::new(Role::Floor.implementation("read once"), &size), |b| {
        b.iter(|| read_once(black_box(flat)))
    });
    group.finish();

    let mut group = c.benchmark_group("cross_entropy_with_grad");
    group.throughput(Throughput::Elements((ROWS * VOCABULARY) as u64));
    #[cfg(feature = "with-reference")]
    group.bench_function(BenchmarkId::new(Role::Reference.implementation(""), &size), |b| {
        b.iter(|| reference::softmax::cross_entropy_with_grad(black_box(logits.view()), black_box(&targets)))
    });
    if candidate_ready {
        group.bench_function(BenchmarkId::new(Role::Candidate.implementation(""), &size), |b| {
            b.iter(|| {
                subject::softmax::cross_entropy_with_grad(black_box(logits.view()), black_box(&targets))
            })
        });
    }
    let mut grad = Array2::zeros((ROWS, VOCABULARY));
    group.bench_function(BenchmarkId::new(Role::Naive.implementation("two-pass scalar"), &size), |b| {
        b.iter(|| naive_cross_entropy(black_box(logits.view()), black_box(&targets), Some(&mut grad)))
    });
    let mut out = vec![0.0_f32; ROWS * VOCABULARY];
    group.bench_function(BenchmarkId::new(Role::Floor.implementation("read and write once"), &size), |b| {
        b.iter(|| read_and_write_once(black_box(flat), black_box(&mut out)))
    });
    group.finish();
}

criterion_group!(benches, cross_entropy);
criterion_main!(benches);
