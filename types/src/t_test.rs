//! Types of the `t_test` exercise: the result of a paired t-test and why
//! there may be none.

use thiserror::Error;

/// The outcome of a paired t-test.
///
/// ```
/// use kata_types::TTest;
/// let result = TTest { t: 2.0, df: 1.0, p_value: 0.295 };
/// assert_eq!(result.df, 1.0);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TTest {
    /// The t statistic: `mean(d) / (s / √n)`, with the sign of `mean(d)`.
    pub t: f64,
    /// Degrees of freedom: `n − 1`.
    pub df: f64,
    /// Two-sided p-value: `P(|T| ≥ |t|)` for Student's t with `df` degrees of freedom.
    pub p_value: f64,
}

/// Why two samples cannot be compared with a paired t-test.
///
/// `paired_t_test` checks these
/// in the order the variants are declared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum StatsError {
    /// The samples are not paired: their lengths differ.
    #[error("the samples are not paired: {a} values against {b}")]
    LengthMismatch {
        /// Length of the first sample.
        a: usize,
        /// Length of the second sample.
        b: usize,
    },
    /// Fewer than two pairs: the sample standard deviation needs at least two.
    #[error("a paired t-test needs at least 2 pairs, got {pairs}")]
    TooFewPairs {
        /// How many pairs there were.
        pairs: usize,
    },
    /// A value is NaN or infinite, or a difference overflows to infinity.
    #[error("a value is NaN or infinite, or a difference overflows")]
    NonFinite,
    /// Every difference is the same, so the spread is zero and t is undefined.
    #[error("every difference is equal: zero variance, t is undefined")]
    ZeroVariance,
}
