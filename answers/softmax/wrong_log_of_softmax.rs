//! Wrong: log(exp(x − max) / sum) gives -inf where the probability underflows (exact: −1e4).
//! Fails: examples_a_logit_of_1e4_does_not_overflow: "never take the log of a probability"

include!("../../answers/softmax/common.rs");

const MISTAKE: Mistake = Mistake::None;

fn row_log_softmax(row: &[f32]) -> Vec<f64> {
    let max = row.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let sum: f32 = row.iter().map(|&x| (x - max).exp()).sum();
    row.iter().map(|&x| f64::from(((x - max).exp() / sum).ln())).collect()
}
