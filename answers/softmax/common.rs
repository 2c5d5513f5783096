// Shared by the answers in this folder: the contract's checks and the three
// functions, built on each answer's `row_log_softmax` and its `MISTAKE`.

pub use kata_types::LossError;
use ndarray::{Array2, ArrayView2};

#[allow(dead_code)]
#[derive(PartialEq)]
enum Mistake {
    None,
    /// Every row's target is checked before any row's logits.
    TargetsFirst,
    /// An all `-inf` row is not an error.
    NoFiniteLogitUnchecked,
    /// The gradient of the summed loss.
    SummedGradient,
    /// The loss as `-Σ onehot · log_p`: `0 · -inf` is NaN.
    OneHotDot,
}

fn check_row(row: &[f32], r: usize) -> Result<(), LossError> {
    if row.iter().any(|x| x.is_nan() || *x == f32::INFINITY) {
        return Err(LossError::NonFinite { row: r });
    }
    if MISTAKE != Mistake::NoFiniteLogitUnchecked && row.iter().all(|x| *x == f32::NEG_INFINITY) {
        return Err(LossError::NoFiniteLogit { row: r });
    }
    Ok(())
}

fn checked_rows(logits: ArrayView2<f32>, targets: Option<&[usize]>) -> Result<Vec<Vec<f64>>, LossError> {
    if let Some(targets) = targets {
        if targets.len() != logits.nrows() {
            return Err(LossError::ShapeMismatch { rows: logits.nrows(), targets: targets.len() });
        }
    }
    if logits.is_empty() {
        return Err(LossError::Empty);
    }
    let classes = logits.ncols();
    let target_check = |r: usize| match targets {
        Some(t) if t[r] >= classes => Err(LossError::TargetOutOfRange { row: r, target: t[r], classes }),
        _ => Ok(()),
    };
    if MISTAKE == Mistake::TargetsFirst {
        (0..logits.nrows()).try_for_each(target_check)?;
    }
    let mut out = Vec::new();
    for (r, row) in logits.rows().into_iter().enumerate() {
        target_check(r)?;
        let row = row.to_vec();
        check_row(&row, r)?;
        out.push(row_log_softmax(&row));
    }
    Ok(out)
}

pub fn log_softmax(logits: ArrayView2<f32>) -> Result<Array2<f32>, LossError> {
    let rows = checked_rows(logits, None)?;
    Ok(Array2::from_shape_fn(logits.dim(), |(r, j)| rows[r][j] as f32))
}

pub fn cross_entropy(logits: ArrayView2<f32>, targets: &[usize]) -> Result<f32, LossError> {
    let rows = checked_rows(logits, Some(targets))?;
    let total: f64 = if MISTAKE == Mistake::OneHotDot {
        rows.iter()
            .zip(targets)
            .map(|(row, &t)| -row.iter().enumerate().map(|(j, lp)| if j == t { 1.0 } else { 0.0 } * lp).sum::<f64>())
            .sum()
    } else {
        rows.iter().zip(targets).map(|(row, &t)| -row[t]).sum()
    };
    Ok((total / rows.len() as f64) as f32)
}

pub fn cross_entropy_with_grad(logits: ArrayView2<f32>, targets: &[usize]) -> Result<(f32, Array2<f32>), LossError> {
    let loss = cross_entropy(logits, targets)?;
    let rows = checked_rows(logits, Some(targets))?;
    let n = if MISTAKE == Mistake::SummedGradient { 1.0 } else { rows.len() as f64 };
    let grad = Array2::from_shape_fn(logits.dim(), |(r, j)| {
        ((rows[r][j].exp() - if j == targets[r] { 1.0 } else { 0.0 }) / n) as f32
    });
    Ok((loss, grad))
}
