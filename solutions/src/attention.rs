//! # Scaled dot-product attention: reference solution
//!
//! `softmax(q·kᵀ / √d + mask) · v` without the `n × m` score matrix, the
//! way FlashAttention does it: queries in blocks of `QUERY_BLOCK` rows,
//! keys in tiles of `KEY_TILE`, one small score tile in L1 at a time. For
//! each query block the key tiles stream past once: the tile's scores, their
//! `exp`s (the vectorised `exp` of `kernels::exp`), and `P · v_tile` added to
//! the block's output rows, which are divided by their sums at the end.
//!
//! **No running maximum.** A softmax needs a shift at least as large as the
//! row's scores, so that no `exp` overflows. FlashAttention keeps a running
//! maximum and rescales the sum and the output rows whenever a tile raises
//! it; here the shift is known before the first tile. By Cauchy–Schwarz no
//! score of query `i` exceeds `sᵢ = ‖qᵢ‖ · max‖k‖ / √d`, and the fast path
//! only runs where that bound is at most `FAST_BOUND` = 32, so every
//! `exp(score − sᵢ)` lies in `[e⁻⁶⁴, 1]`: no overflow, no underflow (f32's
//! normal range reaches `1e-38`), full relative precision. That removes the
//! per-row maximum (a horizontal reduction per row and tile), the rescaling
//! and its branch.
//!
//! **Queries in the lanes.** The score tile is stored transposed, one run of
//! `QUERY_BLOCK` = 64 queries per key, so that:
//!
//! - the score micro-kernel reads the keys as they are: per component `c` it
//!   loads four registers of queries (the block's queries, transposed and
//!   scaled by `1/√d` once per block) and broadcasts component `c` of four
//!   keys, 16 fused multiply-adds on a 4 × 64 block of scores held in 16
//!   AVX-512 registers; no copy of `k` (a packed, transposed copy cost more
//!   in page faults on its fresh memory than in copying);
//! - each query's shift and sum are a lane: `exp(s − shift)` and the sums
//!   are whole-register operations, with no reduction across lanes;
//! - the value micro-kernel keeps 4 output rows × 64 columns in 16
//!   registers and, per key, loads the value row as it is in `v` and
//!   broadcasts four probabilities that sit side by side.
//!
//! A general GEMM (ndarray's `matrixmultiply`) repacks both operands on
//! every call and has no AVX-512 kernel; here the whole query block —
//! products, masks, softmax — is one function compiled for AVX-512, for
//! AVX2+FMA and portably, chosen once per call (`Kernel::best`), and the
//! two products are nearly all of its time.
//!
//! Causal attention skips the key tiles a query block cannot see, stops the
//! score tile at the last key the block sees and the value product at the
//! last key each group of four rows sees, and zeroes the hidden
//! probabilities only on the diagonal: the work is half of the full
//! attention's, as the triple loop's is.
//!
//! f32 products are accurate while the scores are moderate. Their rounding
//! error is at most about `d · ε · ‖q‖‖k‖/√d`, so a query block whose bound
//! `max‖q‖ · max‖k‖ / √d` exceeds `FAST_BOUND` (huge or adversarial
//! inputs, where scores of 1e6 or even beyond f32's range occur) takes the
//! exact path instead: scores in f64 one query row at a time, O(m) memory.
//!
//! **Figures** (AMD EPYC Zen 5, AVX-512; CPU time of the calling thread,
//! best of interleaved calls, two runs at load ~12 from other builds on the
//! 2-core machine): n = m = 2,048, d = dv = 64, the textbook triple loop
//! takes 24.8 / 24.8 times as long as this reference without a mask and
//! 23.6 / 24.6 times with the causal one (before the bound shift and the
//! transposed tiles: 16.1 / 16.3 and 13.5 / 14.0); at load ~22, 21.4 /
//! 21.7 and 18.7 / 20.1 (before: 15.7 / 14.0 and 13.9 / 13.0); in a last
//! pair at load ~11, 22.0 / 22.3 and 19.8 / 20.4 (before: 15.9 / 15.2 and
//! 13.1 / 14.1). The causal figure moves most with the load: the goal of
//! 20 was met in four of the six runs and missed by up to 7% in the others. Dropping the running
//! maximum took the full attention from 8.7 to 6.7 ms; reading `k` and `v`
//! in place (no fresh megabyte of copies, whose page faults cost ~0.5 ms
//! a call in this VM) and the transposed tiles, to 5.6 ms. The criterion
//! figures are in the README.
//!
//! Cost: O(n·m·(d + dv)) time (half with a causal mask), and
//! O(n + m + QUERY_BLOCK · (d + dv + KEY_TILE)) memory beyond the output:
//! the row norms and one block's scratch (plus a copy of `k` or `v` when
//! its rows are not contiguous in memory).

