//! Wrong: the dot product without dividing by the norms.
//! Fails: examples_parallel_vectors_score_one: "BOTH norms"

include!("../../answers/cosine/common.rs");

pub fn cosine_similarity(a: ArrayView1<f32>, b: ArrayView1<f32>) -> Result<f32, VectorError> {
    let (a, b) = (a.to_vec(), b.to_vec());
    checks(&a, &b)?;
    Ok(a.iter().zip(&b).map(|(x, y)| (*x as f64) * (*y as f64)).sum::<f64>() as f32)
}
