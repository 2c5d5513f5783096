//! Types of the `chunking` exercise.

use thiserror::Error;

/// Why a document cannot be chunked with the given parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum ChunkError {
    /// A chunk must hold at least one token.
    #[error("chunk size must be at least 1 token")]
    ZeroSize,
    /// The window would never advance: `overlap` must be smaller than `size`.
    #[error("overlap {overlap} must be smaller than the chunk size {size}")]
    OverlapTooLarge {
        /// Tokens per chunk.
        size: usize,
        /// Tokens shared by consecutive chunks.
        overlap: usize,
    },
}
