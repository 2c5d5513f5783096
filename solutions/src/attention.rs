//! # Scaled dot-product attention: reference solution
//!
//! `softmax(q·kᵀ / √d + mask) · v` without the `n × m` score matrix, the
//! way FlashAttention does it: queries in blocks of `QUERY_BLOCK` rows,
//! keys in blocks of `KEY_BLOCK`, one small score tile in cache at a time.
//!
//! For each query block the keys stream past once. Each tile of scores is a
//! small matrix product (`ndarray`'s GEMM, with `1/√d` folded into it); each
//! row keeps a running maximum `mᵢ` and running sum `lᵢ` of the softmax
//! (the *online softmax*): when a tile raises the maximum to `m'`, the sum
//! and the partial output row are rescaled by `exp(mᵢ − m')`, the tile's
//! scores become `exp(s − m')` in place (a vectorised `exp`, see
//! `kernels::exp`), and one more GEMM adds `P · v_block` to the output
//! rows. At the end each row is divided by its `lᵢ`. Every `exp` argument is
//! `≤ 0`, so scores of any size never overflow.
//!
//! Causal attention skips the key blocks a query block cannot see (half the
//! work when `n = m`) and masks the one tile row it partly sees with `-inf`.
//!
//! f32 GEMMs are accurate while the scores are moderate. Their rounding
//! error is at most about `d · ε · ‖q‖‖k‖/√d`, so a query block whose bound
//! `max‖q‖ · max‖k‖ / √d` exceeds `FAST_BOUND` (huge or adversarial
//! inputs, where scores of 1e6 or even beyond f32's range occur) takes the
//! exact path instead: scores in f64 one query row at a time, O(m) memory.
//!
//! Cost: O(n·m·(d + dv)) time (half with a causal mask), and
//! O(n + m + QUERY_BLOCK · KEY_BLOCK) memory beyond the output.

pub use kata_types::AttentionError;
use ndarray::linalg::general_mat_mul;
use ndarray::{Array2, ArrayView1, ArrayView2, ArrayViewMut2, s};

use crate::kernels::exp::{self, Kernel};

/// Query rows per block: the rows that share one pass over the keys.
const QUERY_BLOCK: usize = 64;

/// Keys per tile.
const KEY_BLOCK: usize = 256;

/// The largest score bound `‖q‖‖k‖/√d` the f32 path is trusted with: its
/// scores are then within about 1e-5 of exact.
const FAST_BOUND: f64 = 32.0;

/// `softmax(q·kᵀ / √d + mask) · v`: `q` is `[n, d]`, `k` is `[m, d]`, `v`
/// is `[m, dv]`, the result `[n, dv]`. With `causal`, query `i` sees keys
/// `0 ..= i + (m − n)` (the queries are the last `n` of `m` positions).
///
/// Errors, in this order: `DimensionMismatch`, `KeyValueMismatch`,
/// `CausalShape`, `Empty`, `NonFinite`.
///
/// ```
/// use ndarray::array;
/// use solutions::attention::attention;
/// let q = array![[0.0_f32, 0.0]];
/// let k = array![[1.0_f32, 0.0], [0.0, 1.0]];
/// let v = array![[1.0_f32, 0.0], [0.0, 3.0]];
/// let out = attention(q.view(), k.view(), v.view(), false).unwrap();
/// assert_eq!(out, array![[0.5, 1.5]]); // equal scores: the mean of the values
/// ```
pub fn attention(
    q: ArrayView2<f32>,
    k: ArrayView2<f32>,
    v: ArrayView2<f32>,
    causal: bool,
) -> Result<Array2<f32>, AttentionError> {
    check_shapes(q, k, v, causal)?;
    let query_norms = row_norms(q)?;
    let key_norms = row_norms(k)?;
    if !v.iter().all(|x| x.is_finite()) {
        return Err(AttentionError::NonFinite);
    }
    let mut out = Array2::zeros((q.nrows(), v.ncols()));
    if out.is_empty() {
        return Ok(out);
    }
    let problem = Problem { q, k, v, causal, scale: 1.0 / (q.ncols() as f64).sqrt() };
    let max_key_norm = key_norms.iter().copied().fold(0.0, f64::max);
    let mut tiles = Tiles::new();
    for start in (0..q.nrows()).step_by(QUERY_BLOCK) {
        let end = (start + QUERY_BLOCK).min(q.nrows());
        let out_block = out.slice_mut(s![start..end, ..]);
        let max_query_norm = query_norms[start..end].iter().copied().fold(0.0, f64::max);
        if max_query_norm * max_key_norm * problem.scale <= FAST_BOUND {
            tiles.query_block(&problem, start, out_block);
        } else {
            problem.exact_rows(start, out_block);
        }
    }
    Ok(out)
}

