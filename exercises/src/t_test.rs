//! # Paired t-test over seeds
//!
//! You trained model A and model B with the same n seeds and measured each
//! run. Is A really better, or is the gap seed noise? The paired t-test
//! answers with a p-value: how often a gap at least this large would appear
//! if the two models were equally good. Write it so that it stays right
//! when the p-value is 1e-200 and when the scores are near 1e9.
//!
//! ## Task
//! Implement [`paired_t_test`]. With the differences `d_i = a_i − b_i` over
//! n pairs:
//! - `mean = Σ d_i / n`, the sample standard deviation
//!   `s = √( Σ (d_i − mean)² / (n − 1) )` (n − 1, not n),
//! - `t = mean / (s / √n)` (it keeps the sign of the mean), `df = n − 1`,
//! - `p_value = P(|T| ≥ |t|)`, two-sided, for Student's t distribution with
//!   `df` degrees of freedom. In terms of the regularised incomplete beta
//!   function, `P(|T| ≥ |t|) = I_x(df/2, 1/2)` with `x = df / (df + t²)`.
//!
//! ## Examples
//! ```text
//! a = [2, 4, 6],  b = [1, 2, 3]   d = [1, 2, 3]: mean 2, s = 1
//!     → t = 2 / (1/√3) = 2√3 = 3.4641016, df = 2,
//!       p = 1 − t/√(2 + t²) = 1 − √(12/14) = 0.0741799      (the df = 2 closed form)
//! a = [3, 5],  b = [2, 2]          d = [1, 3]: mean 2, s = √2
//!     → t = 2, df = 1, p = 1 − (2/π)·atan(2) = 0.2951672    (df = 1 is the Cauchy distribution)
//! a = [0.82, 0.85, 0.81, 0.84, 0.83], b = [0.80, 0.82, 0.80, 0.83, 0.80]
//!                                  d = [.02, .03, .01, .01, .03]: mean 0.02, s = 0.01
//!     → t = 2√5 = 4.4721360, df = 4, p = 1 − (13/12)·√(5/6) = 0.0110565
//! a = [1, 2, 3], b = [3, 4, 5]     d = [−2, −2, −2] → Err(ZeroVariance)
//! ```
//! Swapping `a` and `b` flips the sign of `t` and keeps `p`. Textbook check:
//! t = 2.228139 with df = 10 gives p = 0.0500000 (the 5% critical value).
//!
//! ## Errors, checked in this order
//! 1. `a.len() != b.len()` → `Err(LengthMismatch { a: a.len(), b: b.len() })`
//! 2. fewer than 2 pairs → `Err(TooFewPairs { pairs: n })`
//! 3. a NaN or ±infinity in either input, or a difference `a_i − b_i` that
//!    overflows to infinity (`1e308 − (−1e308)`) → `Err(NonFinite)`
//! 4. every difference equal (compare with `==`, so 0.0 and −0.0 are equal)
//!    → `Err(ZeroVariance)`. Decide this by comparing the differences, not
//!    by testing a computed s: rounding can leave s = 1e-17 for equal values.
//!
//! ## Accuracy
//! For n up to 10⁶ and differences from subnormal up to 1e300 in magnitude,
//! wherever the spread is not below a millionth of the mean
//! (`s ≥ 1e-6·|mean|`):
//! - `t` within 1e-9 relative or 1e-12 absolute;
//! - `p_value` within 1e-5 relative where the exact p ≥ 1e-300; below that,
//!   any p ≤ 1e-300 is accepted.
//!
//! The traps: `Σd² − n·mean²` cancels to garbage when the differences are
//! near 1e9 (use two passes, or Welford's update); `d²` overflows at 1e300
//! (scale before squaring); a normal approximation is wrong at small df;
//! and `1 − cdf(|t|)` turns every p below 1e-16 into 0 (compute the upper
//! tail directly). Rust's standard library has no `ln Γ`: you will need
//! your own (a Lanczos approximation is a dozen lines).
//!
//! ## What a strong answer looks like
//! O(n) time and O(1) extra memory: a pass or two over the pairs, with no
//! vector of differences needed. The p-value costs O(1) in n: the
//! regularised incomplete beta by its continued fraction (Lentz's method)
//! converges in a few dozen terms when evaluated on the right side of the
//! symmetry `I_x(a, b) = 1 − I_{1−x}(b, a)`, with the prefactor
//! `x^a (1−x)^b / B(a, b)` computed in log space.

pub use kata_types::{StatsError, TTest};

/// The paired t-test of `a` against `b`: the t statistic, `df = n − 1` and
/// the two-sided p-value.
///
/// See the module documentation for the errors and the accuracy required.
pub fn paired_t_test(a: &[f64], b: &[f64]) -> Result<TTest, StatsError> {
    todo!("open exercises/src/t_test.rs: a paired t-test over {} and {} values", a.len(), b.len())
}
