//! # Log-softmax and cross-entropy that never overflow: reference solution
//!
//! Every row is read from memory once, by an *online* max-and-sum
//! (`kernels::exp::max_exp_sum`): the row goes by in chunks that fit in L1;
//! each chunk's maximum is taken as it streams in, then the chunk's
//! `exp(xⱼ − m)` are summed from L1 against the running maximum `m`, and
//! when a chunk raises `m` the running sum is rescaled once by
//! `exp(m_old − m_new)`. A two-pass version (the maximum, then the sum)
//! reads a 128 KB row twice, the second time from L2; here the second look
//! at every logit is an L1 hit, and the `exp`s (16 lanes of a polynomial
//! with fused multiply-adds, see `kernels::exp`) overlap the next chunk's
//! loads.
//!
//! - Every `exp` argument is `≤ 0`, so nothing overflows, and the largest
//!   term is exactly 1, so `s ≥ 1` and `ln s` never sees 0.
//! - The row is classified from what the pass returns: `m = +inf` means a
//!   `+inf` logit, a NaN sum a NaN logit, `m = -inf` no finite logit.
//!
//! Then `log_softmax[j] = (xⱼ − m) − ln s`, computed in that order: `xⱼ − m`
//! is exact when `xⱼ` is near the maximum, and subtracting `ln s` last keeps
//! a value like `−1e4` exact even when its probability underflows to 0.
//! The loss of a row is `m + ln s − x_target` in f64, averaged over rows in
//! f64.
//!
//! The gradient pass stores each `exp` into the output while summing (one
//! `exp` per logit), against the running maximum of its chunk, then brings
//! the row (still in L2) to the final maximum and divides by `s · rows` with
//! one multiply per element. The output is allocated uninitialised and each
//! element written once: zero-filling 32 MB first would cost as much as a
//! second pass over memory.
//!
//! **Where the time goes.** At 256 × 32,000 logits (32 MB, as large as
//! the L3) the loss is bound by the `exp`s, not by memory: in L2 the
//! online pass took 0.18 ns per logit, more than the floor's read of the
//! logits from memory. Two sum and two maximum chains per step, a maximum
//! in one instruction, no store of `exp`s the loss does not keep, and
//! `vscalefps` for `2ⁿ` brought it to 0.12 ns per logit. Figures (AMD EPYC
//! Zen 5, AVX-512; CPU time of the calling thread, best of interleaved
//! calls, two runs at load ~12 from other builds on the 2-core machine):
//! the loss takes 1.16 / 1.20 times as long as the floor that reads every
//! logit once (before: 1.51 / 1.51), and the two-pass scalar loop takes
//! 22.3 / 22.7 times as long as the loss (before: 17.7 / 17.6); in a last
//! pair at load ~11, 1.23 / 1.29 times the floor (before: 1.43 / 1.47) and
//! 19.7 / 18.0 (before: 16.6 / 16.3). The floor reads with SSE; one that
//! reads with AVX-512 took as long (1.11 against 1.14 ms, 1.06 against
//! 1.06 ms, and 1.17 against 1.12 ms in the last pair, where the loss took
//! 1.45 times the faster of them once): at this size it waits on memory
//! (0.13 ns per logit), not on its adds. The criterion figures are in the README.
//!
//! Cost: O(rows · classes) time, one read of each logit from memory and,
//! for an output, one write of each element; no allocation beyond the
//! output, a chunk's maximum per chunk of a row, and a row copy when the
//! view's rows are not contiguous.