/// The inputs, and what follows from them.
struct Problem<'a> {
    q: ArrayView2<'a, f32>,
    k: ArrayView2<'a, f32>,
    v: ArrayView2<'a, f32>,
    causal: bool,
    /// `1/√d`.
    scale: f64,
}

impl Problem<'_> {
    /// How many keys query `row` sees: all of them, or with a causal mask
    /// `row + (m − n) + 1`.
    fn visible_keys(&self, row: usize) -> usize {
        if self.causal { row + (self.k.nrows() - self.q.nrows()) + 1 } else { self.k.nrows() }
    }

    /// The output rows from `start` on, exactly: each row's scores in f64.
    fn exact_rows(&self, start: usize, mut out: ArrayViewMut2<f32>) {
        for (offset, out_row) in out.rows_mut().into_iter().enumerate() {
            let row = start + offset;
            let visible = self.visible_keys(row);
            let exact = exact_row(self.q.row(row), self.k.slice(s![..visible, ..]), self.v, self.scale);
            for (out, value) in out_row.into_iter().zip(exact) {
                *out = value as f32;
            }
        }
    }
}

/// One query row of attention in f64: scores, a stable softmax and the
/// weighted sum of the value rows. O(m + dv) memory.
fn exact_row(query: ArrayView1<f32>, keys: ArrayView2<f32>, values: ArrayView2<f32>, scale: f64) -> Vec<f64> {
    let dot = |key: ArrayView1<f32>| -> f64 {
        query.iter().zip(key).map(|(&a, &b)| f64::from(a) * f64::from(b)).sum::<f64>() * scale
    };
    let scores: Vec<f64> = keys.rows().into_iter().map(dot).collect();
    let max = scores.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let mut total = vec![0.0_f64; values.ncols()];
    let mut sum = 0.0;
    for (score, value_row) in scores.iter().zip(values.rows()) {
        let weight = (score - max).exp();
        sum += weight;
        for (total, &value) in total.iter_mut().zip(value_row) {
            *total += weight * f64::from(value);
        }
    }
    total.iter_mut().for_each(|total| *total /= sum);
    total
}

/// The scratch of the tiled path, allocated once per call: one score tile,
/// and the online softmax of the block's rows.
struct Tiles {
    scores: Array2<f32>,
    softmax: OnlineSoftmax,
}

/// Each row's running maximum and sum.
struct OnlineSoftmax {
    kernel: Kernel,
    max: Vec<f32>,
    sum: Vec<f64>,
}

impl Tiles {
    fn new() -> Tiles {
        Tiles {
            scores: Array2::zeros((QUERY_BLOCK, KEY_BLOCK)),
            softmax: OnlineSoftmax {
                kernel: Kernel::best(),
                max: vec![f32::NEG_INFINITY; QUERY_BLOCK],
                sum: vec![0.0; QUERY_BLOCK],
            },
        }
    }

    /// Attention for the query rows `start .. start + out.nrows()` in f32
    /// tiles with an online softmax, written into `out` (zero on entry).
    fn query_block(&mut self, problem: &Problem, start: usize, mut out: ArrayViewMut2<f32>) {
        let rows = out.nrows();
        let queries = problem.q.slice(s![start..start + rows, ..]);
        let visible = problem.visible_keys(start + rows - 1);
        let Tiles { scores: tile, softmax } = self;
        softmax.max[..rows].fill(f32::NEG_INFINITY);
        softmax.sum[..rows].fill(0.0);
        for key_start in (0..visible).step_by(KEY_BLOCK) {
            let key_end = (key_start + KEY_BLOCK).min(visible);
            let keys = problem.k.slice(s![key_start..key_end, ..]);
            let mut scores = tile.slice_mut(s![..rows, ..key_end - key_start]);
            general_mat_mul(problem.scale as f32, &queries, &keys.t(), 0.0, &mut scores);
            for (offset, mut score_row) in scores.rows_mut().into_iter().enumerate() {
                let seen = problem.visible_keys(start + offset).saturating_sub(key_start);
                let Some(score_row) = score_row.as_slice_mut() else { continue };
                if seen < score_row.len() {
                    score_row[seen..].fill(f32::NEG_INFINITY);
                }
                let mut out_row = out.row_mut(offset);
                let out_row = out_row.as_slice_mut().unwrap_or_default();
                softmax.absorb(offset, score_row, out_row);
            }
            let values = problem.v.slice(s![key_start..key_end, ..]);
            general_mat_mul(1.0, &scores, &values, 1.0, &mut out);
        }
        for (offset, mut out_row) in out.rows_mut().into_iter().enumerate() {
            let out_row = out_row.as_slice_mut().unwrap_or_default();
            exp::scale(softmax.kernel, out_row, (1.0 / softmax.sum[offset]) as f32);
        }
    }
}

