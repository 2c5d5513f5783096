//! # Padded batching: one allocation per buffer, a counting sort, and laziness
//!
//! **Filling a batch.** Once the rows of a batch are known, one pass over
//! their lengths gives the width. `ids` and `mask` are then allocated once at
//! their final size, `rows × width`, and written front to back exactly once:
//! each row's tokens are copied (`memcpy`), then its padding is filled
//! (`memset`-like). No row gets its own `Vec`, no buffer grows, nothing is
//! written twice and no scratch space is needed, so a batch costs about what
//! allocating the two buffers and copying the rows costs, the floor of any
//! padded layout.
//!
//! **Sorting by length.** `LongestFirst` needs a stable sort by descending
//! length. Lengths are small integers, so a counting sort does it in
//! O(n + longest): count the sequences of each length, turn the counts into
//! start positions (longest lengths first), then drop each input index into
//! its length's slot in input order, which keeps equal lengths in input
//! order for free. Two sequential passes over the lengths, against the
//! n log n comparisons (each one a random read of two sequence headers) of
//! `sort_by_key`. When the longest sequence is very long compared with n,
//! the counts would cost more than they save, and a stable comparison sort
//! takes over (the fallback, which the tests compare with).
//!
//! **Laziness.** [`padded_batches`] only reads the lengths (for
//! `LongestFirst`) and keeps the order; each `next()` pads one batch. A
//! consumer that stops early pays for the batches it took, and only one
//! batch needs to be in memory at a time.
//!
//! ```
//! use solutions::batching::{pad_batch, padded_batches, BatchOrder};
//! use ndarray::array;
//!
//! let batch = pad_batch(&[vec![5, 6, 7], vec![8], vec![9, 10]], 0);
//! assert_eq!(batch.ids, array![[5, 6, 7], [8, 0, 0], [9, 10, 0]]);
//! assert_eq!(batch.mask, array![[1, 1, 1], [1, 0, 0], [1, 1, 0]]);
//! assert_eq!(batch.lengths, [3, 1, 2]);
//!
//! let seqs = [vec![1], vec![2, 2, 2], vec![3, 3], vec![4, 4, 4, 4], vec![5]];
//! let batches: Vec<_> = padded_batches(&seqs, 2, 0, BatchOrder::LongestFirst).unwrap().collect();
//! let groups: Vec<_> = batches.iter().map(|b| (b.indices.clone(), b.ids.ncols())).collect();
//! assert_eq!(groups, [(vec![3, 1], 4), (vec![2, 0], 2), (vec![4], 1)]);
//! ```

use std::cmp::Reverse;

pub use kata_types::{Batch, BatchError, BatchOrder};
use ndarray::Array2;

/// Above this many distinct lengths per sequence (plus a fixed allowance),
/// the counting sort's table would dwarf the input: sort by comparison.
const COUNTING_SORT_SLACK: usize = 1 << 16;

/// All of `seqs` as one batch, in input order, padded on the right with
/// `pad_id` to the longest sequence; no sequences give shape `(0, 0)`.
pub fn pad_batch<S: AsRef<[u32]>>(seqs: &[S], pad_id: u32) -> Batch {
    fill_batch(seqs, 0..seqs.len(), pad_id)
}

/// `seqs` in batches of at most `batch_size` rows, each padded on the right
/// with `pad_id` to its own longest sequence, built lazily, one per
/// `next()`. `LongestFirst` groups by a stable sort on descending length.
///
/// # Errors
/// [`BatchError::ZeroBatchSize`] when `batch_size == 0`.
pub fn padded_batches<'a, S: AsRef<[u32]>>(
    seqs: &'a [S],
    batch_size: usize,
    pad_id: u32,
    order: BatchOrder,
) -> Result<impl Iterator<Item = Batch> + 'a, BatchError> {
    if batch_size == 0 {
        return Err(BatchError::ZeroBatchSize);
    }
    let order = match order {
        BatchOrder::Input => None,
        BatchOrder::LongestFirst => {
            let lengths: Vec<usize> = seqs.iter().map(|seq| seq.as_ref().len()).collect();
            Some(longest_first(&lengths))
        }
    };
    Ok(Batches { seqs, order, batch_size, pad_id, start: 0 })
}

/// The iterator of [`padded_batches`]: the order (`None` for input order)
/// and a cursor into it.
struct Batches<'a, S> {
    seqs: &'a [S],
    order: Option<Vec<usize>>,
    batch_size: usize,
    pad_id: u32,
    /// Position in the order of the next batch's first row.
    start: usize,
}

