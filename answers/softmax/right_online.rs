//! Right: one pass with a running maximum, rescaling the running sum when it grows.

include!("../../answers/softmax/common.rs");

const MISTAKE: Mistake = Mistake::None;

fn row_log_softmax(row: &[f32]) -> Vec<f64> {
    let (mut max, mut sum) = (f64::NEG_INFINITY, 0.0_f64);
    for &x in row {
        let x = f64::from(x);
        if x == f64::NEG_INFINITY {
            continue; // a masked class adds nothing
        }
        if x > max {
            sum = sum * (max - x).exp() + 1.0;
            max = x;
        } else {
            sum += (x - max).exp();
        }
    }
    let lse = max + sum.ln();
    row.iter().map(|&x| f64::from(x) - lse).collect()
}
