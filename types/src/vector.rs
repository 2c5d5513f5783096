//! Types of the vector exercises: `cosine` and `top_k` (and `bm25`'s hits).

use thiserror::Error;

/// One retrieved item: its position in the input and its score.
///
/// Retrieval functions return hits best first.
///
/// ```
/// use kata_types::Hit;
/// let hit = Hit { index: 3, score: 0.5 };
/// assert_eq!(hit, Hit { index: 3, score: 0.5 });
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hit {
    /// Row (or document) index in the input, counted from 0.
    pub index: usize,
    /// Similarity or relevance score; higher is better.
    pub score: f32,
}

/// Why a vector computation has no answer.
///
/// Functions that report several of these check them in the order the
/// variants are declared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum VectorError {
    /// The two sides have different lengths (`found` is the second one).
    #[error("dimension mismatch: expected {expected} components, found {found}")]
    DimensionMismatch {
        /// The length the other operand fixed.
        expected: usize,
        /// The length that was given.
        found: usize,
    },
    /// The vectors have no components at all.
    #[error("empty vectors have no direction")]
    Empty,
    /// A component is NaN or infinite.
    #[error("a component is NaN or infinite")]
    NonFinite,
    /// Every component is +0.0 or -0.0, so the vector has no direction.
    /// Subnormal components count as non-zero.
    #[error("a zero vector has no direction")]
    ZeroNorm,
}
