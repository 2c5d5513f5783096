//! Logit matrices and attention inputs: ordinary, huge and masked.

use ndarray::Array2;
use proptest::prelude::*;
use rand::{Rng, RngExt};

/// A `rows × classes` matrix of logits drawn uniformly from `[-scale, scale)`.
pub fn uniform_logits(rng: &mut impl Rng, rows: usize, classes: usize, scale: f32) -> Array2<f32> {
    Array2::from_shape_simple_fn((rows, classes), || rng.random_range(-1.0_f32..1.0) * scale)
}

/// A proptest strategy for a logit matrix of 1 to `max_rows` rows and 1 to
/// `max_classes` classes, with its targets: each matrix scaled by a power of
/// ten from `1e-3` to `1e30`, about one logit in eight masked (`-inf`),
/// and every row keeping at least one finite logit.
pub fn logits_and_targets(
    max_rows: usize,
    max_classes: usize,
) -> impl Strategy<Value = (Vec<Vec<f32>>, Vec<usize>)> {
    (1..=max_rows, 1..=max_classes, -3_i32..=30).prop_flat_map(|(rows, classes, exponent)| {
        let scale = 10_f32.powi(exponent);
        let logit =
            prop_oneof![7 => (-1.0_f32..1.0).prop_map(move |x| x * scale), 1 => Just(f32::NEG_INFINITY)];
        let row = prop::collection::vec(logit, classes).prop_map(|mut row| {
            if row.iter().all(|x| *x == f32::NEG_INFINITY) {
                row[0] = 0.0;
            }
            row
        });
        (prop::collection::vec(row, rows), prop::collection::vec(0..classes, rows))
    })
}

/// A proptest strategy for attention inputs `(q, k, v, causal)` as nested
/// rows: n ≤ m ≤ `max_len`, d ≤ `max_dim`, dv ≤ `max_dim`, q and k each
/// scaled by a power of ten from `1e-2` to `1e3` (scores up to about 1e6).
pub type AttentionCase = (Vec<Vec<f32>>, Vec<Vec<f32>>, Vec<Vec<f32>>, bool);

/// See [`AttentionCase`].
pub fn attention_case(max_len: usize, max_dim: usize) -> impl Strategy<Value = AttentionCase> {
    (1..=max_len, 1..=max_dim, 1..=max_dim, any::<bool>(), -2_i32..=3, -2_i32..=3).prop_flat_map(
        |(m, d, dv, causal, q_exponent, k_exponent)| {
            let matrix = |rows: usize, cols: usize, exponent: i32| {
                let scale = 10_f32.powi(exponent);
                prop::collection::vec(
                    prop::collection::vec((-1.0_f32..1.0).prop_map(move |x| x * scale), cols),
                    rows,
                )
            };
            (1..=m).prop_flat_map(move |n| {
                (matrix(n, d, q_exponent), matrix(m, d, k_exponent), matrix(m, dv, 0), Just(causal))
            })
        },
    )
}

/// Nested rows as a matrix (every row of one length).
///
/// # Panics
/// When the rows have different lengths: a bug in the caller.
pub fn to_matrix(rows: &[Vec<f32>], cols: usize) -> Array2<f32> {
    let flat: Vec<f32> = rows.iter().flatten().copied().collect();
    Array2::from_shape_vec((rows.len(), cols), flat).expect("rows of one length")
}