impl OnlineSoftmax {
    /// The online softmax step of row `row`: raises its maximum to cover
    /// `scores`, rescales its sum and partial output to the new maximum,
    /// and turns `scores` into `exp(score − maximum)`.
    fn absorb(&mut self, row: usize, scores: &mut [f32], out: &mut [f32]) {
        let old_max = self.max[row];
        let new_max = old_max.max(exp::max(self.kernel, scores));
        if new_max == f32::NEG_INFINITY {
            return; // nothing seen yet: the scores are all masked, exp gives 0
        }
        let correction = exp::exp_nonpositive(old_max - new_max);
        if correction != 1.0 {
            exp::scale(self.kernel, out, correction);
        }
        self.sum[row] =
            self.sum[row] * f64::from(correction) + exp::exp_in_place_sum(self.kernel, scores, new_max);
        self.max[row] = new_max;
    }
}

/// The contract's shape errors, in order.
fn check_shapes(
    q: ArrayView2<f32>,
    k: ArrayView2<f32>,
    v: ArrayView2<f32>,
    causal: bool,
) -> Result<(), AttentionError> {
    if q.ncols() != k.ncols() {
        return Err(AttentionError::DimensionMismatch { expected: q.ncols(), found: k.ncols() });
    }
    if k.nrows() != v.nrows() {
        return Err(AttentionError::KeyValueMismatch { keys: k.nrows(), values: v.nrows() });
    }
    if causal && q.nrows() > k.nrows() {
        return Err(AttentionError::CausalShape { queries: q.nrows(), keys: k.nrows() });
    }
    if q.ncols() == 0 || k.nrows() == 0 {
        return Err(AttentionError::Empty);
    }
    Ok(())
}

/// The Euclidean norm of every row, in f64 (no overflow), or `NonFinite`.
fn row_norms(matrix: ArrayView2<f32>) -> Result<Vec<f64>, AttentionError> {
    matrix
        .rows()
        .into_iter()
        .map(|row| {
            let squares: f64 = row.iter().map(|&x| f64::from(x) * f64::from(x)).sum();
            if squares.is_finite() { Ok(squares.sqrt()) } else { Err(AttentionError::NonFinite) }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use ndarray::Array2;

    use super::*;

    fn matrix(rows: usize, cols: usize, salt: usize, scale: f32) -> Array2<f32> {
        Array2::from_shape_fn((rows, cols), |(i, j)| {
            (((i * 31 + j * 17 + salt * 7) % 23) as f32 / 11.0 - 1.0) * scale
        })
    }

    /// The tiled f32 path and the exact f64 path agree, causal or not,
    /// across block boundaries and with fewer queries than keys.
    #[test]
    fn tiled_path_matches_exact_path() {
        for (n, m, causal) in [(3, 5, false), (70, 300, true), (130, 600, false), (200, 200, true)] {
            let (q, k, v) = (matrix(n, 16, 1, 0.5), matrix(m, 16, 2, 0.5), matrix(m, 5, 3, 2.0));
            let problem = Problem { q: q.view(), k: k.view(), v: v.view(), causal, scale: 0.25 };
            let mut tiled = Array2::zeros((n, 5));
            let mut tiles = Tiles::new();
            for start in (0..n).step_by(QUERY_BLOCK) {
                let end = (start + QUERY_BLOCK).min(n);
                tiles.query_block(&problem, start, tiled.slice_mut(s![start..end, ..]));
            }
            let mut exact = Array2::zeros((n, 5));
            problem.exact_rows(0, exact.view_mut());
            let worst = (&tiled - &exact).iter().fold(0.0_f32, |w, d| w.max(d.abs()));
            assert!(worst < 1e-5, "n={n} m={m} causal={causal}: off by {worst}");
        }
    }

    #[test]
    fn huge_scores_take_the_exact_path() {
        let q = matrix(4, 8, 1, 1e20);
        let k = matrix(6, 8, 2, 1e20);
        let v = matrix(6, 3, 3, 1.0);
        let out = attention(q.view(), k.view(), v.view(), true).expect("finite input");
        assert!(out.iter().all(|x| x.is_finite()));
    }
}