use std::borrow::Cow;
use std::mem::MaybeUninit;

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
    fill_rows(logits, |row, logits_row, out_row| {
        let stats = RowStats::of(kernel, logits_row, row)?;
        let log_sum = stats.sum.ln() as f32;
        for (out, &x) in out_row.iter_mut().zip(logits_row) {
            out.write((x - stats.max) - log_sum);
        }
        Ok(())
    })
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
    let mut shifts = vec![0.0_f32; logits.ncols().div_ceil(exp::CHUNK)];
    let mut total = 0.0_f64;
    let grad = fill_rows(logits, |row, logits_row, grad_row| {
        let target = targets[row];
        check_target(row, target, logits.ncols())?;
        let (max, sum) = exp::max_exp_store_sum(kernel, logits_row, grad_row, &mut shifts);
        let stats = RowStats::checked(max, sum, row)?;
        total += stats.loss(logits_row[target]);
        // SAFETY: `max_exp_store_sum` wrote every element of `grad_row`.
        let grad_row = unsafe { assume_init(grad_row) };
        exp::rescale_chunks(kernel, grad_row, &shifts, max, 1.0 / (sum * rows));
        grad_row[target] -= (1.0 / rows) as f32;
        Ok(())
    })?;
    Ok(((total / rows) as f32, grad))
}

/// An array shaped like `logits` whose rows `fill` writes, top to bottom,
/// each given its row number, its logits as a slice and its output row,
/// uninitialised, which `fill` must write whole. The first error stops.
///
/// The output is never zero-filled: each element is written once.
fn fill_rows(
    logits: ArrayView2<f32>,
    mut fill: impl FnMut(usize, &[f32], &mut [MaybeUninit<f32>]) -> Result<(), LossError>,
) -> Result<Array2<f32>, LossError> {
    let (rows, cols) = logits.dim();
    let mut out: Vec<f32> = Vec::with_capacity(rows * cols);
    let spare = &mut out.spare_capacity_mut()[..rows * cols];
    for (row, (logits_row, out_row)) in
        logits.rows().into_iter().zip(spare.chunks_exact_mut(cols)).enumerate()
    {
        fill(row, &contiguous(logits_row), out_row)?;
    }
    // SAFETY: `rows · cols ≤` the capacity, and the loop reached every one
    // of the `rows` rows of `cols` elements (an error returns early), each
    // of which `fill` wrote whole.
    unsafe { out.set_len(rows * cols) };
    // SAFETY: `out` holds exactly `rows · cols` elements, row after row.
    Ok(unsafe { Array2::from_shape_vec_unchecked((rows, cols), out) })
}

/// The slice, now that every element of it was written.
///
/// # Safety
/// Every element of `slice` must be initialised.
unsafe fn assume_init(slice: &mut [MaybeUninit<f32>]) -> &mut [f32] {
    // SAFETY: `MaybeUninit<f32>` has the layout of `f32`, and the caller
    // guarantees that every element is initialised.
    unsafe { &mut *(slice as *mut [MaybeUninit<f32>] as *mut [f32]) }
}

/// What the online max-and-sum learns about one valid row.
struct RowStats {
    /// The largest logit: finite.
    max: f32,
    /// `Σ exp(xⱼ − max)`: at least 1, finite.
    sum: f64,
}

impl RowStats {
    /// The stats of row number `row`, or its error.
    fn of(kernel: Kernel, x: &[f32], row: usize) -> Result<RowStats, LossError> {
        let (max, sum) = exp::max_exp_sum(kernel, x);
        RowStats::checked(max, sum, row)
    }

    /// The row's error, in the contract's order, or its stats: a `+inf`
    /// logit makes the maximum `+inf`, a NaN logit makes the sum NaN, and
    /// a row with no finite logit has maximum `-inf`.
    fn checked(max: f32, sum: f64, row: usize) -> Result<RowStats, LossError> {
        if max == f32::INFINITY || sum.is_nan() {
            Err(LossError::NonFinite { row })
        } else if max == f32::NEG_INFINITY {
            Err(LossError::NoFiniteLogit { row })
        } else {
            Ok(RowStats { max, sum })
        }
    }

    /// `logsumexp − x_target`, in f64 (`+inf` for a masked target).
    fn loss(&self, target_logit: f32) -> f64 {
        f64::from(self.max) + self.sum.ln() - f64::from(target_logit)
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
