//! Wrong: exp without subtracting the row maximum overflows f32 at logits of 1e4.
//! Fails: examples_a_logit_of_1e4_does_not_overflow: "subtract the row maximum"

include!("../../answers/softmax/common.rs");

const MISTAKE: Mistake = Mistake::None;

fn row_log_softmax(row: &[f32]) -> Vec<f64> {
    let log_sum = row.iter().map(|&x| x.exp()).sum::<f32>().ln();
    row.iter().map(|&x| f64::from(x - log_sum)).collect()
}
