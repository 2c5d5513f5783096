//! Exact cosine scores, in f64.

use ndarray::{ArrayView1, ArrayView2};

/// Cosine similarity in f64, or `None` when either vector is zero.
///
/// Components of f32 vectors squared stay far inside f64's range (1e-90 to
/// 1e77), so this plain formula neither overflows nor underflows.
///
/// ```
/// use kata::ndarray::array;
/// let cos = kata::oracle::vectors::cosine(array![1.0, 0.0].view(), array![1.0, 1.0].view());
/// assert!((cos.unwrap() - 0.5_f64.sqrt()).abs() < 1e-12);
/// ```
pub fn cosine(a: ArrayView1<f32>, b: ArrayView1<f32>) -> Option<f64> {
    let (mut dot, mut aa, mut bb) = (0.0_f64, 0.0_f64, 0.0_f64);
    for (&x, &y) in a.iter().zip(b) {
        let (x, y) = (f64::from(x), f64::from(y));
        dot += x * y;
        aa += x * x;
        bb += y * y;
    }
    (aa > 0.0 && bb > 0.0).then(|| (dot / (aa.sqrt() * bb.sqrt())).clamp(-1.0, 1.0))
}

/// The exact score of every row of `items` against `query`; a zero row
/// (or a zero query) scores 0.
pub fn scores(query: ArrayView1<f32>, items: ArrayView2<f32>) -> Vec<f64> {
    items.rows().into_iter().map(|row| cosine(query, row).unwrap_or(0.0)).collect()
}
