//! # Log-softmax and cross-entropy that never overflow
//!
//! A classifier's last layer gives one row of logits per example; training
//! needs `log_softmax` and the cross-entropy loss, and the backward pass its
//! gradient. Write all three for `f32` logits, the way a framework must:
//! exact for any finite logits, and fast over a language model's vocabulary.
//!
//! ## Task
//! Rows are examples, columns are classes. Implement
//! - [`log_softmax`]: `out[r, j] = x[r, j] − logsumexp(x[r, ..])`, where
//!   `logsumexp(x) = ln Σⱼ exp(xⱼ)`;
//! - [`cross_entropy`]: the mean over rows of `−log_softmax[r, targets[r]]`;
//! - [`cross_entropy_with_grad`]: the loss and its gradient with respect to
//!   the logits, `(softmax(x) − onehot(targets)) / rows` (the gradient of
//!   the *mean* loss).
//!
//! `-inf` logits are allowed: they mask a class (log-probability `-inf`,
//! probability 0). A target whose logit is `-inf` makes the loss `+inf`
//! (`Ok(f32::INFINITY)`); the gradient still follows the formula and stays
//! finite.
//!
//! ## Examples
//! ```text
//! log_softmax([[0, 0]])             → [[-0.6931472, -0.6931472]]      (ln ½)
//! log_softmax([[1, 2, 3]])          → [[-2.4076059, -1.4076059, -0.4076059]]
//! log_softmax([[1e4, 0]])           → [[0, -1e4]]        (exp(1e4) overflows f32)
//! log_softmax([[0, -inf]])          → [[0, -inf]]        (a masked class)
//! cross_entropy([[0, 0]], [1])      → 0.6931472
//! cross_entropy([[1, 2, 3], [0, 0, 0]], [2, 0])
//!                                   → (0.4076059 + 1.0986123) / 2 = 0.7531091
//! cross_entropy([[0, -inf]], [1])   → +inf
//! cross_entropy_with_grad([[0, 0]], [1])
//!                                   → (0.6931472, [[0.5, -0.5]])
//! cross_entropy_with_grad([[0, 0], [0, 0]], [0, 1])
//!                                   → (0.6931472, [[-0.25, 0.25], [0.25, -0.25]])
//! ```
//!
//! ## Errors, checked in this order
//! 1. (cross-entropy only) `targets.len() != rows` →
//!    `ShapeMismatch { rows, targets: targets.len() }`
//! 2. zero rows or zero columns → `Empty`
//! 3. then the rows top to bottom; the first row with a problem reports its
//!    first one, in this order:
//!    - (cross-entropy only) `targets[r] >= columns` →
//!      `TargetOutOfRange { row: r, target, classes: columns }`
//!    - a NaN or `+inf` logit → `NonFinite { row: r }`
//!    - every logit is `-inf` → `NoFiniteLogit { row: r }`
//!
//! ## Accuracy
//! Every value (loss, log-probability, gradient entry) within
//! `1e-5 · max(1, |exact|)` of the result computed in f64, for any finite
//! logits, up to `|x| ≈ 3e38`. `exp(89)` already overflows f32, and a
//! probability such as `exp(−1e4)` underflows to 0, although its
//! log-probability, `−1e4`, is an ordinary number: never take the log of a
//! probability. A value whose exact magnitude exceeds `f32::MAX` (a row
//! spanning more than f32 holds, such as `[3e38, -3e38]`) is `∓inf`.
//!
//! ## What a strong answer looks like
//! Per row: the maximum `m`, then `s = Σ exp(xⱼ − m)` (every argument `≤ 0`,
//! so nothing overflows, and `s ≥ 1`), then `xⱼ − m − ln s`. Two passes over
//! each row, the second from cache, O(rows · classes) time and nothing
//! allocated beyond the output. Over a 32,000-class vocabulary the time goes
//! into `exp`: a scalar `f32::exp` per logit is a libm call that does not
//! vectorise; a polynomial `exp` over 8 or 16 lanes is several times faster.

pub use kata_types::LossError;
use ndarray::{Array2, ArrayView2};

/// `logits[r, j] − logsumexp(logits[r, ..])` for every row `r`.
///
/// See the module documentation for the errors and the accuracy required.
pub fn log_softmax(logits: ArrayView2<f32>) -> Result<Array2<f32>, LossError> {
    todo!("open exercises/src/softmax.rs: log-softmax of {:?} logits", logits.dim())
}

/// The mean over rows of `−log_softmax[r, targets[r]]`.
///
/// See the module documentation for the errors and the accuracy required.
pub fn cross_entropy(logits: ArrayView2<f32>, targets: &[usize]) -> Result<f32, LossError> {
    todo!(
        "open exercises/src/softmax.rs: cross-entropy of {:?} logits and {} targets",
        logits.dim(),
        targets.len()
    )
}

/// [`cross_entropy`] and its gradient with respect to the logits,
/// `(softmax(x) − onehot(targets)) / rows`.
///
/// See the module documentation for the errors and the accuracy required.
pub fn cross_entropy_with_grad(
    logits: ArrayView2<f32>,
    targets: &[usize],
) -> Result<(f32, Array2<f32>), LossError> {
    todo!(
        "open exercises/src/softmax.rs: cross-entropy and gradient of {:?} logits and {} targets",
        logits.dim(),
        targets.len()
    )
}
