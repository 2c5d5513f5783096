//! Paired samples for the `t_test` exercise: scores of two models over the
//! same seeds, at every magnitude, and samples built to have a chosen t.

use proptest::prelude::*;
use rand::{Rng, RngExt};

/// Paired samples `(a, b)` of `n` values: `b` scattered around `level`, and
/// `a = b + d` with differences `d_i = shift + spread·u_i`, `u_i` uniform
/// in `[-1, 1)`.
pub fn paired(rng: &mut impl Rng, n: usize, level: f64, shift: f64, spread: f64) -> (Vec<f64>, Vec<f64>) {
    let b: Vec<f64> = (0..n).map(|_| level * (1.0 + 0.1 * rng.random_range(-1.0..1.0))).collect();
    let a = b.iter().map(|&base| base + shift + spread * rng.random_range(-1.0..1.0)).collect();
    (a, b)
}

/// Paired samples of `df + 1` pairs whose t statistic is `t` (up to
/// rounding): `b` is all zeros and `a` is a standardised ramp (sample mean
/// 0, sample standard deviation 1) shifted by `t / √n`.
pub fn with_t(t: f64, df: usize) -> (Vec<f64>, Vec<f64>) {
    let n = df + 1;
    let middle = (n as f64 - 1.0) / 2.0;
    // The sample standard deviation of 0, 1, ..., n − 1 is √(n(n + 1)/12).
    let sd = (n as f64 * (n as f64 + 1.0) / 12.0).sqrt();
    let shift = t / (n as f64).sqrt();
    let a = (0..n).map(|i| (i as f64 - middle) / sd + shift).collect();
    (a, vec![0.0; n])
}

/// Random paired samples for property tests: 2 to `max_pairs` pairs, the
/// differences' scale anywhere from subnormal to 1e300, their shift from
/// none to a thousand times their spread.
pub fn paired_case(max_pairs: usize) -> impl Strategy<Value = (Vec<f64>, Vec<f64>)> {
    let shape = (2..=max_pairs, -320_i32..=299, -3.0_f64..3.0, -2.0_f64..2.0);
    shape.prop_flat_map(|(n, exponent, shift_exponent, level_exponent)| {
        let spread = 10_f64.powi(exponent);
        let shift = spread * 10_f64.powf(shift_exponent) * if shift_exponent > 0.0 { 1.0 } else { -1.0 };
        let level = (spread * 10_f64.powf(level_exponent)).min(1e299);
        let unit = -1.0_f64..1.0;
        (proptest::collection::vec((unit.clone(), unit), n)).prop_map(move |units| {
            let b: Vec<f64> = units.iter().map(|&(v, _)| level * v).collect();
            let a = units.iter().zip(&b).map(|(&(_, u), &base)| base + shift + spread * u).collect();
            (a, b)
        })
    })
}
