// Shared by the answers in this folder: padding rows into a Batch, and the
// order of the rows, each with a switch for the mistake an answer makes.

pub use kata_types::{Batch, BatchError, BatchOrder};
use ndarray::Array2;

/// Pads `rows` (input indices) of `seqs` to `width`, on the left when `left`.
#[allow(dead_code)]
fn padded<S: AsRef<[u32]>>(seqs: &[S], rows: &[usize], width: usize, pad_id: u32, left: bool) -> Batch {
    let mut ids = Array2::from_elem((rows.len(), width), pad_id);
    let mut mask = Array2::zeros((rows.len(), width));
    for (r, &index) in rows.iter().enumerate() {
        let seq = seqs[index].as_ref();
        let start = if left { width - seq.len() } else { 0 };
        for (c, &token) in seq.iter().enumerate() {
            ids[[r, start + c]] = token;
            mask[[r, start + c]] = 1;
        }
    }
    let lengths = rows.iter().map(|&index| seqs[index].as_ref().len()).collect();
    Batch { ids, mask, lengths, indices: rows.to_vec() }
}

/// The width of a batch: its longest row.
#[allow(dead_code)]
fn longest<S: AsRef<[u32]>>(seqs: &[S], rows: &[usize]) -> usize {
    rows.iter().map(|&index| seqs[index].as_ref().len()).max().unwrap_or(0)
}

/// Input indices in the requested order, sorted stably unless `unstable`.
#[allow(dead_code)]
fn order_of<S: AsRef<[u32]>>(seqs: &[S], order: BatchOrder, unstable: bool) -> Vec<usize> {
    let mut indices: Vec<usize> = (0..seqs.len()).collect();
    if order == BatchOrder::LongestFirst {
        let key = |&index: &usize| std::cmp::Reverse(seqs[index].as_ref().len());
        if unstable {
            indices.reverse();
            indices.sort_unstable_by_key(key);
        } else {
            indices.sort_by_key(key);
        }
    }
    indices
}
