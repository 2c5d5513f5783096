//! Right: score every row in f64, sort everything (O(n log n)).

include!("../../answers/top_k/common.rs");

pub fn top_k(query: ArrayView1<f32>, items: ArrayView2<f32>, k: usize) -> Result<Vec<Hit>, VectorError> {
    validate(query, items)?;
    let mut hits: Vec<Hit> = items
        .rows()
        .into_iter()
        .enumerate()
        .map(|(index, r)| Hit { index, score: cos64(query, r) })
        .collect();
    hits.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.index.cmp(&b.index)));
    hits.truncate(k);
    Ok(hits)
}
