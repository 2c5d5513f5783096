//! Greedy near-duplicate removal, pair by pair, in f64.

use ndarray::ArrayView2;

use super::vectors::cosine;

/// The exact similarity the `dedup` contract uses: the f64 cosine, and 0
/// when either row is zero.
pub fn similarity(a: ndarray::ArrayView1<f32>, b: ndarray::ArrayView1<f32>) -> f64 {
    cosine(a, b).unwrap_or(0.0)
}

/// The rows kept by the contract's rule, for valid input: row `i` is kept
/// iff its exact similarity with every row kept before it is `< threshold`.
///
/// ```
/// use kata::ndarray::array;
/// let rows = array![[1.0, 0.0], [1.0, 1.0], [0.0, 1.0]];
/// assert_eq!(kata::oracle::dedup::kept(rows.view(), 0.5), vec![0, 2]);
/// ```
pub fn kept(embeddings: ArrayView2<f32>, threshold: f32) -> Vec<usize> {
    let mut kept: Vec<usize> = Vec::new();
    for (index, row) in embeddings.rows().into_iter().enumerate() {
        let unique =
            kept.iter().all(|&earlier| similarity(row, embeddings.row(earlier)) < f64::from(threshold));
        if unique {
            kept.push(index);
        }
    }
    kept
}

/// The exact similarity of every pair of distinct rows.
pub fn pairwise_similarities(embeddings: ArrayView2<f32>) -> Vec<f64> {
    let rows = embeddings.nrows();
    let mut similarities = Vec::with_capacity(rows * rows.saturating_sub(1) / 2);
    for i in 0..rows {
        for j in 0..i {
            similarities.push(similarity(embeddings.row(i), embeddings.row(j)));
        }
    }
    similarities
}
