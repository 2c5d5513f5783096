//! # Near-duplicate removal: unit rows, blocked matrix products, in-order settling
//!
//! Row `i` is kept iff its cosine with every row kept before it is below
//! the threshold. With every row scaled to unit length once, a cosine is a
//! dot product, and the whole question becomes: for each row, is any dot
//! product with the kept set `>= threshold`?
//!
//! **Normalise once, robustly.** Each row's squared norm comes from the
//! vectorised kernel of [`crate::cosine`] (with its exact f64 fallback), and
//! the row is divided by the norm in f64, so rows of `1e30`, `1e-30` or
//! subnormals become ordinary unit vectors; a zero row stays zero, which
//! makes its dot product, and so its similarity, 0 with every row.
//!
//! **Blocks of candidates against the kept set, as matrix products.** A
//! loop over pairs reads every kept row from memory once per candidate.
//! Instead, `BLOCK_ROWS` consecutive candidates `C` are compared with the
//! kept rows `K`, `KEPT_TILE` at a time, as `C · Kᵀ`: a cache-blocked
//! matrix product (`matrixmultiply`, through ndarray) that reuses each kept
//! row from cache for every candidate of the block and runs at the FMA
//! units' speed. A candidate that meets a duplicate in one tile is marked
//! and no longer scanned.
//!
//! **Settling the block in order.** Rows of the block may also duplicate
//! each other, and whether row `i` counts depends on whether it was kept.
//! The block's own Gram matrix `C · Cᵀ` answers that: walking the block in
//! input order, a candidate not already marked is kept iff its dot product
//! with each row of the block kept before it is below the threshold; the
//! kept ones are appended to `K`. Only the `BLOCK_ROWS²` Gram matrix and one
//! `BLOCK_ROWS × KEPT_TILE` tile are ever held: memory O(n·d), never n × n.
//!
//! The cost is O(n · kept · d) multiply-adds, the same as the pairwise loop,
//! but spent at matrix-product speed instead of streaming speed.
//!
//! ```
//! use ndarray::array;
//! use solutions::dedup::{dedup, DedupError};
//!
//! let rows = array![[1.0, 0.0], [1.0, 1.0], [0.0, 1.0]];
//! assert_eq!(dedup(rows.view(), 0.5), Ok(vec![0, 2])); // row 1 only resembles row 0
//! let rows = array![[3.0, 4.0], [6.0, 8.0], [0.0, 0.0], [-3.0, -4.0]];
//! assert_eq!(dedup(rows.view(), 0.9), Ok(vec![0, 2, 3]));
//! assert_eq!(dedup(rows.view(), f32::NAN), Err(DedupError::InvalidThreshold));
//! ```

pub use kata_types::DedupError;
use ndarray::{Array2, ArrayView2, linalg::general_mat_mul, s};

use crate::cosine::{Kernel, squared_norm};

/// Candidates compared with the kept set per matrix product.
const BLOCK_ROWS: usize = 128;

/// Kept rows per matrix product: a `BLOCK_ROWS × KEPT_TILE` tile of f32
/// similarities (512 KiB) stays in L2 while it is scanned.
const KEPT_TILE: usize = 1024;

/// The indices of the rows kept by greedy near-duplicate removal, ascending:
/// row `i` is kept iff its cosine similarity with every row kept before it
/// is `< threshold` (a zero row has similarity 0 with every row).
///
/// # Errors
/// In this order: [`DedupError::InvalidThreshold`] for a NaN threshold or
/// one outside `[-1, 1]`, [`DedupError::Empty`] for rows with zero columns,
/// [`DedupError::NonFinite`] for a NaN or infinite component.
pub fn dedup(embeddings: ArrayView2<f32>, threshold: f32) -> Result<Vec<usize>, DedupError> {
    if !(-1.0..=1.0).contains(&threshold) {
        return Err(DedupError::InvalidThreshold);
    }
    if embeddings.nrows() > 0 && embeddings.ncols() == 0 {
        return Err(DedupError::Empty);
    }
    let units = unit_rows(embeddings)?;
    Ok(Deduplicator::new(threshold).run(&units))
}

