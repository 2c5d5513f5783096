//! Wrong: an all -inf row is not checked, so it comes out as NaN instead of NoFiniteLogit.
//! Fails: edge_a_row_of_minus_infinity_has_no_finite_logit: "not a row of NaN"

include!("../../answers/softmax/common.rs");

const MISTAKE: Mistake = Mistake::NoFiniteLogitUnchecked;

fn row_log_softmax(row: &[f32]) -> Vec<f64> {
    let max = row.iter().map(|&x| f64::from(x)).fold(f64::NEG_INFINITY, f64::max);
    let log_sum = row.iter().map(|&x| (f64::from(x) - max).exp()).sum::<f64>().ln();
    row.iter().map(|&x| f64::from(x) - max - log_sum).collect()
}
