//! Wrong: checks for a zero vector before checking for NaN and infinity.

pub use kata_types::VectorError;
use ndarray::ArrayView1;

pub fn cosine_similarity(a: ArrayView1<f32>, b: ArrayView1<f32>) -> Result<f32, VectorError> {
    let (a, b) = (a.to_vec(), b.to_vec());
    if a.len() != b.len() {
        return Err(VectorError::DimensionMismatch { expected: a.len(), found: b.len() });
    }
    if a.is_empty() {
        return Err(VectorError::Empty);
    }
    if a.iter().all(|&x| x == 0.0) || b.iter().all(|&x| x == 0.0) {
        return Err(VectorError::ZeroNorm);
    }
    if !a.iter().chain(&b).all(|x| x.is_finite()) {
        return Err(VectorError::NonFinite);
    }
    let (mut dot, mut na, mut nb) = (0f64, 0f64, 0f64);
    for (&x, &y) in a.iter().zip(&b) {
        let (x, y) = (x as f64, y as f64);
        dot += x * y;
        na += x * x;
        nb += y * y;
    }
    Ok((dot / (na.sqrt() * nb.sqrt())) as f32)
}