/// Every row scaled to unit length in f64 (a zero row stays zero), in a
/// contiguous row-major copy.
///
/// # Errors
/// [`DedupError::NonFinite`] when a component is NaN or infinite.
fn unit_rows(embeddings: ArrayView2<f32>) -> Result<Array2<f32>, DedupError> {
    let kernel = Kernel::best();
    let mut units = embeddings.as_standard_layout().into_owned();
    for mut row in units.rows_mut() {
        let Some(row) = row.as_slice_mut() else { unreachable!("standard layout has contiguous rows") };
        let squared = squared_norm(kernel, row).map_err(|_| DedupError::NonFinite)?;
        if squared > 0.0 {
            let inverse = 1.0 / squared.sqrt();
            row.iter_mut().for_each(|x| *x = (f64::from(*x) * inverse) as f32);
        }
    }
    Ok(units)
}

/// The kept set and the scratch space of the blocked comparison.
struct Deduplicator {
    threshold: f32,
    /// The kept unit rows, row-major, `dim` floats each.
    kept: Vec<f32>,
    kept_indices: Vec<usize>,
    /// `C · Kᵀ` for one tile of kept rows.
    tile: Array2<f32>,
    /// `C · Cᵀ` for the block.
    gram: Array2<f32>,
    /// Whether each candidate of the block already met a kept duplicate.
    duplicate: Vec<bool>,
    /// Block positions of the candidates kept from the current block.
    kept_in_block: Vec<usize>,
}

impl Deduplicator {
    fn new(threshold: f32) -> Deduplicator {
        Deduplicator {
            threshold,
            kept: Vec::new(),
            kept_indices: Vec::new(),
            tile: Array2::zeros((BLOCK_ROWS, KEPT_TILE)),
            gram: Array2::zeros((BLOCK_ROWS, BLOCK_ROWS)),
            duplicate: vec![false; BLOCK_ROWS],
            kept_in_block: Vec::with_capacity(BLOCK_ROWS),
        }
    }

    /// Deduplicates `units` block by block and returns the kept indices.
    fn run(mut self, units: &Array2<f32>) -> Vec<usize> {
        for start in (0..units.nrows()).step_by(BLOCK_ROWS) {
            let block = units.slice(s![start..(start + BLOCK_ROWS).min(units.nrows()), ..]);
            self.mark_kept_duplicates(block);
            self.settle(block, start);
        }
        self.kept_indices
    }

    /// Marks each candidate of `block` with a similarity `>= threshold` to
    /// some row kept before the block.
    fn mark_kept_duplicates(&mut self, block: ArrayView2<f32>) {
        let (rows, dim) = block.dim();
        let duplicate = &mut self.duplicate[..rows];
        duplicate.fill(false);
        let kept_rows = self.kept_indices.len();
        for tile_start in (0..kept_rows).step_by(KEPT_TILE) {
            if duplicate.iter().all(|&marked| marked) {
                return;
            }
            let tile_rows = KEPT_TILE.min(kept_rows - tile_start);
            let kept =
                ArrayView2::from_shape((tile_rows, dim), &self.kept[tile_start * dim..][..tile_rows * dim])
                    .unwrap_or_else(|_| unreachable!("the kept rows hold tile_rows × dim floats"));
            let mut tile = self.tile.slice_mut(s![..rows, ..tile_rows]);
            general_mat_mul(1.0, &block, &kept.t(), 0.0, &mut tile);
            mark_rows_reaching(tile.view(), self.threshold, duplicate);
        }
    }

    /// Walks the block in input order: a candidate not yet marked is kept iff
    /// it is below the threshold with every row of the block kept before it.
    fn settle(&mut self, block: ArrayView2<f32>, start: usize) {
        let rows = block.nrows();
        let mut gram = self.gram.slice_mut(s![..rows, ..rows]);
        general_mat_mul(1.0, &block, &block.t(), 0.0, &mut gram);
        self.kept_in_block.clear();
        for offset in 0..rows {
            if self.duplicate[offset] {
                continue;
            }
            let similarities = gram.row(offset);
            if self.kept_in_block.iter().all(|&earlier| similarities[earlier] < self.threshold) {
                self.kept_in_block.push(offset);
                self.kept_indices.push(start + offset);
                self.kept.extend(block.row(offset).iter());
            }
        }
    }
}

/// Sets `marked[r]` for every row `r` of `similarities` holding a value
/// `>= threshold`.
fn mark_rows_reaching(similarities: ArrayView2<f32>, threshold: f32, marked: &mut [bool]) {
    for (row, marked) in similarities.rows().into_iter().zip(marked) {
        if !*marked {
            // Branch-free maximum, so the scan vectorises.
            let best = row.iter().fold(f32::NEG_INFINITY, |best, &x| best.max(x));
            *marked = best >= threshold;
        }
    }
}
