//! Right: score every row in f64, sort everything (O(n log n)).

include!("../../answers/top_k/common.rs");

pub fn top_k(query: ArrayView1<f32>, items: ArrayView2<f32>, k: usize) -> Result<Vec<Hit>, VectorError> {
    validate(query, items)?;
    let mut hits = scored(query, items);
    hits.sort_by(best_first);
    hits.truncate(k);
    Ok(hits)
}
