//! Wrong: select_nth_unstable(k - 1) without capping k at n panics.
//! Fails: edge_k_larger_than_n_returns_every_item_best_first: "panicked"

include!("../../answers/top_k/common.rs");

pub fn top_k(query: ArrayView1<f32>, items: ArrayView2<f32>, k: usize) -> Result<Vec<Hit>, VectorError> {
    validate(query, items)?;
    let mut hits = scored(query, items);
    if k == 0 {
        return Ok(vec![]);
    }
    hits.select_nth_unstable_by(k - 1, best_first);
    hits.truncate(k);
    hits.sort_by(best_first);
    Ok(hits)
}
