//! Wrong: a one-sided p-value, P(T ≥ |t|), half the two-sided one.
//! Fails: examples_differences_one_two_three: "one-sided"

include!("../../answers/t_test/common.rs");

pub fn paired_t_test(a: &[f64], b: &[f64]) -> Result<TTest, StatsError> {
    let d = scaled(&differences(a, b)?);
    let (mean, variance) = two_pass(&d);
    let result = finish(d.len(), mean, variance);
    Ok(TTest { p_value: result.p_value / 2.0, ..result })
}
