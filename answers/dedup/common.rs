// Shared by the answers in this folder: one plain implementation (rows
// normalised once in f64, each row compared with the kept rows, early exit)
// whose mistakes each answer file switches on.

pub use kata_types::DedupError;
use ndarray::ArrayView2;

#[allow(dead_code)]
#[derive(Clone, Copy, PartialEq)]
enum Mistake {
    None,
    EveryEarlierRow,
    LessOrEqual,
    RawDot,
    ReturnsRemoved,
    ZeroRowNan,
}

/// The contract's checks, in order.
fn checks(embeddings: ArrayView2<f32>, threshold: f32) -> Result<(), DedupError> {
    if !(-1.0..=1.0).contains(&threshold) {
        return Err(DedupError::InvalidThreshold);
    }
    if embeddings.nrows() > 0 && embeddings.ncols() == 0 {
        return Err(DedupError::Empty);
    }
    if !embeddings.iter().all(|x| x.is_finite()) {
        return Err(DedupError::NonFinite);
    }
    Ok(())
}

/// Each row as f64, divided by its norm unless `raw` (a zero row stays zero,
/// or becomes NaN with `nan_for_zero`).
fn rows_f64(embeddings: ArrayView2<f32>, raw: bool, nan_for_zero: bool) -> Vec<Vec<f64>> {
    embeddings
        .rows()
        .into_iter()
        .map(|row| {
            let row: Vec<f64> = row.iter().map(|&x| f64::from(x)).collect();
            let norm = row.iter().map(|x| x * x).sum::<f64>().sqrt();
            if raw || (norm == 0.0 && !nan_for_zero) { row } else { row.iter().map(|x| x / norm).collect() }
        })
        .collect()
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

#[allow(dead_code)]
fn dedup_with(embeddings: ArrayView2<f32>, threshold: f32, mistake: Mistake) -> Result<Vec<usize>, DedupError> {
    checks(embeddings, threshold)?;
    let rows = rows_f64(embeddings, mistake == Mistake::RawDot, mistake == Mistake::ZeroRowNan);
    let threshold = f64::from(threshold);
    let (mut kept, mut removed) = (Vec::new(), Vec::new());
    for i in 0..rows.len() {
        let others: Vec<usize> = if mistake == Mistake::EveryEarlierRow { (0..i).collect() } else { kept.clone() };
        let duplicate = others.iter().any(|&j| {
            let similarity = dot(&rows[i], &rows[j]);
            if mistake == Mistake::LessOrEqual { similarity > threshold } else { !(similarity < threshold) }
        });
        if duplicate { removed.push(i) } else { kept.push(i) }
    }
    Ok(if mistake == Mistake::ReturnsRemoved { removed } else { kept })
}
