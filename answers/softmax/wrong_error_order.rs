//! Wrong: every target is checked before any row, so a later bad target hides an earlier bad row.
//! Fails: edge_rows_are_checked_top_to_bottom: "whatever its kind"

include!("../../answers/softmax/common.rs");

const MISTAKE: Mistake = Mistake::TargetsFirst;

fn row_log_softmax(row: &[f32]) -> Vec<f64> {
    let max = row.iter().map(|&x| f64::from(x)).fold(f64::NEG_INFINITY, f64::max);
    let log_sum = row.iter().map(|&x| (f64::from(x) - max).exp()).sum::<f64>().ln();
    row.iter().map(|&x| f64::from(x) - max - log_sum).collect()
}
