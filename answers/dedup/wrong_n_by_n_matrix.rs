//! Wrong: builds the whole n × n similarity matrix first (memory grows as n²).
//! Fails: robust_peak_memory_stays_linear_no_n_by_n_matrix: "never build the n x n"

include!("../../answers/dedup/common.rs");

pub fn dedup(embeddings: ArrayView2<f32>, threshold: f32) -> Result<Vec<usize>, DedupError> {
    checks(embeddings, threshold)?;
    let rows = rows_f64(embeddings, false, false);
    let n = rows.len();
    let mut similarities = vec![0.0_f32; n * n];
    for i in 0..n {
        for j in 0..i {
            similarities[i * n + j] = dot(&rows[i], &rows[j]) as f32;
        }
    }
    let mut kept: Vec<usize> = Vec::new();
    for i in 0..n {
        if kept.iter().all(|&j| similarities[i * n + j] < threshold) {
            kept.push(i);
        }
    }
    Ok(kept)
}
