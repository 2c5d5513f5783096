//! Wrong: the gradient of the summed loss, softmax − onehot, not divided by the rows.
//! Fails: examples_gradient_is_that_of_the_mean_loss: "not the gradient of the sum"

include!("../../answers/softmax/common.rs");

const MISTAKE: Mistake = Mistake::SummedGradient;

fn row_log_softmax(row: &[f32]) -> Vec<f64> {
    let max = row.iter().map(|&x| f64::from(x)).fold(f64::NEG_INFINITY, f64::max);
    let log_sum = row.iter().map(|&x| (f64::from(x) - max).exp()).sum::<f64>().ln();
    row.iter().map(|&x| f64::from(x) - max - log_sum).collect()
}
