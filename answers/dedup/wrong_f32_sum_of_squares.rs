//! Wrong: each cosine from f32 dot products, so the squares of 1e30 overflow
//! to inf and those of 1e-30 or subnormals underflow to 0.
//! Fails: robust_extreme_magnitudes_neither_overflow_nor_underflow: "overflow or underflow"

pub use kata_types::DedupError;
use ndarray::ArrayView2;

pub fn dedup(embeddings: ArrayView2<f32>, threshold: f32) -> Result<Vec<usize>, DedupError> {
    if !(-1.0..=1.0).contains(&threshold) {
        return Err(DedupError::InvalidThreshold);
    }
    if embeddings.nrows() > 0 && embeddings.ncols() == 0 {
        return Err(DedupError::Empty);
    }
    if embeddings.iter().any(|x| !x.is_finite()) {
        return Err(DedupError::NonFinite);
    }
    let cosine = |i: usize, j: usize| {
        let (a, b) = (embeddings.row(i), embeddings.row(j));
        let norms = a.dot(&a).sqrt() * b.dot(&b).sqrt();
        if norms == 0.0 { 0.0 } else { a.dot(&b) / norms }
    };
    let mut kept: Vec<usize> = Vec::new();
    for i in 0..embeddings.nrows() {
        if kept.iter().all(|&j| cosine(i, j) < threshold) {
            kept.push(i);
        }
    }
    Ok(kept)
}