use std::borrow::Cow;

pub use kata_types::AttentionError;
use ndarray::{Array2, ArrayView1, ArrayView2, ArrayViewMut2, s};

#[cfg(target_arch = "x86_64")]
use crate::kernels::exp::Avx512;
use crate::kernels::exp::{Fused, Kernel, MulAdd, Separate, dispatch};

/// Query rows per block: the rows that share one pass over the keys, and
/// the lanes of a row of the transposed score tile (four AVX-512 registers).
const QUERY_BLOCK: usize = 64;

/// Keys per tile: a tile's scores, `KEY_TILE × QUERY_BLOCK` floats, stay in
/// L1 between the two products.
const KEY_TILE: usize = 128;

/// Keys of the score micro-kernel, each against the block's
/// [`QUERY_BLOCK`] queries: 4 × 64 scores in sixteen AVX-512 registers.
const SCORE_KEYS: usize = 4;

/// Query rows of the value micro-kernel.
const VALUE_ROWS: usize = 4;

/// Groups of rows in a query block, as the value micro-kernel takes them.
const GROUPS: usize = QUERY_BLOCK / VALUE_ROWS;

/// Floats per register: value columns go by in strips of 64, 32 and 16.
const LANES: usize = 16;

/// The largest score bound `‖q‖‖k‖/√d` the f32 path is trusted with: its
/// scores are then within about 1e-5 of exact.
const FAST_BOUND: f64 = 32.0;

