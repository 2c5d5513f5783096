//! Wrong: checks for a zero vector before checking for NaN and infinity.
//! Fails: edge_non_finite_is_checked_before_zero_norm: "error order"

include!("../../answers/cosine/common.rs");

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
    Ok(f64_cosine(&a, &b))
}