impl<S: AsRef<[u32]>> Iterator for Batches<'_, S> {
    type Item = Batch;

    fn next(&mut self) -> Option<Batch> {
        let remaining = self.seqs.len() - self.start;
        if remaining == 0 {
            return None;
        }
        let end = self.start + remaining.min(self.batch_size);
        let batch = match &self.order {
            None => fill_batch(self.seqs, self.start..end, self.pad_id),
            Some(order) => fill_batch(self.seqs, order[self.start..end].iter().copied(), self.pad_id),
        };
        self.start = end;
        Some(batch)
    }
}

/// The batch of `seqs[i]` for each `i` in `indices`, in that order: one
/// pass over the lengths for the width, one pass to fill.
fn fill_batch<S: AsRef<[u32]>>(
    seqs: &[S],
    indices: impl ExactSizeIterator<Item = usize> + Clone,
    pad_id: u32,
) -> Batch {
    let width = indices.clone().map(|index| seqs[index].as_ref().len()).max().unwrap_or(0);
    let cells = indices.len() * width;
    let mut ids = Vec::with_capacity(cells);
    let mut mask = Vec::with_capacity(cells);
    let mut lengths = Vec::with_capacity(indices.len());
    for index in indices.clone() {
        let tokens = seqs[index].as_ref();
        let Some(padding) = width.checked_sub(tokens.len()) else {
            panic!("sequence {index} grew between two calls to its as_ref()");
        };
        ids.extend_from_slice(tokens);
        ids.resize(ids.len() + padding, pad_id);
        mask.resize(mask.len() + tokens.len(), 1_u8);
        mask.resize(mask.len() + padding, 0_u8);
        lengths.push(tokens.len());
    }
    let shape = (lengths.len(), width);
    Batch { ids: matrix(shape, ids), mask: matrix(shape, mask), lengths, indices: indices.collect() }
}

/// A buffer of exactly `rows × width` cells as a matrix.
fn matrix<T>(shape: (usize, usize), cells: Vec<T>) -> Array2<T> {
    match Array2::from_shape_vec(shape, cells) {
        Ok(matrix) => matrix,
        Err(error) => unreachable!("a batch buffer holds rows × width cells: {error}"),
    }
}

/// Input positions, longest first, equal lengths in input order.
fn longest_first(lengths: &[usize]) -> Vec<usize> {
    let longest = lengths.iter().copied().max().unwrap_or(0);
    if longest > lengths.len().saturating_mul(2).saturating_add(COUNTING_SORT_SLACK) {
        longest_first_by_comparison(lengths)
    } else {
        longest_first_by_counting(lengths, longest)
    }
}

/// The counting sort: O(n + longest) time, one table of `longest + 1` slots.
fn longest_first_by_counting(lengths: &[usize], longest: usize) -> Vec<usize> {
    // slot[len] is first a count, then where the next sequence of that length
    // goes; slot[longest - len] keeps the table in output order.
    let mut slot = vec![0_usize; longest + 1];
    for &length in lengths {
        slot[longest - length] += 1;
    }
    let mut next = 0;
    for entry in &mut slot {
        let count = *entry;
        *entry = next;
        next += count;
    }
    let mut order = vec![0_usize; lengths.len()];
    for (index, &length) in lengths.iter().enumerate() {
        let position = &mut slot[longest - length];
        order[*position] = index;
        *position += 1;
    }
    order
}

/// The fallback: a stable comparison sort, O(n log n).
fn longest_first_by_comparison(lengths: &[usize]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..lengths.len()).collect();
    order.sort_by_key(|&index| Reverse(lengths[index]));
    order
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counting_sort_agrees_with_the_comparison_sort() {
        let lengths = [3, 0, 7, 3, 7, 1, 0, 3, 9, 1];
        let expected = longest_first_by_comparison(&lengths);
        assert_eq!(longest_first_by_counting(&lengths, 9), expected);
        assert_eq!(expected, [8, 2, 4, 0, 3, 7, 5, 9, 1, 6]);
    }

    #[test]
    fn a_very_long_sequence_comes_first_through_the_fallback() {
        let lengths = [1, COUNTING_SORT_SLACK + 10, 1, 5];
        assert_eq!(longest_first(&lengths), [1, 3, 0, 2]);
    }
}
