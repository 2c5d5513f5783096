//! Right: no normalised copy; each pair's cosine from three f64 sums, against the kept rows.

pub use kata_types::DedupError;
use ndarray::{ArrayView1, ArrayView2};

fn cosine(a: ArrayView1<f32>, b: ArrayView1<f32>) -> f64 {
    let (mut dot, mut aa, mut bb) = (0.0_f64, 0.0_f64, 0.0_f64);
    for (&x, &y) in a.iter().zip(b) {
        let (x, y) = (f64::from(x), f64::from(y));
        dot += x * y;
        aa += x * x;
        bb += y * y;
    }
    if aa == 0.0 || bb == 0.0 { 0.0 } else { dot / (aa.sqrt() * bb.sqrt()) }
}

pub fn dedup(embeddings: ArrayView2<f32>, threshold: f32) -> Result<Vec<usize>, DedupError> {
    if !(-1.0..=1.0).contains(&threshold) {
        return Err(DedupError::InvalidThreshold);
    }
    if embeddings.nrows() > 0 && embeddings.ncols() == 0 {
        return Err(DedupError::Empty);
    }
    if !embeddings.iter().all(|x| x.is_finite()) {
        return Err(DedupError::NonFinite);
    }
    let mut kept: Vec<usize> = Vec::new();
    for (i, row) in embeddings.rows().into_iter().enumerate() {
        if kept.iter().all(|&j| cosine(row, embeddings.row(j)) < f64::from(threshold)) {
            kept.push(i);
        }
    }
    Ok(kept)
}
