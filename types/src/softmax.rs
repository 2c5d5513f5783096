//! Types of the `softmax` exercise.

use thiserror::Error;

/// Why a log-softmax or a cross-entropy has no answer.
///
/// Checked in this order: [`LossError::ShapeMismatch`] (cross-entropy only),
/// then [`LossError::Empty`], then the rows top to bottom, the first failing
/// row's first error in the order `TargetOutOfRange`, `NonFinite`,
/// `NoFiniteLogit`.
///
/// ```
/// use kata_types::LossError;
/// let error = LossError::NoFiniteLogit { row: 2 };
/// assert_eq!(error.to_string(), "row 2 has no finite logit: every class is masked (-inf)");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum LossError {
    /// There is not one target per row.
    #[error("{targets} targets for {rows} rows: give one target per row")]
    ShapeMismatch {
        /// Rows of the logits.
        rows: usize,
        /// Targets given.
        targets: usize,
    },
    /// The logits have zero rows or zero columns.
    #[error("the logits have zero rows or zero columns")]
    Empty,
    /// A target names a class the logits do not have.
    #[error("row {row}: target {target} is out of range for {classes} classes")]
    TargetOutOfRange {
        /// The row, counted from 0.
        row: usize,
        /// The target given for it.
        target: usize,
        /// The number of classes (columns).
        classes: usize,
    },
    /// A logit of the row is NaN or `+inf`.
    #[error("row {row} has a NaN or +inf logit")]
    NonFinite {
        /// The row, counted from 0.
        row: usize,
    },
    /// Every logit of the row is `-inf`: no class has any probability.
    #[error("row {row} has no finite logit: every class is masked (-inf)")]
    NoFiniteLogit {
        /// The row, counted from 0.
        row: usize,
    },
}
