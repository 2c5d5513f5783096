//! # Top-k embedding search: one pass, selection, and a matrix product
//!
//! **One-shot [`top_k`].** The query is normalised once (in f64, so 1e30 or
//! 1e-30 components are safe); then one pass over the items computes, per
//! row, `q̂·r` and `r·r` together with the vectorised kernel of
//! [`crate::cosine`], and the score `q̂·r / ‖r‖`. Nothing is allocated per
//! row, and no normalised copy of the matrix is made.
//!
//! **Selection, not sorting.** The best `k` are kept in a bounded heap whose
//! root is the worst kept hit; a new score enters only when it beats that
//! threshold, which after the first few thousand rows almost never happens,
//! so selection costs one comparison per row: O(n + k log k · log n) in
//! practice, O(n log k) at worst, against O(n log n) for a sort.
//!
//! **[`FlatIndex`]** pays for normalisation once, in [`FlatIndex::new`]:
//! rows are stored as unit vectors (zero rows stay zero and score 0), so
//! [`FlatIndex::search`] is one dot product per row, streaming the matrix
//! at memory speed. [`FlatIndex::search_batch`] normalises the queries into
//! a matrix `Q` and computes `Q · Rᵀ` block by block (a cache-blocked
//! matrix product, `matrixmultiply` via ndarray): each block of item rows is
//! read from memory once and reused from cache for every query, instead of
//! streaming the whole matrix once per query.
//!
//! ```
//! use ndarray::array;
//! use solutions::top_k::{top_k, FlatIndex, Hit};
//!
//! let items = array![[1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [-1.0, 0.0]];
//! let hits = top_k(array![1.0, 0.0].view(), items.view(), 2).unwrap();
//! assert_eq!(hits[0], Hit { index: 0, score: 1.0 });
//! assert_eq!(hits[1].index, 2);
//! assert!((hits[1].score - std::f32::consts::FRAC_1_SQRT_2).abs() < 1e-6);
//!
//! let index = FlatIndex::new(items.view()).unwrap();
//! let hits = index.search(array![0.0, 1.0].view(), 10).unwrap();
//! let order: Vec<usize> = hits.iter().map(|hit| hit.index).collect();
//! assert_eq!(order, [1, 2, 0, 3]); // 0 and 3 tie at 0.0: lower index first
//! assert_eq!(index.search_batch(items.view(), 1).unwrap().len(), 4);
//! ```

pub use kata_types::{Hit, VectorError};
use ndarray::{Array2, ArrayView1, ArrayView2, Axis, linalg::general_mat_mul, s};

use crate::cosine::{exact_score_against_unit, squared_norm};
use crate::kernels::{Kernel, Sums};

use crate::select::TopK;

/// Rows scored per kernel call before their scores are offered to the
/// selection: one dispatch per pass, and the scores stay in L1.
const ROWS_PER_PASS: usize = 256;

/// Item rows per block of `search_batch`: 32 queries x 1024 rows of scores
/// (128 KiB) stay in L2 while they are selected from.
const BATCH_BLOCK_ROWS: usize = 1024;

/// The `k` rows of `items` most similar to `query` by cosine similarity,
/// best first; a zero row scores 0, equal scores go lower index first.
///
/// # Errors
/// In this order: `DimensionMismatch { expected: items.ncols(), found:
/// query.len() }`, `Empty` for zero columns, `NonFinite` for a NaN or
/// infinity anywhere, `ZeroNorm` for a zero query.
pub fn top_k(query: ArrayView1<f32>, items: ArrayView2<f32>, k: usize) -> Result<Vec<Hit>, VectorError> {
    check_shape(items.ncols(), query.len())?;
    let kernel = Kernel::best();
    let query = contiguous(query);
    let unit_query = match unit_vector(kernel, &query) {
        Err(VectorError::ZeroNorm) => {
            // A non-finite item outranks a zero query in the error order.
            check_finite(items)?;
            return Err(VectorError::ZeroNorm);
        }
        other => other?,
    };
    let mut selection = TopK::new(k.min(items.nrows()));
    match items.as_slice() {
        Some(rows) => select_from_rows(kernel, &unit_query, rows, &mut selection)?,
        None => {
            // A strided view: score it row by row through one contiguous buffer.
            let mut row_buffer = Vec::with_capacity(items.ncols());
            for (index, row) in items.rows().into_iter().enumerate() {
                row_buffer.clear();
                row_buffer.extend(row.iter().copied());
                let sums = kernel.functions().sums(&unit_query, &row_buffer);
                selection.offer(index, score_against_unit(sums, &unit_query, &row_buffer)?);
            }
        }
    }
    Ok(selection.into_sorted_hits())
}

