// Shared by the answers in this folder: plain validation, an f64 cosine, and
// a FlatIndex that answers through top_k.

pub use kata_types::{Hit, VectorError};
use ndarray::{Array2, ArrayView1, ArrayView2};

fn validate(query: ArrayView1<f32>, items: ArrayView2<f32>) -> Result<(), VectorError> {
    if query.len() != items.ncols() {
        return Err(VectorError::DimensionMismatch { expected: items.ncols(), found: query.len() });
    }
    if items.ncols() == 0 {
        return Err(VectorError::Empty);
    }
    if !query.iter().chain(items.iter()).all(|x| x.is_finite()) {
        return Err(VectorError::NonFinite);
    }
    if query.iter().all(|&x| x == 0.0) {
        return Err(VectorError::ZeroNorm);
    }
    Ok(())
}

fn cos64(q: ArrayView1<f32>, r: ArrayView1<f32>) -> f32 {
    let (mut d, mut a, mut b) = (0f64, 0f64, 0f64);
    for (&x, &y) in q.iter().zip(r) {
        let (x, y) = (x as f64, y as f64);
        d += x * y;
        a += x * x;
        b += y * y;
    }
    if b == 0.0 { 0.0 } else { (d / (a.sqrt() * b.sqrt())) as f32 }
}

/// Every row as a hit with its f64 cosine, in index order.
fn scored(query: ArrayView1<f32>, items: ArrayView2<f32>) -> Vec<Hit> {
    items.rows().into_iter().enumerate().map(|(index, row)| Hit { index, score: cos64(query, row) }).collect()
}

/// The contract's order: best first, equal scores lower index first.
#[allow(dead_code)]
fn best_first(a: &Hit, b: &Hit) -> std::cmp::Ordering {
    b.score.total_cmp(&a.score).then(a.index.cmp(&b.index))
}

#[derive(Debug, Clone)]
pub struct FlatIndex {
    items: Array2<f32>,
}

impl FlatIndex {
    pub fn new(items: ArrayView2<f32>) -> Result<FlatIndex, VectorError> {
        if items.ncols() == 0 {
            return Err(VectorError::Empty);
        }
        if !items.iter().all(|x| x.is_finite()) {
            return Err(VectorError::NonFinite);
        }
        Ok(FlatIndex { items: items.to_owned() })
    }
    pub fn len(&self) -> usize {
        self.items.nrows()
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    pub fn dim(&self) -> usize {
        self.items.ncols()
    }
    pub fn search(&self, query: ArrayView1<f32>, k: usize) -> Result<Vec<Hit>, VectorError> {
        top_k(query, self.items.view(), k)
    }
    pub fn search_batch(&self, queries: ArrayView2<f32>, k: usize) -> Result<Vec<Vec<Hit>>, VectorError> {
        if queries.ncols() != self.dim() {
            return Err(VectorError::DimensionMismatch { expected: self.dim(), found: queries.ncols() });
        }
        queries.rows().into_iter().map(|q| self.search(q, k)).collect()
    }
}
