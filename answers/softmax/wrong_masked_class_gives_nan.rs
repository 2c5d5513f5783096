//! Wrong: the loss as −Σ onehot·log_p: 0 · (−inf) is NaN, so a masked class spoils the row.
//! Fails: robust_masked_classes_and_masked_targets: "masked -inf class"

include!("../../answers/softmax/common.rs");

const MISTAKE: Mistake = Mistake::OneHotDot;

fn row_log_softmax(row: &[f32]) -> Vec<f64> {
    let max = row.iter().map(|&x| f64::from(x)).fold(f64::NEG_INFINITY, f64::max);
    let log_sum = row.iter().map(|&x| (f64::from(x) - max).exp()).sum::<f64>().ln();
    row.iter().map(|&x| f64::from(x) - max - log_sum).collect()
}
