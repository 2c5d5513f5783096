//! Types of the `bpe` exercise.

use thiserror::Error;

/// Why a byte-level BPE tokenizer cannot be built, or cannot decode.
///
/// Functions that can report several of these check their input in order
/// and name the first offender.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum BpeError {
    /// The vocabulary must hold at least the 256 byte tokens.
    #[error("a vocabulary of {vocab_size} ids cannot hold the 256 byte tokens")]
    VocabTooSmall {
        /// The size that was asked for.
        vocab_size: usize,
    },
    /// An id that names no token of the vocabulary.
    #[error("token id {id} is not in the vocabulary")]
    UnknownToken {
        /// The first such id in the input.
        id: u32,
    },
    /// A merge that names an id not defined before it (merge `i` may use
    /// only the bytes 0..=255 and the ids 256..256 + i of earlier merges).
    #[error("merge {index} names an id that is not defined before it")]
    InvalidMerge {
        /// Position of the first such merge in the list.
        index: usize,
    },
}