/// Whether a block of queries may take the tiled path: its bound on every
/// score, `max‖q‖ · max‖k‖ · scale` (Cauchy–Schwarz), is at most
/// [`FAST_BOUND`]. A wrong answer here is only slow (the exact path is
/// always right) or, past the bound, inaccurate where exps underflow.
#[inline]
fn takes_fast_path(max_query_norm: f64, max_key_norm: f64, scale: f64) -> bool {
    max_query_norm * max_key_norm * scale <= FAST_BOUND
}

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
    if !all_finite(v) {
        return Err(AttentionError::NonFinite);
    }
    let mut out = Array2::zeros((q.nrows(), v.ncols()));
    if out.is_empty() {
        return Ok(out);
    }
    let max_key_norm = key_norms.iter().copied().fold(0.0, f64::max);
    let problem = Problem { q, k, v, causal, scale: 1.0 / (q.ncols() as f64).sqrt(), max_key_norm };
    let mut tiles: Option<Tiles> = None;
    for start in (0..q.nrows()).step_by(QUERY_BLOCK) {
        let end = (start + QUERY_BLOCK).min(q.nrows());
        let out_block = out.slice_mut(s![start..end, ..]);
        let max_query_norm = query_norms[start..end].iter().copied().fold(0.0, f64::max);
        if takes_fast_path(max_query_norm, max_key_norm, problem.scale) {
            let tiles = tiles.get_or_insert_with(|| Tiles::new(&problem));
            tiles.query_block(&problem, start, &query_norms[start..end], out_block);
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
    /// The largest `‖k_j‖`.
    max_key_norm: f64,
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

/// The operands and the scratch of the tiled path, built once per call (on
/// the first query block that takes it).
struct Tiles<'a> {
    kernel: Kernel,
    /// `d`.
    dim: usize,
    /// `dv`.
    width: usize,
    /// The keys, `m` rows of `d` floats: borrowed from `k` when its rows
    /// are contiguous (the score micro-kernel broadcasts them as they are).
    keys: Cow<'a, [f32]>,
    /// The values, `m` rows of `dv` floats, likewise from `v`.
    values: Cow<'a, [f32]>,
    /// One block's queries times `1/√d`, transposed: `d` runs of
    /// [`QUERY_BLOCK`] floats (component `c` of every query of the block).
    /// Rows past `n` are 0.
    queries: Vec<f32>,
    /// One tile of scores, then of probabilities, transposed:
    /// `KEY_TILE` runs of [`QUERY_BLOCK`] floats, one per key.
    scores: Vec<f32>,
    /// The block's unnormalised output rows, `QUERY_BLOCK × dv`.
    out: Vec<f32>,
    /// Each query's shift: a bound on all its scores (`‖q_i‖·max‖k‖/√d`).
    shift: [f32; QUERY_BLOCK],
    /// Each query's running sum of `exp(score − shift)`.
    sum: [f64; QUERY_BLOCK],
}

impl<'a> Tiles<'a> {
    /// The scratch for `problem`, with its keys and values as contiguous
    /// rows (copied only when a view's rows are not).
    fn new(problem: &Problem<'a>) -> Tiles<'a> {
        let (dim, width) = (problem.k.ncols(), problem.v.ncols());
        Tiles {
            kernel: Kernel::best(),
            dim,
            width,
            keys: contiguous_rows(problem.k),
            values: contiguous_rows(problem.v),
            queries: vec![0.0; dim * QUERY_BLOCK],
            scores: vec![0.0; KEY_TILE * QUERY_BLOCK],
            out: vec![0.0; QUERY_BLOCK * width],
            shift: [0.0; QUERY_BLOCK],
            sum: [0.0; QUERY_BLOCK],
        }
    }

    /// Attention for the query rows `start .. start + out.nrows()`, whose
    /// norms are `query_norms`, in f32 tiles, written into `out`.
    fn query_block(
        &mut self,
        problem: &Problem,
        start: usize,
        query_norms: &[f64],
        mut out: ArrayViewMut2<f32>,
    ) {
        let rows = out.nrows();
        self.pack_queries(problem, start, rows);
        // Cauchy–Schwarz: no score of query i exceeds ‖q_i‖·max‖k‖/√d.
        self.shift.fill(0.0);
        for (shift, &norm) in self.shift.iter_mut().zip(query_norms) {
            *shift = (norm * problem.max_key_norm * problem.scale) as f32;
        }
        let (n, m) = (problem.q.nrows(), problem.k.nrows());
        let block = Block { start, rows, keys: m, causal_offset: problem.causal.then_some(m - n) };
        dispatched_block(self.kernel, self, &block);
        for ((mut out_row, unnormalised), &sum) in
            out.rows_mut().into_iter().zip(self.out.chunks_exact(self.width)).zip(&self.sum)
        {
            let inverse_sum = (1.0 / sum) as f32;
            for (out, &x) in out_row.iter_mut().zip(unnormalised) {
                *out = x * inverse_sum;
            }
        }
    }

    /// Copies the block's query rows, times `1/√d`, transposed; rows past
    /// the block are 0.
    fn pack_queries(&mut self, problem: &Problem, start: usize, rows: usize) {
        let scale = problem.scale as f32;
        self.queries.fill(0.0);
        for offset in 0..rows {
            for (packed, &x) in
                self.queries[offset..].iter_mut().step_by(QUERY_BLOCK).zip(problem.q.row(start + offset))
            {
                *packed = x * scale;
            }
        }
    }
}

/// The rows of `matrix` one after the other: borrowed when they already are.
fn contiguous_rows<'a>(matrix: ArrayView2<'a, f32>) -> Cow<'a, [f32]> {
    match matrix.to_slice() {
        Some(slice) => Cow::Borrowed(slice),
        None => Cow::Owned(matrix.iter().copied().collect()),
    }
}

