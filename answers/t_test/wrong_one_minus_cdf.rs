//! Wrong: p = 2·(1 − cdf(|t|)), so every p below about 1e-16 becomes 0.
//! Fails: robust_far_tails_keep_their_relative_precision: "must not round to 0"

include!("../../answers/t_test/common.rs");

pub fn paired_t_test(a: &[f64], b: &[f64]) -> Result<TTest, StatsError> {
    let d = scaled(&differences(a, b)?);
    let (mean, variance) = two_pass(&d);
    let result = finish(d.len(), mean, variance);
    let cdf = 1.0 - 0.5 * result.p_value;
    Ok(TTest { p_value: 2.0 * (1.0 - cdf), ..result })
}
