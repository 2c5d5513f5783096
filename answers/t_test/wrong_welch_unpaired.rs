//! Wrong: Welch's unpaired t-test, which ignores that the samples share seeds.
//! Fails: property_matches_the_oracle_at_every_magnitude: "n − 1 for"

include!("../../answers/t_test/common.rs");

pub fn paired_t_test(a: &[f64], b: &[f64]) -> Result<TTest, StatsError> {
    differences(a, b)?;
    let (mean_a, var_a) = two_pass(a);
    let (mean_b, var_b) = two_pass(b);
    let n = a.len() as f64;
    let (se_a, se_b) = (var_a / n, var_b / n);
    let t = (mean_a - mean_b) / (se_a + se_b).sqrt();
    let df = (se_a + se_b).powi(2) / (se_a * se_a / (n - 1.0) + se_b * se_b / (n - 1.0));
    Ok(TTest { t, df, p_value: two_sided_p(t, df) })
}
