//! Wrong: ranks by dot product, not by angle.
//! Fails: robust_scores_never_pass_one: "both norms"

include!("../../answers/top_k/common.rs");

pub fn top_k(query: ArrayView1<f32>, items: ArrayView2<f32>, k: usize) -> Result<Vec<Hit>, VectorError> {
    validate(query, items)?;
    let _ = cos64;
    let mut hits: Vec<Hit> =
        items.rows().into_iter().enumerate().map(|(index, r)| Hit { index, score: r.dot(&query) }).collect();
    hits.sort_by(best_first);
    hits.truncate(k);
    Ok(hits)
}
