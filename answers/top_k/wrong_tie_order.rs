//! Wrong: equal scores in no particular order (here: higher index first).
//! Fails: examples_ties_at_zero_go_lower_index_first: "lower index first"

include!("../../answers/top_k/common.rs");

pub fn top_k(query: ArrayView1<f32>, items: ArrayView2<f32>, k: usize) -> Result<Vec<Hit>, VectorError> {
    validate(query, items)?;
    let mut hits = scored(query, items);
    hits.reverse();
    hits.sort_by(|a, b| b.score.total_cmp(&a.score));
    hits.truncate(k);
    Ok(hits)
}
