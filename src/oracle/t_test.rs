//! The paired t-test by other means than the reference: compensated sums
//! for the moments, and Student's t tail as a series instead of the
//! incomplete beta's continued fraction.
//!
//! **Moments.** Differences are divided by the largest `|d_i|` (so nothing
//! overflows or underflows when squared), then summed with Neumaier's
//! compensated summation: the mean first, then the residuals and their
//! squares, with the residual sum correcting the mean.
//!
//! **Tail.** For an integer number of degrees of freedom ν, Abramowitz and
//! Stegun 26.7.3–4 give `A = P(|T| < t)` as a finite sum in `θ = atan(t/√ν)`.
//! Since `Σ_k c_k cos^{2k}θ = 1/sinθ` (the binomial series of
//! `(1 − cos²θ)^{−1/2}`, `c_k = (2k−1)!!/(2k)!!`) and
//! `π/2 − θ = sinθ cosθ Σ_k d_k cos^{2k}θ` (the series of
//! `arcsin(x)/√(1−x²)`, `d_k = (2k)!!/(2k+1)!!`), the two-sided tail
//! `1 − A` is the rest of the same series, a sum of positive terms:
//!
//! ```text
//! ν even: P(|T| ≥ t) = sinθ · Σ_{k ≥ ν/2}        c_k cos^{2k}θ
//! ν odd:  P(|T| ≥ t) = (2/π) sinθ cosθ · Σ_{k ≥ (ν−1)/2} d_k cos^{2k}θ
//! ```
//!
//! The oracle sums that tail in log space (its first term can be 1e-150000),
//! so it returns `ln p`, exact to about 1e-12 relative in p however far out
//! the tail is. Where p ≥ 0.01 it sums the finite `A` instead (the tail
//! series would converge slowly there) and returns `ln(1 − A)`.
//! It costs O(ν) plus O((ν + t²)/t²) terms: slow, and plainly right.

use kata_types::StatsError;

/// The oracle's paired t-test.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PairedT {
    /// The t statistic.
    pub t: f64,
    /// Degrees of freedom, n − 1.
    pub df: u64,
    /// The natural log of the two-sided p-value (it may lie far below f64's range).
    pub ln_p: f64,
}

/// The error the contract requires for `a` and `b`, if any, in the
/// contract's order.
pub fn expected_error(a: &[f64], b: &[f64]) -> Option<StatsError> {
    if a.len() != b.len() {
        return Some(StatsError::LengthMismatch { a: a.len(), b: b.len() });
    }
    if a.len() < 2 {
        return Some(StatsError::TooFewPairs { pairs: a.len() });
    }
    let differences = differences(a, b);
    if differences.iter().any(|d| !d.is_finite()) {
        return Some(StatsError::NonFinite);
    }
    if differences.iter().all(|&d| d == differences[0]) {
        return Some(StatsError::ZeroVariance);
    }
    None
}

/// The paired t-test of `a` against `b`, or the contract's error.
///
/// # Errors
/// As [`expected_error`].
pub fn paired_t_test(a: &[f64], b: &[f64]) -> Result<PairedT, StatsError> {
    if let Some(error) = expected_error(a, b) {
        return Err(error);
    }
    let t = t_statistic(&differences(a, b));
    let df = a.len() as u64 - 1;
    Ok(PairedT { t, df, ln_p: ln_two_sided_p(t, df) })
}

/// `a_i − b_i`, as the contract defines the differences (in f64).
fn differences(a: &[f64], b: &[f64]) -> Vec<f64> {
    a.iter().zip(b).map(|(x, y)| x - y).collect()
}

/// `mean / (s / √n)` for differences that are finite and not all equal.
fn t_statistic(differences: &[f64]) -> f64 {
    let largest = differences.iter().fold(0.0_f64, |m, d| m.max(d.abs()));
    let scaled: Vec<f64> = differences.iter().map(|d| d / largest).collect();
    let n = scaled.len() as f64;
    let rough_mean = compensated_sum(scaled.iter().copied()) / n;
    let residual_sum = compensated_sum(scaled.iter().map(|x| x - rough_mean));
    let squares = compensated_sum(scaled.iter().map(|x| (x - rough_mean) * (x - rough_mean)));
    let mean = rough_mean + residual_sum / n;
    let variance = (squares - residual_sum * residual_sum / n) / (n - 1.0);
    mean / (variance / n).sqrt()
}

/// Neumaier's compensated sum: the rounding error of every addition is
/// collected and added back at the end.
pub fn compensated_sum(values: impl IntoIterator<Item = f64>) -> f64 {
    let (mut sum, mut compensation) = (0.0_f64, 0.0_f64);
    for value in values {
        let next = sum + value;
        compensation += if sum.abs() >= value.abs() { (sum - next) + value } else { (value - next) + sum };
        sum = next;
    }
    sum + compensation
}

