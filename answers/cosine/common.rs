// Shared by the answers in this folder: the contract's checks, done plainly.

pub use kata_types::VectorError;
use ndarray::ArrayView1;

#[allow(dead_code)]
fn checks(a: &[f32], b: &[f32]) -> Result<(), VectorError> {
    if a.len() != b.len() {
        return Err(VectorError::DimensionMismatch { expected: a.len(), found: b.len() });
    }
    if a.is_empty() {
        return Err(VectorError::Empty);
    }
    if !a.iter().chain(b).all(|x| x.is_finite()) {
        return Err(VectorError::NonFinite);
    }
    if a.iter().all(|&x| x == 0.0) || b.iter().all(|&x| x == 0.0) {
        return Err(VectorError::ZeroNorm);
    }
    Ok(())
}

/// `a·b / (‖a‖ ‖b‖)` with the three sums in f64.
fn f64_cosine(a: &[f32], b: &[f32]) -> f32 {
    let (mut dot, mut na, mut nb) = (0f64, 0f64, 0f64);
    for (&x, &y) in a.iter().zip(b) {
        let (x, y) = (x as f64, y as f64);
        dot += x * y;
        na += x * x;
        nb += y * y;
    }
    (dot / (na.sqrt() * nb.sqrt())) as f32
}
