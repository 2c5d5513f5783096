//! Near-duplicate removal of embeddings: the reference (blocks of candidates
//! against the kept set as matrix products) against the candidate and the
//! straightforward answer (rows normalised once, each compared with the kept
//! rows by a vectorisable dot product, stopping at the first duplicate).
//!
//! `cargo bench --bench dedup`. The pairwise baseline takes seconds per call
//! at 20,000 rows, so every group samples flat: ten calls per implementation,
//! not criterion's default ramp of 55.

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, SamplingMode, Throughput, criterion_group, criterion_main};
use kata::bench::Role;
use kata::generate::embeddings::clustered_rows;
use kata::ndarray::{Array2, ArrayView2};
#[cfg(feature = "with-reference")]
use kata::reference;
use kata::seed::rng_for;
use kata::{bench, subject};

const DIM: usize = 384;
const THRESHOLD: f32 = 0.9;
/// About 40% of the rows are near-duplicates of an earlier one.
const DUPLICATE_FRACTION: f64 = 0.4;

/// Rows scaled to unit length in f64 (zero rows stay zero), row-major.
fn unit_rows(rows: ArrayView2<f32>) -> Vec<f32> {
    let mut units = Vec::with_capacity(rows.len());
    for row in rows.rows() {
        let norm = row.iter().map(|&x| f64::from(x) * f64::from(x)).sum::<f64>().sqrt();
        let inverse = if norm > 0.0 { 1.0 / norm } else { 0.0 };
        units.extend(row.iter().map(|&x| (f64::from(x) * inverse) as f32));
    }
    units
}

/// A dot product in eight independent lanes, which the compiler vectorises.
fn dot(a: &[f32], b: &[f32]) -> f32 {
    let mut lanes = [0.0_f32; 8];
    let (a_blocks, a_tail) = a.as_chunks::<8>();
    let (b_blocks, b_tail) = b.as_chunks::<8>();
    for (x, y) in a_blocks.iter().zip(b_blocks) {
        for lane in 0..8 {
            lanes[lane] += x[lane] * y[lane];
        }
    }
    lanes.iter().sum::<f32>() + a_tail.iter().zip(b_tail).map(|(x, y)| x * y).sum::<f32>()
}

/// The answer most people write: normalise once, then compare each row with
/// the kept rows, stopping at the first duplicate.
fn pairwise(rows: ArrayView2<f32>, threshold: f32) -> Vec<usize> {
    let dim = rows.ncols();
    let units = unit_rows(rows);
    let mut kept: Vec<usize> = Vec::new();
    for (index, row) in units.chunks_exact(dim).enumerate() {
        if kept.iter().all(|&earlier| dot(row, &units[earlier * dim..][..dim]) < threshold) {
            kept.push(index);
        }
    }
    kept
}

fn dedup(c: &mut Criterion) {
    let candidate_ready = bench::candidate_ready("dedup", || {
        let rows = kata::ndarray::array![[1.0_f32, 0.0], [0.0, 1.0]];
        let _ = subject::dedup::dedup(rows.view(), 0.5);
    });
    let mut rng = rng_for("bench-dedup");
    for rows in [5_000, 20_000] {
        let embeddings: Array2<f32> = clustered_rows(&mut rng, rows, DIM, DUPLICATE_FRACTION, 0.05, 1.0).rows;
        let mut group =
            c.benchmark_group(format!("dedup {rows} x {DIM}, 40% near-duplicates, threshold 0.9"));
        group.sample_size(10);
        group.sampling_mode(SamplingMode::Flat);
        group.throughput(Throughput::Elements(rows as u64));
        #[cfg(feature = "with-reference")]
        group.bench_with_input(
            BenchmarkId::new(Role::Reference.implementation(""), rows),
            &embeddings,
            |b, e| b.iter(|| reference::dedup::dedup(black_box(e.view()), THRESHOLD)),
        );
        if candidate_ready {
            group.bench_with_input(
                BenchmarkId::new(Role::Candidate.implementation(""), rows),
                &embeddings,
                |b, e| b.iter(|| subject::dedup::dedup(black_box(e.view()), THRESHOLD)),
            );
        }
        group.bench_with_input(
            BenchmarkId::new(Role::Naive.implementation("normalise once, pairwise, early exit"), rows),
            &embeddings,
            |b, e| b.iter(|| pairwise(black_box(e.view()), THRESHOLD)),
        );
        group.finish();
    }
}

criterion_group!(benches, dedup);
criterion_main!(benches);
