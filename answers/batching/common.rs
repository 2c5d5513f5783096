// Shared by the answers in this folder: one plain implementation whose
// mistakes each answer file switches on with its own `MISTAKES` constant.

pub use kata_types::{Batch, BatchError, BatchOrder};
use ndarray::Array2;

/// Pads `rows` (input indices) of `seqs` to `width`, on the left when `left`.
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
fn longest<S: AsRef<[u32]>>(seqs: &[S], rows: &[usize]) -> usize {
    rows.iter().map(|&index| seqs[index].as_ref().len()).max().unwrap_or(0)
}

/// Input indices in the requested order, sorted stably unless `unstable`.
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

/// The mistakes an answer makes; `NONE` is a right answer.
#[derive(Clone, Copy)]
struct Mistakes {
    left_padding: bool,
    width_of_whole_input: bool,
    drop_last_batch: bool,
    unstable_sort: bool,
}

#[allow(dead_code)]
impl Mistakes {
    const NONE: Mistakes = Mistakes {
        left_padding: false,
        width_of_whole_input: false,
        drop_last_batch: false,
        unstable_sort: false,
    };
}

pub fn pad_batch<S: AsRef<[u32]>>(seqs: &[S], pad_id: u32) -> Batch {
    let rows: Vec<usize> = (0..seqs.len()).collect();
    padded(seqs, &rows, longest(seqs, &rows), pad_id, MISTAKES.left_padding)
}

pub fn padded_batches<'a, S: AsRef<[u32]>>(
    seqs: &'a [S],
    batch_size: usize,
    pad_id: u32,
    order: BatchOrder,
) -> Result<impl Iterator<Item = Batch> + 'a, BatchError> {
    if batch_size == 0 {
        return Err(BatchError::ZeroBatchSize);
    }
    let indices = order_of(seqs, order, MISTAKES.unstable_sort);
    let global = longest(seqs, &indices);
    let partial = usize::from(!MISTAKES.drop_last_batch && indices.len() % batch_size != 0);
    let groups = indices.len() / batch_size + partial;
    Ok((0..groups).map(move |g| {
        let rows = &indices[g * batch_size..((g + 1) * batch_size).min(indices.len())];
        let width = if MISTAKES.width_of_whole_input { global } else { longest(seqs, rows) };
        padded(seqs, rows, width, pad_id, MISTAKES.left_padding)
    }))
}
