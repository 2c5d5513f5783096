//! Exact scaled dot-product attention, in f64.

use ndarray::{Array2, ArrayView2};

/// `softmax(q·kᵀ / √d + mask) · v` in f64, one query row at a time; with
/// `causal`, query `i` sees keys `0 ..= i + (m − n)`.
///
/// The inputs must be valid (the caller checks the contract's errors).
///
/// ```
/// use kata::ndarray::array;
/// let q = array![[0.0_f32, 0.0]];
/// let k = array![[1.0_f32, 0.0], [0.0, 1.0]];
/// let v = array![[1.0_f32, 0.0], [0.0, 3.0]];
/// let out = kata::oracle::attention::attention(q.view(), k.view(), v.view(), false);
/// assert_eq!(out, array![[0.5, 1.5]]);
/// ```
pub fn attention(q: ArrayView2<f32>, k: ArrayView2<f32>, v: ArrayView2<f32>, causal: bool) -> Array2<f64> {
    let (n, m) = (q.nrows(), k.nrows());
    let scale = 1.0 / (q.ncols() as f64).sqrt();
    let mut out = Array2::zeros((n, v.ncols()));
    for (i, mut out_row) in out.rows_mut().into_iter().enumerate() {
        let visible = if causal { i + (m - n) + 1 } else { m };
        let scores: Vec<f64> = (0..visible)
            .map(|j| {
                q.row(i).iter().zip(k.row(j)).map(|(&a, &b)| f64::from(a) * f64::from(b)).sum::<f64>() * scale
            })
            .collect();
        let max = scores.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let weights: Vec<f64> = scores.iter().map(|s| (s - max).exp()).collect();
        let total: f64 = weights.iter().sum();
        for (j, weight) in weights.iter().enumerate() {
            for (out, &value) in out_row.iter_mut().zip(v.row(j)) {
                *out += weight / total * f64::from(value);
            }
        }
    }
    out
}