/// Scores every row of a contiguous row-major matrix against a unit query,
/// [`ROWS_PER_PASS`] rows per kernel call, and offers them to `selection`.
fn select_from_rows(
    kernel: Kernel,
    unit_query: &[f32],
    rows: &[f32],
    selection: &mut TopK,
) -> Result<(), VectorError> {
    let dim = unit_query.len();
    let mut sums = vec![Sums::default(); ROWS_PER_PASS.min(rows.len() / dim)];
    for (pass, rows) in rows.chunks(ROWS_PER_PASS * dim).enumerate() {
        let sums = &mut sums[..rows.len() / dim];
        kernel.functions().row_sums(unit_query, rows, sums);
        for (offset, (row_sums, row)) in sums.iter().zip(rows.chunks_exact(dim)).enumerate() {
            selection.offer(pass * ROWS_PER_PASS + offset, score_against_unit(*row_sums, unit_query, row)?);
        }
    }
    Ok(())
}

/// An index over item embeddings, stored as unit vectors, that answers
/// cosine queries with one dot product per item.
#[derive(Debug, Clone)]
pub struct FlatIndex {
    /// One unit vector per item (a zero row stays zero), row-major.
    units: Array2<f32>,
}

impl FlatIndex {
    /// Normalises every row once.
    ///
    /// # Errors
    /// `Empty` for zero columns, `NonFinite` for a NaN or infinity.
    pub fn new(items: ArrayView2<f32>) -> Result<FlatIndex, VectorError> {
        if items.ncols() == 0 {
            return Err(VectorError::Empty);
        }
        let kernel = Kernel::best();
        let mut units = items.as_standard_layout().into_owned();
        for mut row in units.rows_mut() {
            let Some(row) = row.as_slice_mut() else { unreachable!("standard layout has contiguous rows") };
            normalise_in_place(kernel, row)?;
        }
        Ok(FlatIndex { units })
    }

    /// Number of items.
    pub fn len(&self) -> usize {
        self.units.nrows()
    }

    /// Whether the index holds no items.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Number of components of every item (and every query).
    pub fn dim(&self) -> usize {
        self.units.ncols()
    }

    /// The `k` items most similar to `query`, best first, as [`top_k`].
    ///
    /// # Errors
    /// `DimensionMismatch { expected: dim(), found: query.len() }`,
    /// `NonFinite`, `ZeroNorm`.
    pub fn search(&self, query: ArrayView1<f32>, k: usize) -> Result<Vec<Hit>, VectorError> {
        check_shape(self.dim(), query.len())?;
        let kernel = Kernel::best();
        let unit_query = unit_vector(kernel, &contiguous(query))?;
        let mut selection = TopK::new(k.min(self.len()));
        if selection.capacity() > 0 {
            let mut scores = vec![0.0; ROWS_PER_PASS.min(self.len())];
            let rows = self.units.as_slice().unwrap_or_default();
            for (pass, rows) in rows.chunks(ROWS_PER_PASS * self.dim()).enumerate() {
                let scores = &mut scores[..rows.len() / self.dim()];
                kernel.functions().dots(&unit_query, rows, scores);
                for (offset, &score) in scores.iter().enumerate() {
                    selection.offer(pass * ROWS_PER_PASS + offset, score.clamp(-1.0, 1.0));
                }
            }
        }
        Ok(selection.into_sorted_hits())
    }

