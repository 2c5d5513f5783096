//! Scaled dot-product attention at n = m = 2,048, d = dv = 64, causal and
//! not: the reference (tiles with an online softmax, O((n + m)·d) memory)
//! against the candidate, the pipeline that materialises the n × m scores
//! with ndarray's matrix products (`q.dot(&k.t())`, a stable row softmax,
//! `.dot(&v)`), and the naive triple loop.
//!
//! `cargo bench --bench attention`; the ratios that matter are
//! candidate / reference, materialised / reference and triple loop / reference.

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use kata::bench::{self, Role};
use kata::generate::logits::uniform_logits;
use kata::ndarray::{Array2, ArrayView2};
#[cfg(feature = "with-reference")]
use kata::reference;
use kata::seed::rng_for;
use kata::subject;

const LEN: usize = 2_048;
const DIM: usize = 64;

/// The n × m scores with ndarray's GEMM, a stable softmax per row, then
/// another GEMM: fast, but 16 MiB of scores at this size (1 GiB at 16k).
fn materialised(q: ArrayView2<f32>, k: ArrayView2<f32>, v: ArrayView2<f32>, causal: bool) -> Array2<f32> {
    let (n, m) = (q.nrows(), k.nrows());
    let mut scores = q.dot(&k.t()) / (q.ncols() as f32).sqrt();
    for (i, mut row) in scores.rows_mut().into_iter().enumerate() {
        if causal {
            row.iter_mut().skip(i + m - n + 1).for_each(|s| *s = f32::NEG_INFINITY);
        }
        let max = row.iter().copied().fold(f32::NEG_INFINITY, f32::max);
        row.mapv_inplace(|s| (s - max).exp());
        let total = row.sum();
        row.mapv_inplace(|w| w / total);
    }
    scores.dot(&v)
}

/// The textbook triple loop: one query, one key, one component at a time.
fn triple_loop(q: ArrayView2<f32>, k: ArrayView2<f32>, v: ArrayView2<f32>, causal: bool) -> Array2<f32> {
    let (n, m) = (q.nrows(), k.nrows());
    let scale = 1.0 / (q.ncols() as f32).sqrt();
    let mut out = Array2::zeros((n, v.ncols()));
    let mut scores = vec![0.0_f32; m];
    for i in 0..n {
        let visible = if causal { i + m - n + 1 } else { m };
        for j in 0..visible {
            let mut dot = 0.0;
            for c in 0..q.ncols() {
                dot += q[[i, c]] * k[[j, c]];
            }
            scores[j] = dot * scale;
        }
        let max = scores[..visible].iter().copied().fold(f32::NEG_INFINITY, f32::max);
        let mut total = 0.0;
        for s in &mut scores[..visible] {
            *s = (*s - max).exp();
            total += *s;
        }
        for (j, w) in scores[..visible].iter().enumerate() {
            for c in 0..v.ncols() {
                out[[i, c]] += w / total * v[[j, c]];
            }
        }
    }
    out
}

fn attention(c: &mut Criterion) {
    let candidate_ready = bench::candidate_ready("attention", || {
        let x = kata::ndarray::array![[1.0_f32, 2.0]];
        let _ = subject::attention::attention(x.view(), x.view(), x.view(), false);
    });
    let mut rng = rng_for("bench-attention");
    let q = uniform_logits(&mut rng, LEN, DIM, 1.0);
    let k = uniform_logits(&mut rng, LEN, DIM, 1.0);
    let v = uniform_logits(&mut rng, LEN, DIM, 1.0);
    let mut group = c.benchmark_group(format!("attention {LEN}x{LEN} d={DIM}"));
    group.sample_size(10);
    group.throughput(Throughput::Elements((LEN * LEN) as u64));
    for causal in [false, true] {
        let mask = if causal { "causal" } else { "full" };
        let (q, k, v) = (q.view(), k.view(), v.view());
        #[cfg(feature = "with-reference")]
        group.bench_function(BenchmarkId::new(Role::Reference.implementation(""), mask), |b| {
            b.iter(|| reference::attention::attention(black_box(q), black_box(k), black_box(v), causal))
        });
        if candidate_ready {
            group.bench_function(BenchmarkId::new(Role::Candidate.implementation(""), mask), |b| {
                b.iter(|| subject::attention::attention(black_box(q), black_box(k), black_box(v), causal))
            });
        }
        group.bench_function(
            BenchmarkId::new(Role::Naive.implementation("materialised ndarray"), mask),
            |b| b.iter(|| materialised(black_box(q), black_box(k), black_box(v), causal)),
        );
        group.bench_function(BenchmarkId::new(Role::Naive.implementation("triple loop"), mask), |b| {
            b.iter(|| triple_loop(black_box(q), black_box(k), black_box(v), causal))
        });
    }
    group.finish();
}

criterion_group!(benches, attention);
criterion_main!(benches);
