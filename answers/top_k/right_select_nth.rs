//! Right: select_nth_unstable for the cut, then sort only the k best.

include!("../../answers/top_k/common.rs");

pub fn top_k(query: ArrayView1<f32>, items: ArrayView2<f32>, k: usize) -> Result<Vec<Hit>, VectorError> {
    validate(query, items)?;
    let mut hits: Vec<Hit> = items
        .rows()
        .into_iter()
        .enumerate()
        .map(|(index, r)| Hit { index, score: cos64(query, r) })
        .collect();
    let cmp = |a: &Hit, b: &Hit| b.score.total_cmp(&a.score).then(a.index.cmp(&b.index));
    if k == 0 {
        return Ok(vec![]);
    }
    if k < hits.len() {
        hits.select_nth_unstable_by(k - 1, cmp);
        hits.truncate(k);
    }
    hits.sort_by(cmp);
    Ok(hits)
}
