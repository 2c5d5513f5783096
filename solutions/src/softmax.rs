//! # Log-softmax and cross-entropy that never overflow: reference solution
//!
//! Every row goes through the same two passes, both over a row that sits in
//! L1/L2 cache after the first touch:
//!
//! 1. the row's maximum `m` (16 lanes of `max`), which also classifies the
//!    row: `m = +inf` means a `+inf` logit, `m = -inf` a row with no finite
//!    logit (or only NaN, told apart by a rare slow scan);
//! 2. `s = Σ exp(xⱼ − m)` with a vectorised `exp` (see `kernels::exp`):
//!    every argument is `≤ 0`, so nothing overflows, and the largest term is
//!    exactly 1, so `s ≥ 1` and `ln s` never sees 0. A NaN logit makes `s`
//!    NaN, which is how NaN is detected without a third pass.
//!
//! Then `log_softmax[j] = (xⱼ − m) − ln s`, computed in that order: `xⱼ − m`
//! is exact when `xⱼ` is near the maximum, and subtracting `ln s` last keeps
//! a value like `−1e4` exact even when its probability underflows to 0.
//! The loss of a row is `m + ln s − x_target` in f64, averaged over rows in
//! f64. The gradient pass stores `exp(xⱼ − m)` while summing and scales the
//! row once by `1 / (s · rows)`: one `exp` per logit in total.
//!
//! Cost: O(rows · classes) time, two reads of each logit (the second from
//! cache) and, for the gradient, one write; no allocation beyond the output
//! (a row is copied only when the view is not contiguous).

use std::borrow::Cow;

pub use kata_types::LossError;
use ndarray::{Array2, ArrayView1, ArrayView2};

use crate::kernels::exp::{self, Kernel};

/// `logits[r, j] − logsumexp(logits[r, ..])` for every row `r`.
///
/// `-inf` logits (masked classes) give `-inf`. Errors: `Empty`, then rows
/// top to bottom: `NonFinite` (a NaN or `+inf`), `NoFiniteLogit`.
///
/// ```
/// use ndarray::array;
/// use solutions::softmax::log_softmax;
/// let out = log_softmax(array![[0.0_f32, 0.0], [1e4, 0.0]].view()).expect("valid input");
/// assert!((out[[0, 0]] - (-std::f32::consts::LN_2)).abs() < 1e-6);
/// assert_eq!(out[[1, 0]], 0.0);
/// assert_eq!(out[[1, 1]], -1e4);
/// ```
pub fn log_softmax(logits: ArrayView2<f32>) -> Result<Array2<f32>, LossError> {
    check_not_empty(logits)?;
    let kernel = Kernel::best();
    let mut out = Array2::zeros(logits.raw_dim());
    for (row, (logits_row, mut out_row)) in logits.rows().into_iter().zip(out.rows_mut()).enumerate() {
        let logits_row = contiguous(logits_row);
        let stats = RowStats::of(kernel, &logits_row, row)?;
        let log_sum = stats.sum.ln() as f32;
        for (out, &x) in out_row.iter_mut().zip(logits_row.iter()) {
            *out = (x - stats.max) - log_sum;
        }
    }
    Ok(out)
}

/// The mean over rows of `−log_softmax[r, targets[r]]`.
///
/// A target whose logit is `-inf` makes the loss `+inf`. Errors:
/// `ShapeMismatch`, `Empty`, then rows top to bottom: `TargetOutOfRange`,
/// `NonFinite`, `NoFiniteLogit`.
///
/// ```
/// use ndarray::array;
/// use solutions::softmax::cross_entropy;
/// let loss = cross_entropy(array![[0.0_f32, 0.0]].view(), &[1]).expect("valid input");
/// assert!((loss - std::f32::consts::LN_2).abs() < 1e-6);
/// ```
pub fn cross_entropy(logits: ArrayView2<f32>, targets: &[usize]) -> Result<f32, LossError> {
    check_shapes(logits, targets)?;
    let kernel = Kernel::best();
    let mut total = 0.0_f64;
    for (row, (logits_row, &target)) in logits.rows().into_iter().zip(targets).enumerate() {
        check_target(row, target, logits.ncols())?;
        let logits_row = contiguous(logits_row);
        let stats = RowStats::of(kernel, &logits_row, row)?;
        total += stats.loss(logits_row[target]);
    }
    Ok((total / logits.nrows() as f64) as f32)
}

