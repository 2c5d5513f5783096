//! Wrong: scaled f32 sums, but the ratio is not clamped and can pass 1.
//! Fails: robust_near_duplicates_score_just_below_one: "clamp the result"

include!("../../answers/cosine/common.rs");

pub fn cosine_similarity(a: ArrayView1<f32>, b: ArrayView1<f32>) -> Result<f32, VectorError> {
    let (a, b) = (a.to_vec(), b.to_vec());
    checks(&a, &b)?;
    let m = a.iter().chain(&b).fold(0f32, |m, x| m.max(x.abs()));
    let (a, b): (Vec<f32>, Vec<f32>) = (a.iter().map(|x| x / m).collect(), b.iter().map(|x| x / m).collect());
    let dot: f32 = a.iter().zip(&b).map(|(x, y)| x * y).sum();
    let na: f32 = a.iter().map(|x| x * x).sum::<f32>();
    let nb: f32 = b.iter().map(|x| x * x).sum::<f32>();
    Ok(dot / (na.sqrt() * nb.sqrt()))
}
