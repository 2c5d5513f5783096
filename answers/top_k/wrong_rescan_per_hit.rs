//! Wrong: picks the best remaining row k times: O(n * k).
//! Fails: scale_200k_items_with_a_large_k_needs_selection_or_a_sort: "far slower"

include!("../../answers/top_k/common.rs");

pub fn top_k(query: ArrayView1<f32>, items: ArrayView2<f32>, k: usize) -> Result<Vec<Hit>, VectorError> {
    validate(query, items)?;
    let scores: Vec<f32> = items.rows().into_iter().map(|r| cos64(query, r)).collect();
    let mut taken = vec![false; scores.len()];
    let mut hits = Vec::new();
    for _ in 0..k.min(scores.len()) {
        let mut best: Option<usize> = None;
        for i in 0..scores.len() {
            if !taken[i] && best.is_none_or(|b| scores[i] > scores[b]) {
                best = Some(i);
            }
        }
        let b = best.unwrap();
        taken[b] = true;
        hits.push(Hit { index: b, score: scores[b] });
    }
    Ok(hits)
}