/// Which rows a query block holds, and which keys each row sees.
struct Block {
    /// The first query row.
    start: usize,
    /// Query rows in the block (the rest of `QUERY_BLOCK` is padding).
    rows: usize,
    /// `m`.
    keys: usize,
    /// With a causal mask, `m − n`: query `i` sees keys `0 ..= i + m − n`.
    causal_offset: Option<usize>,
}

impl Block {
    /// How many keys query row `row` sees (as [`Problem::visible_keys`]).
    #[inline(always)]
    fn visible(&self, row: usize) -> usize {
        self.causal_offset.map_or(self.keys, |offset| row + offset + 1)
    }

    /// The first row of the block (an offset in it) that sees `key`: every
    /// row does without a mask.
    #[inline(always)]
    fn first_row_seeing(&self, key: usize) -> usize {
        self.causal_offset.map_or(0, |offset| key.saturating_sub(self.start + offset))
    }
}

dispatch! {
    /// [`tiled::block`], compiled for each instruction set.
    fn dispatched_block(tiles: &mut Tiles<'_>, block: &Block) -> () = tiled::block;
}

/// The loops of the tiled path, inlined into each compilation.
mod tiled {
    use super::*;

    /// One query block: for each key tile it sees, the scores, the mask,
    /// the softmax and the product with the values, into `tiles.out` and
    /// `tiles.sum`.
    #[inline(always)]
    pub(super) fn block<M: MulAdd>(tiles: &mut Tiles, block: &Block) {
        let Tiles { dim, width, keys, values, queries, scores, out, shift, sum, .. } = tiles;
        let (dim, width) = (*dim, *width);
        out.fill(0.0);
        sum.fill(0.0);
        let last_visible = block.visible(block.start + block.rows - 1).min(block.keys);
        for key_start in (0..last_visible).step_by(KEY_TILE) {
            let tile_keys = (last_visible - key_start).min(KEY_TILE);
            score_tile::<M>(queries, &keys[key_start * dim..(key_start + tile_keys) * dim], dim, scores);
            let tile_sums =
                absorb::<M>(scores, tile_keys, shift, |key| block.first_row_seeing(key_start + key));
            for (sum, &tile_sum) in sum.iter_mut().zip(&tile_sums) {
                *sum += f64::from(tile_sum);
            }
            // Keys of the tile each group of rows sees: the group's last
            // row sees the most. Below the causal diagonal every group sees
            // the whole tile; on it the product stops at each group's keys.
            let group_keys: [usize; GROUPS] = std::array::from_fn(|group| {
                let last_row = block.start + group * VALUE_ROWS + VALUE_ROWS - 1;
                block.visible(last_row).saturating_sub(key_start).min(tile_keys)
            });
            let tile_values = &values[key_start * width..(key_start + tile_keys) * width];
            value_tile::<M>(scores, tile_values, width, &group_keys, out);
        }
    }

    /// The softmax step of a tile of `tile_keys` keys: every score becomes
    /// `exp(score − shift)` of its query, or 0 where the query does not see
    /// the key (rows before `first_row_seeing(key)`); returns the per-query
    /// sums of the tile (at most [`KEY_TILE`] terms each: exact enough in
    /// f32). The queries are the lanes, so the sums are whole-register adds
    /// and need no reduction.
    #[inline(always)]
    pub(super) fn absorb<M: MulAdd>(
        scores: &mut [f32],
        tile_keys: usize,
        shift: &[f32; QUERY_BLOCK],
        first_row_seeing: impl Fn(usize) -> usize,
    ) -> [f32; QUERY_BLOCK] {
        let mut sums = [0.0_f32; QUERY_BLOCK];
        for (key, row) in scores.chunks_exact_mut(QUERY_BLOCK).take(tile_keys).enumerate() {
            match first_row_seeing(key) {
                0 => absorb_key::<M, false>(row, shift, 0, &mut sums),
                hidden => absorb_key::<M, true>(row, shift, hidden, &mut sums),
            }
        }
        sums
    }

    /// [`absorb`] of one key's scores (one per query): the probabilities of
    /// the first `hidden` queries are 0 (looked at only when `MASKED`, on
    /// the causal diagonal).
    #[inline(always)]
    fn absorb_key<M: MulAdd, const MASKED: bool>(
        row: &mut [f32],
        shift: &[f32; QUERY_BLOCK],
        hidden: usize,
        sums: &mut [f32; QUERY_BLOCK],
    ) {
        for (first_lane, ((row, shift), sums)) in row
            .chunks_exact_mut(LANES)
            .zip(shift.chunks_exact(LANES))
            .zip(sums.chunks_exact_mut(LANES))
            .enumerate()
            .map(|(chunk, operands)| (chunk * LANES, operands))
        {
            let mut shifted = [0.0_f32; LANES];
            for ((shifted, &score), &shift) in shifted.iter_mut().zip(&*row).zip(shift) {
                *shifted = score - shift;
            }
            for (lane, ((row, sum), &p)) in row.iter_mut().zip(sums).zip(&M::exp_lanes(shifted)).enumerate() {
                let p = if MASKED && first_lane + lane < hidden { 0.0 } else { p };
                *row = p;
                *sum += p;
            }
        }
    }

    /// `scores[key][i] = queries_i · keys_key` for the tile's keys (rows of
    /// `d` floats in `keys`) against every query of the block, in the
    /// transposed layout: [`SCORE_KEYS`] keys at a time, each component of
    /// a key broadcast against a register of queries.
    #[inline(always)]
    fn score_tile<M: MulAdd>(queries: &[f32], keys: &[f32], dim: usize, scores: &mut [f32]) {
        let mut groups = keys.chunks_exact(SCORE_KEYS * dim);
        let mut out_groups = scores.chunks_exact_mut(SCORE_KEYS * QUERY_BLOCK);
        for (key_rows, out) in (&mut groups).zip(&mut out_groups) {
            let rows: [&[f32]; SCORE_KEYS] = std::array::from_fn(|key| &key_rows[key * dim..(key + 1) * dim]);
            let acc = score_keys::<M, SCORE_KEYS>(queries, rows);
            for (out, acc) in out.chunks_exact_mut(QUERY_BLOCK).zip(&acc) {
                out.copy_from_slice(acc);
            }
        }
        // The last keys of a tile past a multiple of SCORE_KEYS, one at a time.
        let rest = groups.remainder();
        for (key_row, out) in rest.chunks_exact(dim).zip(
            scores[keys.len() / dim / SCORE_KEYS * SCORE_KEYS * QUERY_BLOCK..].chunks_exact_mut(QUERY_BLOCK),
        ) {
            let [acc] = score_keys::<M, 1>(queries, [key_row]);
            out.copy_from_slice(&acc);
        }
    }

    /// The scores of `KEYS` keys (their rows of `d` floats) against the
    /// block's queries (`d` runs of [`QUERY_BLOCK`]), in registers.
    #[inline(always)]
    fn score_keys<M: MulAdd, const KEYS: usize>(
        queries: &[f32],
        rows: [&[f32]; KEYS],
    ) -> [[f32; QUERY_BLOCK]; KEYS] {
        let mut acc = [[0.0_f32; QUERY_BLOCK]; KEYS];
        for (c, query_column) in queries.chunks_exact(QUERY_BLOCK).enumerate() {
            // A fixed-size array, so that the loop below unrolls into whole
            // registers (with slices of a run-time length the compiler kept
            // a scalar version, and took it).
            let Some(query_column) = query_column.first_chunk::<QUERY_BLOCK>() else {
                continue;
            };
            for (acc, row) in acc.iter_mut().zip(&rows) {
                let k = row[c];
                for (acc, &q) in acc.iter_mut().zip(query_column) {
                    *acc = M::mul_add(q, k, *acc);
                }
            }
        }
        acc
    }

    /// `out += probabilitiesᵀ · values` for one tile: `VALUE_ROWS` output
    /// rows at a time, in column strips of 64, 32 or 16 floats and the rest,
    /// over the first `group_keys[g]` keys for the rows of group `g` (the
    /// probabilities of the others are 0).
    #[inline(always)]
    fn value_tile<M: MulAdd>(
        probabilities: &[f32],
        values: &[f32],
        width: usize,
        group_keys: &[usize; GROUPS],
        out: &mut [f32],
    ) {
        let mut column = 0;
        while column < width {
            column += match width - column {
                64.. => value_strip::<M, 64>(probabilities, values, width, group_keys, column, out),
                32.. => value_strip::<M, 32>(probabilities, values, width, group_keys, column, out),
                16.. => value_strip::<M, LANES>(probabilities, values, width, group_keys, column, out),
                8.. => value_strip::<M, 8>(probabilities, values, width, group_keys, column, out),
                _ => value_strip::<M, 1>(probabilities, values, width, group_keys, column, out),
            };
        }
    }

    /// [`value_tile`] over the `COLUMNS` columns from `column` on; returns
    /// `COLUMNS`.
    #[inline(always)]
    fn value_strip<M: MulAdd, const COLUMNS: usize>(
        probabilities: &[f32],
        values: &[f32],
        width: usize,
        group_keys: &[usize; GROUPS],
        column: usize,
        out: &mut [f32],
    ) -> usize {
        for (group, &seen) in group_keys.iter().enumerate() {
            let first_row = group * VALUE_ROWS;
            let mut acc = [[0.0_f32; COLUMNS]; VALUE_ROWS];
            for (r, acc) in acc.iter_mut().enumerate() {
                let at = (first_row + r) * width + column;
                acc.copy_from_slice(&out[at..at + COLUMNS]);
            }
            for (value_row, probability_row) in
                values.chunks_exact(width).zip(probabilities.chunks_exact(QUERY_BLOCK)).take(seen)
            {
                let value_row = &value_row[column..column + COLUMNS];
                for (acc, &p) in acc.iter_mut().zip(&probability_row[first_row..first_row + VALUE_ROWS]) {
                    for (acc, &v) in acc.iter_mut().zip(value_row) {
                        *acc = M::mul_add(p, v, *acc);
                    }
                }
            }
            for (r, acc) in acc.iter().enumerate() {
                let at = (first_row + r) * width + column;
                out[at..at + COLUMNS].copy_from_slice(acc);
            }
        }
        COLUMNS
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
            let squares = sum_of_squares(row);
            if squares.is_finite() { Ok(squares.sqrt()) } else { Err(AttentionError::NonFinite) }
        })
        .collect()
}

