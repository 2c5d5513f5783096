//! Wrong: two passes in f32 with `x − max` taken in f32. A row spanning more
//! than f32 holds (3e38 and -3e38) turns that difference into -inf, so a
//! mean loss of 3e38, which f32 holds, comes out +inf.
//! Fails: robust_a_row_wider_than_f32_holds_gives_infinities: "in f64"

include!("../../answers/softmax/common.rs");

const MISTAKE: Mistake = Mistake::None;

fn row_log_softmax(row: &[f32]) -> Vec<f64> {
    let max = row.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let log_sum = row.iter().map(|&x| f64::from((x - max).exp())).sum::<f64>().ln() as f32;
    row.iter().map(|&x| f64::from((x - max) - log_sum)).collect()
}
