//! Wrong: robust to magnitudes, but one f32 running sum drifts past 1e-5 over millions of terms.
//! Fails: scale_four_million_components_in_time_and_accurate: "single f32 running sum"

include!("../../answers/cosine/common.rs");

pub fn cosine_similarity(a: ArrayView1<f32>, b: ArrayView1<f32>) -> Result<f32, VectorError> {
    let (a, b) = (a.to_vec(), b.to_vec());
    checks(&a, &b)?;
    let ma = a.iter().fold(0f32, |m, x| m.max(x.abs()));
    let mb = b.iter().fold(0f32, |m, x| m.max(x.abs()));
    let (mut dot, mut na, mut nb) = (0f32, 0f32, 0f32);
    for (x, y) in a.iter().zip(&b) {
        let (x, y) = (x / ma, y / mb);
        dot += x * y;
        na += x * x;
        nb += y * y;
    }
    Ok((dot / (na.sqrt() * nb.sqrt())).clamp(-1.0, 1.0))
}
