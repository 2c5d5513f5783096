//! Cosine similarity at embedding sizes: the reference against the
//! candidate, the `simsimd` crate (peer) and the straightforward iterator
//! loop (naive), on the same vectors in the same run.
//!
//! `cargo bench --bench cosine`; the ratios that matter are
//! candidate / reference and simsimd / reference per dimension.

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use kata::bench::Role;
use kata::generate::vectors::uniform_vector;
#[cfg(feature = "with-reference")]
use kata::ndarray::ArrayView1;
#[cfg(feature = "with-reference")]
use kata::reference;
use kata::seed::rng_for;
use kata::{bench, subject};
use simsimd::SpatialSimilarity;

const DIMENSIONS: [usize; 3] = [384, 768, 1536];

/// What most people write first: three iterator sums, then the formula.
/// Each sum is one long chain of dependent f32 additions.
fn naive_cosine(a: &[f32], b: &[f32]) -> f32 {
    let dot: f32 = a.iter().zip(b).map(|(x, y)| x * y).sum();
    let norm_a: f32 = a.iter().map(|x| x * x).sum::<f32>().sqrt();
    let norm_b: f32 = b.iter().map(|x| x * x).sum::<f32>().sqrt();
    dot / (norm_a * norm_b)
}

fn cosine(c: &mut Criterion) {
    let candidate_ready = bench::candidate_ready("cosine", || {
        let v = kata::ndarray::array![1.0_f32, 2.0];
        let _ = subject::cosine::cosine_similarity(v.view(), v.view());
    });
    let mut rng = rng_for("bench-cosine");
    let mut group = c.benchmark_group("cosine");
    for dim in DIMENSIONS {
        let (a, b) = (uniform_vector(&mut rng, dim), uniform_vector(&mut rng, dim));
        let (a_slice, b_slice) = (a.as_slice().unwrap_or_default(), b.as_slice().unwrap_or_default());
        group.throughput(Throughput::Elements(dim as u64));
        #[cfg(feature = "with-reference")]
        group.bench_with_input(
            BenchmarkId::new(Role::Reference.implementation(""), dim),
            &(a.view(), b.view()),
            |bench, (a, b)| bench.iter(|| reference::cosine::cosine_similarity(black_box(*a), black_box(*b))),
        );
        if candidate_ready {
            group.bench_with_input(
                BenchmarkId::new(Role::Candidate.implementation(""), dim),
                &(a.view(), b.view()),
                |bench, (a, b)| {
                    bench.iter(|| subject::cosine::cosine_similarity(black_box(*a), black_box(*b)))
                },
            );
        }
        group.bench_with_input(
            BenchmarkId::new(Role::Peer.implementation("simsimd"), dim),
            &(a_slice, b_slice),
            |bench, (a, b)| bench.iter(|| <f32 as SpatialSimilarity>::cos(black_box(a), black_box(b))),
        );
        group.bench_with_input(
            BenchmarkId::new(Role::Naive.implementation(""), dim),
            &(a_slice, b_slice),
            |bench, (a, b)| bench.iter(|| naive_cosine(black_box(a), black_box(b))),
        );
        #[cfg(feature = "with-reference")]
        for kernel in reference::cosine::Kernel::available() {
            let id =
                BenchmarkId::new(Role::Reference.implementation(&format!("{kernel:?}").to_lowercase()), dim);
            group.bench_with_input(
                id,
                &(a.view(), b.view()),
                |bench, (a, b): &(ArrayView1<f32>, ArrayView1<f32>)| {
                    bench.iter(|| {
                        reference::cosine::cosine_similarity_with(kernel, black_box(*a), black_box(*b))
                    })
                },
            );
        }
    }
    group.finish();
}

criterion_group!(benches, cosine);
criterion_main!(benches);
