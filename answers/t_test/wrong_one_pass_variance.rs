//! Wrong: the one-pass variance Σd² − n·mean², which cancels when the differences are near 1e9.
//! Fails: robust_differences_near_1e9_do_not_cancel: "Welford"

include!("../../answers/t_test/common.rs");

pub fn paired_t_test(a: &[f64], b: &[f64]) -> Result<TTest, StatsError> {
    let d = scaled(&differences(a, b)?);
    let n = d.len() as f64;
    let mean = d.iter().sum::<f64>() / n;
    let squares: f64 = d.iter().map(|x| x * x).sum();
    Ok(finish(d.len(), mean, ((squares - n * mean * mean) / (n - 1.0)).max(f64::MIN_POSITIVE)))
}
