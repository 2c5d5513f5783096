//! Wrong: plain f32 sums of squares overflow at 1e30 and underflow at 1e-30.
//! Fails: examples_huge_components_do_not_overflow: "overflowed"

include!("../../answers/cosine/common.rs");

pub fn cosine_similarity(a: ArrayView1<f32>, b: ArrayView1<f32>) -> Result<f32, VectorError> {
    let (a, b) = (a.to_vec(), b.to_vec());
    checks(&a, &b)?;
    let dot: f32 = a.iter().zip(&b).map(|(x, y)| x * y).sum();
    let na: f32 = a.iter().map(|x| x * x).sum::<f32>().sqrt();
    let nb: f32 = b.iter().map(|x| x * x).sum::<f32>().sqrt();
    Ok((dot / (na * nb)).clamp(-1.0, 1.0))
}
