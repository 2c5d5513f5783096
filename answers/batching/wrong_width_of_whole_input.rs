//! Wrong: every batch as wide as the longest sequence of the whole input.

include!("../../answers/batching/common.rs");

pub fn pad_batch<S: AsRef<[u32]>>(seqs: &[S], pad_id: u32) -> Batch {
    let rows: Vec<usize> = (0..seqs.len()).collect();
    padded(seqs, &rows, longest(seqs, &rows), pad_id, false)
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
    let indices = order_of(seqs, order, false);
    let global = if true { longest(seqs, &indices) } else { 0 };
    let groups = indices.len() / batch_size + usize::from(!false && indices.len() % batch_size != 0);
    Ok((0..groups).map(move |g| {
        let rows = &indices[g * batch_size..((g + 1) * batch_size).min(indices.len())];
        let width = if true { global } else { longest(seqs, rows) };
        padded(seqs, rows, width, pad_id, false)
    }))
}
