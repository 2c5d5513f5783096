//! Vectors and embedding matrices, ordinary and adversarial.

use ndarray::{Array1, Array2};
use proptest::prelude::*;
use rand::{Rng, RngExt};

/// A vector of `dim` components drawn uniformly from `[-1, 1)`.
pub fn uniform_vector(rng: &mut impl Rng, dim: usize) -> Array1<f32> {
    Array1::from_shape_simple_fn(dim, || rng.random_range(-1.0_f32..1.0))
}

/// A `rows x cols` matrix of components drawn uniformly from `[-1, 1)`.
pub fn uniform_matrix(rng: &mut impl Rng, rows: usize, cols: usize) -> Array2<f32> {
    Array2::from_shape_simple_fn((rows, cols), || rng.random_range(-1.0_f32..1.0))
}

/// Like [`uniform_matrix`], but each row scaled by its own factor from
/// `1e-3` to `1e3`: unnormalised embeddings, as a one-shot search gets them.
pub fn unnormalised_matrix(rng: &mut impl Rng, rows: usize, cols: usize) -> Array2<f32> {
    let mut matrix = uniform_matrix(rng, rows, cols);
    for mut row in matrix.rows_mut() {
        let factor = 10_f32.powf(rng.random_range(-3.0_f32..3.0));
        row.mapv_inplace(|x| x * factor);
    }
    matrix
}

/// `base` plus noise of relative size `noise` in every component: a vector
/// whose cosine with `base` is within about `noise²` of 1.
pub fn near_duplicate(rng: &mut impl Rng, base: &Array1<f32>, noise: f32) -> Array1<f32> {
    base.mapv(|x| x + x.abs().max(f32::MIN_POSITIVE) * noise * rng.random_range(-1.0_f32..1.0))
}

/// The vector orthogonal to `a` closest to `b` (Gram-Schmidt in f64): its
/// cosine with `a` is about 0, which the sum in a cosine reaches only
/// through cancellation.
pub fn orthogonalised(a: &Array1<f32>, b: &Array1<f32>) -> Array1<f32> {
    let dot: f64 = a.iter().zip(b).map(|(&x, &y)| f64::from(x) * f64::from(y)).sum();
    let norm: f64 = a.iter().map(|&x| f64::from(x) * f64::from(x)).sum();
    let ratio = if norm > 0.0 { dot / norm } else { 0.0 };
    Array1::from_iter(a.iter().zip(b).map(|(&x, &y)| (f64::from(y) - ratio * f64::from(x)) as f32))
}

/// Sets `count` rows, chosen at random, to zero; returns their indices.
pub fn zero_some_rows(rng: &mut impl Rng, matrix: &mut Array2<f32>, count: usize) -> Vec<usize> {
    let rows = matrix.nrows();
    let mut zeroed: Vec<usize> = (0..count.min(rows)).map(|_| rng.random_range(0..rows)).collect();
    zeroed.sort_unstable();
    zeroed.dedup();
    for &row in &zeroed {
        matrix.row_mut(row).fill(0.0);
    }
    zeroed
}

/// The non-finite values a component can take.
pub const NON_FINITE: [f32; 3] = [f32::NAN, f32::INFINITY, f32::NEG_INFINITY];

/// Magnitudes that break a naive f32 sum of squares: its square overflows
/// (`1e30`) or underflows to zero (`1e-30`), or the components are subnormal.
pub const EXTREME_SCALES: [f32; 5] = [1e30, 1e-30, 1e19, 1e-19, 1e-40];

/// A proptest strategy for one component: a uniform mantissa times a power
/// of ten from `1e-30` to `1e30`, with exact zeros now and then.
pub fn component() -> impl Strategy<Value = f32> {
    prop_oneof![
        1 => Just(0.0_f32),
        8 => (-1.0_f32..1.0, -30_i32..=30).prop_map(|(mantissa, exponent)| mantissa * 10_f32.powi(exponent)),
    ]
}

/// A proptest strategy for two vectors of one length in `1..=max_dim`,
/// each scaled by its own power of ten from `1e-30` to `1e30` so that their
/// products overflow or underflow f32, with components of mixed magnitude.
pub fn vector_pair(max_dim: usize) -> impl Strategy<Value = (Vec<f32>, Vec<f32>)> {
    (1..=max_dim).prop_flat_map(|dim| {
        let side = || {
            (prop::collection::vec(-1.0_f32..1.0, dim), -30_i32..=30).prop_map(|(v, exponent)| {
                v.into_iter().map(|x| x * 10_f32.powi(exponent)).collect::<Vec<_>>()
            })
        };
        (side(), side())
    })
}

/// A proptest strategy for a `rows x cols` matrix (rows in `0..=max_rows`,
/// cols in `1..=max_cols`) and a query of `cols` components. Rows repeat
/// now and then (ties) and some are zero.
pub fn query_and_items(max_rows: usize, max_cols: usize) -> impl Strategy<Value = (Vec<f32>, Array2<f32>)> {
    (0..=max_rows, 1..=max_cols).prop_flat_map(|(rows, cols)| {
        let row = prop_oneof![
            6 => prop::collection::vec(-1.0_f32..1.0, cols),
            1 => Just(vec![0.0_f32; cols]),
            1 => Just(vec![0.5_f32; cols]),
        ];
        let query = prop::collection::vec(-1.0_f32..1.0, cols)
            .prop_filter("a zero query has no direction", |q| q.iter().any(|&x| x != 0.0));
        (query, prop::collection::vec(row, rows)).prop_map(move |(query, rows_data)| {
            let flat: Vec<f32> = rows_data.into_iter().flatten().collect();
            let items = Array2::from_shape_vec((flat.len() / cols.max(1), cols), flat)
                .unwrap_or_else(|_| Array2::zeros((0, cols)));
            (query, items)
        })
    })
}
