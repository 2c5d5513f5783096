// Shared by the answers in this folder: the contract's checks, done plainly.

pub use kata_types::VectorError;
use ndarray::ArrayView1;

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
