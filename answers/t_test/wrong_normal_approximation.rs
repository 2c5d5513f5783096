//! Wrong: the p-value from the normal distribution, not Student's t (far off at small df).
//! Fails: examples_published_critical_values: "Student's t"

include!("../../answers/t_test/common.rs");

/// erfc by Abramowitz & Stegun 7.1.26.
fn erfc(x: f64) -> f64 {
    let t = 1.0 / (1.0 + 0.327_591_1 * x);
    let poly = t * (0.254_829_592 + t * (-0.284_496_736 + t * (1.421_413_741 + t * (-1.453_152_027 + t * 1.061_405_429))));
    poly * (-x * x).exp()
}

pub fn paired_t_test(a: &[f64], b: &[f64]) -> Result<TTest, StatsError> {
    let d = scaled(&differences(a, b)?);
    let (mean, variance) = two_pass(&d);
    let result = finish(d.len(), mean, variance);
    Ok(TTest { p_value: erfc(result.t.abs() / std::f64::consts::SQRT_2), ..result })
}
