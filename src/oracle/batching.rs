//! Padded batches built by hand: each row a `Vec<u32>` padded to the width.
//!
//! The oracle sorts with the standard library's stable `sort_by_key` and
//! pads every row into its own vector before flattening: slow and allocating,
//! but each step is obviously what the contract says.

use std::cmp::Reverse;

use kata_types::{Batch, BatchError, BatchOrder};
use ndarray::Array2;

/// Input positions ordered longest first, equal lengths in input order (a
/// stable sort by descending length).
///
/// ```
/// assert_eq!(kata::oracle::batching::longest_first_order(&[2, 5, 2, 7, 5]), [3, 1, 4, 0, 2]);
/// ```
pub fn longest_first_order(lengths: &[usize]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..lengths.len()).collect();
    order.sort_by_key(|&index| Reverse(lengths[index]));
    order
}

/// The batch holding `seqs[rows[0]]`, `seqs[rows[1]]`, ... padded on the
/// right with `pad_id` to the longest of them.
///
/// ```
/// let seqs = vec![vec![7, 8, 9], vec![4]];
/// let batch = kata::oracle::batching::pad_rows(&seqs, &[1, 0], 0);
/// assert_eq!(batch.ids, kata::ndarray::array![[4, 0, 0], [7, 8, 9]]);
/// assert_eq!(batch.mask, kata::ndarray::array![[1, 0, 0], [1, 1, 1]]);
/// assert_eq!((batch.lengths, batch.indices), (vec![1, 3], vec![1, 0]));
/// ```
pub fn pad_rows(seqs: &[Vec<u32>], rows: &[usize], pad_id: u32) -> Batch {
    let width = rows.iter().map(|&index| seqs[index].len()).max().unwrap_or(0);
    let mut padded_ids = Vec::new();
    let mut padded_mask = Vec::new();
    for &index in rows {
        let mut ids = seqs[index].clone();
        let mut mask = vec![1_u8; ids.len()];
        ids.resize(width, pad_id);
        mask.resize(width, 0);
        padded_ids.push(ids);
        padded_mask.push(mask);
    }
    Batch {
        ids: matrix(padded_ids, width),
        mask: matrix(padded_mask, width),
        lengths: rows.iter().map(|&index| seqs[index].len()).collect(),
        indices: rows.to_vec(),
    }
}

/// Every batch of `seqs`, in order: `batch_size` rows each (the last may
/// hold fewer), grouped in input order or longest first.
///
/// # Errors
/// [`BatchError::ZeroBatchSize`] when `batch_size == 0`.
///
/// ```
/// use kata::oracle::batching::batches;
/// use kata_types::BatchOrder;
/// let seqs = vec![vec![1], vec![2, 2, 2], vec![3, 3]];
/// let sorted = batches(&seqs, 2, 0, BatchOrder::LongestFirst).unwrap();
/// assert_eq!(sorted.iter().map(|b| b.indices.clone()).collect::<Vec<_>>(), [vec![1, 2], vec![0]]);
/// ```
pub fn batches(
    seqs: &[Vec<u32>],
    batch_size: usize,
    pad_id: u32,
    order: BatchOrder,
) -> Result<Vec<Batch>, BatchError> {
    if batch_size == 0 {
        return Err(BatchError::ZeroBatchSize);
    }
    let rows: Vec<usize> = match order {
        BatchOrder::Input => (0..seqs.len()).collect(),
        BatchOrder::LongestFirst => longest_first_order(&seqs.iter().map(Vec::len).collect::<Vec<_>>()),
    };
    Ok(rows.chunks(batch_size).map(|group| pad_rows(seqs, group, pad_id)).collect())
}

/// Stacks rows of equal `width` into a matrix.
fn matrix<T: Clone>(rows: Vec<Vec<T>>, width: usize) -> Array2<T> {
    let count = rows.len();
    let flat: Vec<T> = rows.into_iter().flatten().collect();
    Array2::from_shape_vec((count, width), flat).expect("every row was padded to the width")
}
