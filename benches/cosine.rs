//! Cosine similarity at embedding sizes: the reference against the
//! candidate, the `simsimd` crate (peer) and the ladder a candidate climbs
//! (the straightforward iterator loop, a plain correct answer in f64, the
//! reference's portable kernel), on the same vectors in the same run.
//!
//! `cargo bench --bench cosine`; the ratios that matter are
//! candidate / reference and simsimd / reference per dimension. On AVX-512
//! machines a floor runs too: the bare loop of any exact one-pass kernel
//! (loads, three FMAs per register on twelve chains, three reductions; no
//! check, no tail, no finish), so simsimd / floor bounds what any kernel
//! that honours the contract can gain over simsimd at each size.

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
#[cfg(feature = "peer-crates")]
use simsimd::SpatialSimilarity;

/// The plain rung: a correct answer that sums in f64, one element at a time.
#[cfg(feature = "with-reference")]
#[allow(unused, unreachable_pub, clippy::all, clippy::pedantic, clippy::unwrap_used)]
#[path = "../answers/cosine/right_f64_sums.rs"]
mod plain;

const DIMENSIONS: [usize; 3] = [384, 768, 1536];

/// What most people write first: three iterator sums, then the formula.
/// Each sum is one long chain of dependent f32 additions.
fn naive_cosine(a: &[f32], b: &[f32]) -> f32 {
    let dot: f32 = a.iter().zip(b).map(|(x, y)| x * y).sum();
    let norm_a: f32 = a.iter().map(|x| x * x).sum::<f32>().sqrt();
    let norm_b: f32 = b.iter().map(|x| x * x).sum::<f32>().sqrt();
    dot / (norm_a * norm_b)
}

/// The bare loop (see the module doc): `a·b + a·a + b·b` over the whole
/// 64-float groups of `a` and `b`, with AVX-512F.
///
/// # Safety
/// The CPU must run AVX-512F.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f")]
unsafe fn bare_loop(a: &[f32], b: &[f32]) -> f32 {
    use std::arch::x86_64::*;
    let zero = _mm512_setzero_ps();
    let (mut dot, mut aa, mut bb) = ([zero; 4], [zero; 4], [zero; 4]);
    for (a, b) in a.chunks_exact(64).zip(b.chunks_exact(64)) {
        for chain in 0..4 {
            // SAFETY: each chunk holds 64 floats, so floats 16·chain ..
            // 16·chain + 16 are in bounds; the caller guarantees AVX-512F.
            let (x, y) = unsafe {
                (_mm512_loadu_ps(a.as_ptr().add(16 * chain)), _mm512_loadu_ps(b.as_ptr().add(16 * chain)))
            };
            dot[chain] = _mm512_fmadd_ps(x, y, dot[chain]);
            aa[chain] = _mm512_fmadd_ps(x, x, aa[chain]);
            bb[chain] = _mm512_fmadd_ps(y, y, bb[chain]);
        }
    }
    let total = |[p, q, r, s]: [__m512; 4]| {
        _mm512_reduce_add_ps(_mm512_add_ps(_mm512_add_ps(p, q), _mm512_add_ps(r, s)))
    };
    total(dot) + total(aa) + total(bb)
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
        #[cfg(feature = "peer-crates")]
        group.bench_with_input(
            BenchmarkId::new(Role::Peer.implementation("simsimd"), dim),
            &(a_slice, b_slice),
            |bench, (a, b)| bench.iter(|| <f32 as SpatialSimilarity>::cos(black_box(a), black_box(b))),
        );
        #[cfg(target_arch = "x86_64")]
        if is_x86_feature_detected!("avx512f") {
            group.bench_with_input(
                BenchmarkId::new(Role::Floor.implementation("bare avx512 loop"), dim),
                &(a_slice, b_slice),
                // SAFETY: the CPU was just found to run AVX-512F.
                |bench, (a, b)| bench.iter(|| unsafe { bare_loop(black_box(a), black_box(b)) }),
            );
        }
        group.bench_with_input(
            BenchmarkId::new(Role::Naive.implementation(""), dim),
            &(a_slice, b_slice),
            |bench, (a, b)| bench.iter(|| naive_cosine(black_box(a), black_box(b))),
        );
        #[cfg(feature = "with-reference")]
        group.bench_with_input(
            BenchmarkId::new(Role::Plain.implementation("f64 sums"), dim),
            &(a.view(), b.view()),
            |bench, (a, b)| bench.iter(|| plain::cosine_similarity(black_box(*a), black_box(*b))),
        );
        // `reference:portable` is the ladder's portable rung.
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
