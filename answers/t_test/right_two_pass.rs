//! Right: scaled two-pass variance, incomplete beta by continued fraction (Numerical Recipes).

include!("../../answers/t_test/common.rs");

pub fn paired_t_test(a: &[f64], b: &[f64]) -> Result<TTest, StatsError> {
    let d = scaled(&differences(a, b)?);
    let (mean, variance) = two_pass(&d);
    Ok(finish(d.len(), mean, variance))
}
