//! Right: Welford's one-pass update on the scaled differences.

include!("../../answers/t_test/common.rs");

pub fn paired_t_test(a: &[f64], b: &[f64]) -> Result<TTest, StatsError> {
    let d = scaled(&differences(a, b)?);
    let (mut mean, mut m2) = (0.0, 0.0);
    for (i, &x) in d.iter().enumerate() {
        let delta = x - mean;
        mean += delta / (i + 1) as f64;
        m2 += delta * (x - mean);
    }
    Ok(finish(d.len(), mean, m2 / (d.len() - 1) as f64))
}
