//! Wrong: f32 norms overflow at 1e30 and underflow at 1e-30.
//! Fails: robust_extreme_magnitudes_neither_overflow_nor_underflow: "overflow or underflow"

include!("../../answers/top_k/common.rs");

pub fn top_k(query: ArrayView1<f32>, items: ArrayView2<f32>, k: usize) -> Result<Vec<Hit>, VectorError> {
    validate(query, items)?;
    let _ = cos64;
    let qn = query.dot(&query).sqrt();
    let mut hits: Vec<Hit> = items
        .rows()
        .into_iter()
        .enumerate()
        .map(|(index, r)| {
            let rn = r.dot(&r).sqrt();
            Hit { index, score: if rn == 0.0 { 0.0 } else { (r.dot(&query) / (qn * rn)).clamp(-1.0, 1.0) } }
        })
        .collect();
    hits.sort_by(best_first);
    hits.truncate(k);
    Ok(hits)
}