    /// [`FlatIndex::search`] for every row of `queries`, computed as blocks
    /// of one matrix product.
    ///
    /// # Errors
    /// `DimensionMismatch { expected: dim(), found: queries.ncols() }`; one
    /// zero or non-finite query fails the whole batch with its error.
    pub fn search_batch(&self, queries: ArrayView2<f32>, k: usize) -> Result<Vec<Vec<Hit>>, VectorError> {
        check_shape(self.dim(), queries.ncols())?;
        let kernel = Kernel::best();
        let mut unit_queries = queries.as_standard_layout().into_owned();
        for mut query in unit_queries.rows_mut() {
            let Some(query) = query.as_slice_mut() else {
                unreachable!("standard layout has contiguous rows")
            };
            if !normalise_in_place(kernel, query)? {
                return Err(VectorError::ZeroNorm);
            }
        }
        let mut selections: Vec<TopK> = (0..queries.nrows()).map(|_| TopK::new(k.min(self.len()))).collect();
        if k == 0 || self.is_empty() || queries.nrows() == 0 {
            return Ok(selections.into_iter().map(TopK::into_sorted_hits).collect());
        }
        let block_rows = BATCH_BLOCK_ROWS.min(self.len());
        let mut scores = Array2::<f32>::zeros((queries.nrows(), block_rows));
        for start in (0..self.len()).step_by(block_rows) {
            let items = self.units.slice(s![start..(start + block_rows).min(self.len()), ..]);
            let mut block = scores.slice_mut(s![.., ..items.nrows()]);
            general_mat_mul(1.0, &unit_queries, &items.t(), 0.0, &mut block);
            for (selection, row) in selections.iter_mut().zip(block.axis_iter(Axis(0))) {
                for (offset, &score) in row.iter().enumerate() {
                    selection.offer(start + offset, clamp_score(f64::from(score)));
                }
            }
        }
        Ok(selections.into_iter().map(TopK::into_sorted_hits).collect())
    }
}

/// A dot product of unit vectors, clamped to `[-1, 1]` before selection
/// (clamping after it could leave two equal clamped scores out of index order).
#[inline]
fn clamp_score(dot: f64) -> f32 {
    dot.clamp(-1.0, 1.0) as f32
}

/// The contract's first two checks: matching lengths, then a dimension.
fn check_shape(columns: usize, found: usize) -> Result<(), VectorError> {
    if found != columns {
        return Err(VectorError::DimensionMismatch { expected: columns, found });
    }
    if columns == 0 {
        return Err(VectorError::Empty);
    }
    Ok(())
}

/// `NonFinite` if any component of `items` is NaN or infinite.
fn check_finite(items: ArrayView2<f32>) -> Result<(), VectorError> {
    if items.iter().all(|x| x.is_finite()) { Ok(()) } else { Err(VectorError::NonFinite) }
}

/// A view's components as one contiguous vector.
fn contiguous(v: ArrayView1<f32>) -> Vec<f32> {
    v.iter().copied().collect()
}

/// `v / ‖v‖`, normalised in f64 so that extreme magnitudes survive.
///
/// # Errors
/// `NonFinite`, then `ZeroNorm`.
fn unit_vector(kernel: Kernel, v: &[f32]) -> Result<Vec<f32>, VectorError> {
    let mut unit = v.to_vec();
    if normalise_in_place(kernel, &mut unit)? { Ok(unit) } else { Err(VectorError::ZeroNorm) }
}

/// Scales `v` to unit length in place; returns `false` (and leaves `v` all
/// zeros) for a zero vector.
///
/// # Errors
/// `NonFinite` when a component is NaN or infinite.
fn normalise_in_place(kernel: Kernel, v: &mut [f32]) -> Result<bool, VectorError> {
    let squared = squared_norm(kernel, v)?;
    if squared == 0.0 {
        return Ok(false);
    }
    let inverse = 1.0 / squared.sqrt();
    for x in v.iter_mut() {
        *x = (f64::from(*x) * inverse) as f32;
    }
    Ok(true)
}

/// The cosine of `row` with a unit query, `q̂·r / ‖r‖`, from its fast sums
/// when they can be trusted, else exactly.
fn score_against_unit(sums: Sums, unit_query: &[f32], row: &[f32]) -> Result<f32, VectorError> {
    if sums.trusted() {
        Ok((sums.dot / sums.bb.sqrt()).clamp(-1.0, 1.0) as f32)
    } else {
        exact_score_against_unit(unit_query, row)
    }
}
