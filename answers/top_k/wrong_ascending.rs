//! Wrong: worst first.
//! Fails: examples_every_way_agrees_on_the_statement: "not best first"

include!("../../answers/top_k/common.rs");

pub fn top_k(query: ArrayView1<f32>, items: ArrayView2<f32>, k: usize) -> Result<Vec<Hit>, VectorError> {
    validate(query, items)?;
    let mut hits = scored(query, items);
    hits.sort_by(best_first);
    hits.truncate(k);
    hits.reverse();
    Ok(hits)
}
