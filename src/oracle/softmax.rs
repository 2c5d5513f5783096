//! Exact log-softmax, cross-entropy and its gradient, in f64.

use ndarray::{Array2, ArrayView1, ArrayView2};

/// `logsumexp` of one row in f64: `m + ln Σ exp(x − m)`, with `m` the
/// row's maximum; `None` when no logit is finite (or one is NaN/`+inf`).
///
/// ```
/// let lse = kata::oracle::softmax::logsumexp(kata::ndarray::array![0.0, 0.0].view());
/// assert!((lse.unwrap() - 2_f64.ln()).abs() < 1e-15);
/// ```
pub fn logsumexp(row: ArrayView1<f32>) -> Option<f64> {
    if row.iter().any(|x| x.is_nan() || *x == f32::INFINITY) {
        return None;
    }
    let max = row.iter().map(|&x| f64::from(x)).fold(f64::NEG_INFINITY, f64::max);
    (max > f64::NEG_INFINITY).then(|| max + row.iter().map(|&x| (f64::from(x) - max).exp()).sum::<f64>().ln())
}

/// `x − logsumexp(row)` for every logit, in f64 (`-inf` for a masked one).
pub fn log_softmax(logits: ArrayView2<f32>) -> Option<Array2<f64>> {
    let mut out = Array2::zeros(logits.raw_dim());
    for (row, mut out_row) in logits.rows().into_iter().zip(out.rows_mut()) {
        let lse = logsumexp(row)?;
        out_row.iter_mut().zip(row).for_each(|(out, &x)| *out = f64::from(x) - lse);
    }
    Some(out)
}

/// The mean cross-entropy and its gradient `(softmax − onehot) / rows`.
pub fn cross_entropy_with_grad(logits: ArrayView2<f32>, targets: &[usize]) -> Option<(f64, Array2<f64>)> {
    let log_probabilities = log_softmax(logits)?;
    let rows = logits.nrows() as f64;
    let loss =
        targets.iter().enumerate().map(|(row, &target)| -log_probabilities[[row, target]]).sum::<f64>()
            / rows;
    let mut grad = log_probabilities.mapv(|lp| lp.exp() / rows);
    for (row, &target) in targets.iter().enumerate() {
        grad[[row, target]] -= 1.0 / rows;
    }
    Some((loss, grad))
}
