//! Types of the `batching` exercise.

use ndarray::Array2;
use thiserror::Error;

/// A dense, right-padded batch of token sequences.
///
/// Row `r` holds input sequence `indices[r]`: its `lengths[r]` tokens, then
/// padding up to `width`, the longest length in this batch.
#[derive(Debug, Clone, PartialEq)]
pub struct Batch {
    /// Token ids, shape `[rows, width]`.
    pub ids: Array2<u32>,
    /// 1 for a real token, 0 for padding; same shape as `ids`.
    pub mask: Array2<u8>,
    /// True length of each row.
    pub lengths: Vec<usize>,
    /// Row `r` holds input sequence `indices[r]`.
    pub indices: Vec<usize>,
}

/// How sequences are grouped into batches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BatchOrder {
    /// Consecutive groups in input order.
    Input,
    /// Longest sequences first (ties in input order), which minimises padding.
    LongestFirst,
}

/// Why sequences cannot be batched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum BatchError {
    /// A batch must hold at least one sequence.
    #[error("batch size must be at least 1")]
    ZeroBatchSize,
}