/// `ln P(|T| ≥ |t|)` for Student's t with `df ≥ 1` degrees of freedom.
///
/// ```
/// use kata::oracle::t_test::ln_two_sided_p;
/// // ν = 1 is the Cauchy distribution: P(|T| ≥ 1) = 1/2.
/// assert!((ln_two_sided_p(1.0, 1) - 0.5_f64.ln()).abs() < 1e-14);
/// // ν = 2: P(|T| ≥ t) = 1 − t/√(2 + t²).
/// let t: f64 = 3.0;
/// assert!((ln_two_sided_p(t, 2) - (1.0 - t / (2.0 + t * t).sqrt()).ln()).abs() < 1e-12);
/// ```
pub fn ln_two_sided_p(t: f64, df: u64) -> f64 {
    let t2 = t * t;
    if t2 == 0.0 {
        return 0.0;
    }
    let nu = df as f64;
    let cos2 = nu / (nu + t2);
    let sin = (t2 / (nu + t2)).sqrt();
    let inside = probability_inside(t.abs(), df, cos2, sin);
    if 1.0 - inside >= 0.01 {
        return (1.0 - inside).ln();
    }
    ln_tail(t2, df)
}

/// A&S 26.7.3–4: `P(|T| < t)` as the finite sum of positive terms.
fn probability_inside(t: f64, df: u64, cos2: f64, sin: f64) -> f64 {
    let (mut term, mut sum) = (1.0_f64, 0.0_f64);
    if df.is_multiple_of(2) {
        for k in 0..df / 2 {
            sum += term;
            term *= cos2 * (2 * k + 1) as f64 / (2 * k + 2) as f64;
        }
        sin * sum
    } else {
        for k in 0..(df - 1) / 2 {
            sum += term;
            term *= cos2 * (2 * k + 2) as f64 / (2 * k + 3) as f64;
        }
        let theta = (t / (df as f64).sqrt()).atan();
        2.0 / std::f64::consts::PI * (theta + sin * cos2.sqrt() * sum)
    }
}

/// The rest of the series, `ln(1 − A)`, summed in log space.
fn ln_tail(t2: f64, df: u64) -> f64 {
    let nu = df as f64;
    let ln_cos2 = -(t2 / nu).ln_1p();
    let ln_sin = -0.5 * (nu / t2).ln_1p();
    let even = df.is_multiple_of(2);
    let first = if even { df / 2 } else { (df - 1) / 2 };
    // The coefficient ratios c_{k+1}/c_k = (2k+1)/(2k+2) and d_{k+1}/d_k = (2k+2)/(2k+3).
    let ratio = |k: u64| {
        if even { (2 * k + 1) as f64 / (2 * k + 2) as f64 } else { (2 * k + 2) as f64 / (2 * k + 3) as f64 }
    };
    let ln_ratio =
        |k: u64| if even { (-1.0 / (2 * k + 2) as f64).ln_1p() } else { (-1.0 / (2 * k + 3) as f64).ln_1p() };
    let ln_coefficient = compensated_sum((0..first).map(ln_ratio));
    let ln_prefactor = if even { ln_sin } else { (2.0 / std::f64::consts::PI).ln() + ln_sin + 0.5 * ln_cos2 };
    let cos2 = ln_cos2.exp();
    let (mut relative_term, mut series) = (1.0_f64, 0.0_f64);
    let mut k = first;
    while relative_term > 1e-18 * series || series == 0.0 {
        series += relative_term;
        relative_term *= ratio(k) * cos2;
        k += 1;
    }
    ln_prefactor + ln_coefficient + first as f64 * ln_cos2 + series.ln()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tails_match_published_values() {
        // Two-sided p-values from mpmath's betainc at 50 digits (R's 2*pt(-t, df)).
        let cases = [
            (10.0, 10, 1.589_553_175_596_412e-6),
            (50.0, 3, 1.7617152041271975e-5),
            (1e3, 10, 2.460824710173271e-26),
            (1e3, 100, 7.919618607947852e-202),
            (5.0, 1_000_000, 5.733997870890742e-7),
            (0.5, 7, 0.6324071356892842),
        ];
        for (t, df, p) in cases {
            let ln_p = ln_two_sided_p(t, df);
            assert!((ln_p - f64::ln(p)).abs() < 1e-10, "t {t}, df {df}: {} against {p:e}", ln_p.exp());
        }
        // Below f64's range: ln p = ln(0.0).
        let expected = 1.3868290541958592f64.ln() - 349.0 * 10f64.ln();
        assert!((ln_two_sided_p(40.0, 1_000_000) - expected).abs() < 1e-8);
    }

    #[test]
    fn the_t_statistic_of_a_small_case() {
        let result = paired_t_test(&[2.0, 4.0, 6.0], &[1.0, 2.0, 3.0]).expect("valid");
        assert!((result.t - 2.0 * 3f64.sqrt()).abs() < 1e-14);
        assert_eq!(result.df, 2);
    }
}
