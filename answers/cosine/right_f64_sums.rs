//! Right: three sums in f64, no clamp needed (an f64 ratio rounds to at most 1.0 in f32).

include!("../../answers/cosine/common.rs");

pub fn cosine_similarity(a: ArrayView1<f32>, b: ArrayView1<f32>) -> Result<f32, VectorError> {
    let (a, b) = (a.to_vec(), b.to_vec());
    checks(&a, &b)?;
    Ok(f64_cosine(&a, &b))
}