/// [`cross_entropy`] and its gradient with respect to the logits:
/// `(softmax(x) − onehot(targets)) / rows`, finite even when the loss is
/// `+inf`.
///
/// ```
/// use ndarray::array;
/// use solutions::softmax::cross_entropy_with_grad;
/// let (loss, grad) = cross_entropy_with_grad(array![[0.0_f32, 0.0]].view(), &[1]).expect("valid input");
/// assert!((loss - std::f32::consts::LN_2).abs() < 1e-6);
/// assert_eq!(grad, array![[0.5, -0.5]]);
/// ```
pub fn cross_entropy_with_grad(
    logits: ArrayView2<f32>,
    targets: &[usize],
) -> Result<(f32, Array2<f32>), LossError> {
    check_shapes(logits, targets)?;
    let kernel = Kernel::best();
    let rows = logits.nrows() as f64;
    let mut grad = Array2::zeros(logits.raw_dim());
    let mut total = 0.0_f64;
    for (row, ((logits_row, mut grad_row), &target)) in
        logits.rows().into_iter().zip(grad.rows_mut()).zip(targets).enumerate()
    {
        check_target(row, target, logits.ncols())?;
        let logits_row = contiguous(logits_row);
        let grad_slice = grad_row.as_slice_mut().unwrap_or_default(); // a fresh array is contiguous
        let stats = RowStats::store(kernel, &logits_row, grad_slice, row)?;
        total += stats.loss(logits_row[target]);
        exp::scale(kernel, grad_slice, (1.0 / (stats.sum * rows)) as f32);
        grad_slice[target] -= (1.0 / rows) as f32;
    }
    Ok(((total / rows) as f32, grad))
}

/// What the two passes learn about one valid row.
struct RowStats {
    /// The largest logit: finite.
    max: f32,
    /// `Σ exp(xⱼ − max)`: at least 1, finite.
    sum: f64,
}

impl RowStats {
    /// The stats of row number `row`, or its error.
    fn of(kernel: Kernel, x: &[f32], row: usize) -> Result<RowStats, LossError> {
        let max = row_max(kernel, x, row)?;
        RowStats::checked(exp::exp_sum(kernel, x, max), max, row)
    }

    /// [`RowStats::of`], storing `exp(xⱼ − max)` in `out`.
    fn store(kernel: Kernel, x: &[f32], out: &mut [f32], row: usize) -> Result<RowStats, LossError> {
        let max = row_max(kernel, x, row)?;
        RowStats::checked(exp::exp_store_sum(kernel, x, max, out), max, row)
    }

    /// A NaN logit makes the sum NaN.
    fn checked(sum: f64, max: f32, row: usize) -> Result<RowStats, LossError> {
        if sum.is_nan() { Err(LossError::NonFinite { row }) } else { Ok(RowStats { max, sum }) }
    }

    /// `logsumexp − x_target`, in f64 (`+inf` for a masked target).
    fn loss(&self, target_logit: f32) -> f64 {
        f64::from(self.max) + self.sum.ln() - f64::from(target_logit)
    }
}

/// The row's maximum, when it is finite; else the row's error.
fn row_max(kernel: Kernel, x: &[f32], row: usize) -> Result<f32, LossError> {
    let max = exp::max(kernel, x);
    if max == f32::INFINITY || (max == f32::NEG_INFINITY && x.iter().any(|v| v.is_nan())) {
        Err(LossError::NonFinite { row })
    } else if max == f32::NEG_INFINITY {
        Err(LossError::NoFiniteLogit { row })
    } else {
        Ok(max)
    }
}

fn check_shapes(logits: ArrayView2<f32>, targets: &[usize]) -> Result<(), LossError> {
    if targets.len() != logits.nrows() {
        return Err(LossError::ShapeMismatch { rows: logits.nrows(), targets: targets.len() });
    }
    check_not_empty(logits)
}

fn check_not_empty(logits: ArrayView2<f32>) -> Result<(), LossError> {
    if logits.is_empty() { Err(LossError::Empty) } else { Ok(()) }
}

fn check_target(row: usize, target: usize, classes: usize) -> Result<(), LossError> {
    if target < classes { Ok(()) } else { Err(LossError::TargetOutOfRange { row, target, classes }) }
}

/// The row as a slice: borrowed when the view is contiguous, else copied.
fn contiguous(row: ArrayView1<'_, f32>) -> Cow<'_, [f32]> {
    match row.to_slice() {
        Some(slice) => Cow::Borrowed(slice),
        None => Cow::Owned(row.to_vec()),
    }
}

#[cfg(test)]
mod tests {
    use ndarray::array;

    use super::*;

    #[test]
    fn a_row_of_nan_and_minus_infinity_is_non_finite() {
        let logits = array![[f32::NEG_INFINITY, f32::NAN]];
        assert_eq!(log_softmax(logits.view()), Err(LossError::NonFinite { row: 0 }));
    }

    #[test]
    fn strided_rows_match_contiguous_ones() {
        let logits = array![[1.0_f32, 2.0, 3.0], [0.5, -1.0, 4.0]];
        let transposed = logits.t().to_owned();
        let strided = log_softmax(transposed.t()).expect("valid input");
        assert_eq!(strided, log_softmax(logits.view()).expect("valid input"));
    }

    #[test]
    fn a_masked_target_gives_infinite_loss_and_finite_gradient() {
        let logits = array![[0.0_f32, f32::NEG_INFINITY]];
        let (loss, grad) = cross_entropy_with_grad(logits.view(), &[1]).expect("valid input");
        assert_eq!(loss, f32::INFINITY);
        assert_eq!(grad, array![[1.0, -1.0]]);
    }
}
