// Shared by the answers in this folder: the contract's checks, then each
// answer's `rows` computes the output.

pub use kata_types::AttentionError;
use ndarray::{Array2, ArrayView2};

pub fn attention(
    q: ArrayView2<f32>,
    k: ArrayView2<f32>,
    v: ArrayView2<f32>,
    causal: bool,
) -> Result<Array2<f32>, AttentionError> {
    if q.ncols() != k.ncols() {
        return Err(AttentionError::DimensionMismatch { expected: q.ncols(), found: k.ncols() });
    }
    if k.nrows() != v.nrows() {
        return Err(AttentionError::KeyValueMismatch { keys: k.nrows(), values: v.nrows() });
    }
    if causal && q.nrows() > k.nrows() {
        return Err(AttentionError::CausalShape { queries: q.nrows(), keys: k.nrows() });
    }
    if q.ncols() == 0 || k.nrows() == 0 {
        return Err(AttentionError::Empty);
    }
    if !q.iter().chain(k.iter()).chain(v.iter()).all(|x| x.is_finite()) {
        return Err(AttentionError::NonFinite);
    }
    Ok(rows(q, k, v, causal))
}

/// `q_i · k_j` in f64.
#[allow(dead_code)]
fn dot(q: ArrayView2<f32>, i: usize, k: ArrayView2<f32>, j: usize) -> f64 {
    q.row(i).iter().zip(k.row(j)).map(|(&a, &b)| f64::from(a) * f64::from(b)).sum()
}

/// One query row at a time: `visible(i)` keys, scores scaled by `scale`,
/// a softmax (stable unless `stable` is false), the weighted values in f64.
#[allow(dead_code)]
fn row_by_row(
    q: ArrayView2<f32>,
    k: ArrayView2<f32>,
    v: ArrayView2<f32>,
    scale: f64,
    stable: bool,
    visible: impl Fn(usize) -> usize,
) -> Array2<f32> {
    let mut out = Array2::zeros((q.nrows(), v.ncols()));
    for i in 0..q.nrows() {
        let scores: Vec<f32> = (0..visible(i)).map(|j| (dot(q, i, k, j) * scale) as f32).collect();
        let max = if stable { scores.iter().copied().fold(f32::NEG_INFINITY, f32::max) } else { 0.0 };
        let weights: Vec<f64> = scores.iter().map(|&s| f64::from((s - max).exp())).collect();
        let total: f64 = weights.iter().sum();
        for (j, w) in weights.iter().enumerate() {
            for (c, &x) in v.row(j).iter().enumerate() {
                out[[i, c]] += (w / total * f64::from(x)) as f32;
            }
        }
    }
    out
}
