//! Wrong: the population standard deviation (divides by n, not n − 1).
//! Fails: examples_published_critical_values: "with s over n"

include!("../../answers/t_test/common.rs");

pub fn paired_t_test(a: &[f64], b: &[f64]) -> Result<TTest, StatsError> {
    let d = scaled(&differences(a, b)?);
    let (mean, variance) = two_pass(&d);
    let n = d.len() as f64;
    Ok(finish(d.len(), mean, variance * (n - 1.0) / n))
}