/// Lanes of the row loops below: independent chains, so that each add does
/// not wait on the one before (one chain made the norms a tenth of the
/// whole call at n = m = 2,048).
const ROW_LANES: usize = 8;

/// `Σ x²` over `row` in f64: NaN or infinite if an element is.
fn sum_of_squares(row: ArrayView1<f32>) -> f64 {
    let square = |x: f32| f64::from(x) * f64::from(x);
    let Some(row) = row.to_slice() else {
        return row.iter().map(|&x| square(x)).sum();
    };
    let mut lanes = [0.0_f64; ROW_LANES];
    let mut chunks = row.chunks_exact(ROW_LANES);
    for chunk in &mut chunks {
        for (lane, &x) in lanes.iter_mut().zip(chunk) {
            *lane += square(x);
        }
    }
    chunks.remainder().iter().map(|&x| square(x)).sum::<f64>() + lanes.iter().sum::<f64>()
}

/// Whether every element of `matrix` is finite: a branch-free pass over
/// each contiguous row (an early exit per element kept it scalar).
fn all_finite(matrix: ArrayView2<f32>) -> bool {
    matrix.rows().into_iter().all(|row| match row.to_slice() {
        Some(row) => row.iter().fold(true, |finite, x| finite & x.is_finite()),
        None => row.iter().all(|x| x.is_finite()),
    })
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
    /// across block and tile boundaries, with fewer queries than keys, value
    /// widths that take every strip (16, 8 and 1 columns), and keys and
    /// values whose rows are not contiguous (copied).
    #[test]
    fn tiled_path_matches_exact_path() {
        let cases = [(3, 5, false, 5), (70, 300, true, 27), (130, 600, false, 64), (200, 203, true, 9)];
        for (n, m, causal, width) in cases {
            let q = matrix(n, 16, 1, 0.5);
            let (k, v) = if width == 27 {
                (matrix(16, m, 2, 0.5).reversed_axes(), matrix(width, m, 3, 2.0).reversed_axes())
            } else {
                (matrix(m, 16, 2, 0.5), matrix(m, width, 3, 2.0))
            };
            let query_norms = row_norms(q.view()).expect("finite");
            let max_key_norm = row_norms(k.view()).expect("finite").into_iter().fold(0.0, f64::max);
            let problem =
                Problem { q: q.view(), k: k.view(), v: v.view(), causal, scale: 0.25, max_key_norm };
            let mut tiled = Array2::zeros((n, width));
            let mut tiles = Tiles::new(&problem);
            for start in (0..n).step_by(QUERY_BLOCK) {
                let end = (start + QUERY_BLOCK).min(n);
                tiles.query_block(
                    &problem,
                    start,
                    &query_norms[start..end],
                    tiled.slice_mut(s![start..end, ..]),
                );
            }
            let mut exact = Array2::zeros((n, width));
            problem.exact_rows(0, exact.view_mut());
            let worst = (&tiled - &exact).iter().fold(0.0_f32, |w, d| w.max(d.abs()));
            assert!(worst < 1e-5, "n={n} m={m} causal={causal}: off by {worst}");
        }
    }

    /// A tile's probabilities are `exp(score − shift)` of their query, all
    /// in `[0, 1]` (the shift bounds the scores), 0 where the query does
    /// not see the key, and the sums add exactly those.
    #[test]
    fn probabilities_are_exps_below_the_shift_and_zero_where_hidden() {
        let mut scores: Vec<f32> = (0..KEY_TILE * QUERY_BLOCK).map(|i| (i % 7) as f32 - 3.0).collect();
        let original = scores.clone();
        let shift = [3.0_f32; QUERY_BLOCK];
        let sums = tiled::absorb::<Separate>(&mut scores, 2, &shift, |key| key * 10);
        for (i, (&p, &score)) in scores.iter().zip(&original).take(2 * QUERY_BLOCK).enumerate() {
            let (key, query) = (i / QUERY_BLOCK, i % QUERY_BLOCK);
            let want = if query < key * 10 { 0.0 } else { (f64::from(score) - 3.0).exp() };
            assert!((f64::from(p) - want).abs() <= 1e-6 * want, "key {key} query {query}: {p} vs {want}");
        }
        for (query, &sum) in sums.iter().enumerate() {
            let want = scores[query] + scores[QUERY_BLOCK + query];
            assert!((sum - want).abs() <= 1e-6, "query {query}: {sum} vs {want}");
        }
    }

    #[test]
    fn the_fast_path_runs_exactly_up_to_its_score_bound() {
        let scale = 1.0 / 8.0; // d = 64
        assert!(takes_fast_path(1.0, 1.0, scale), "ordinary embeddings take the tiled path");
        assert!(takes_fast_path(16.0, 16.0, scale), "a bound of exactly 32 is fast");
        assert!(!takes_fast_path(16.0, 16.5, scale), "a bound of 33 is exact");
        assert!(!takes_fast_path(20.0, 20.0, scale), "a bound of 50 is exact");
        assert!(takes_fast_path(0.0, 1e30, scale), "zero queries are fast");
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
