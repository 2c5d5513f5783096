//! Types of the `bm25` exercise, and the tokenizer both sides share.

use thiserror::Error;

/// The two free parameters of Okapi BM25.
///
/// `k1` controls how fast repeated terms saturate (0 means a term counts once
/// whatever its frequency); `b` how much document length normalises the score
/// (0 means not at all, 1 fully).
///
/// ```
/// use kata_types::Bm25Params;
/// assert_eq!(Bm25Params::default(), Bm25Params { k1: 1.2, b: 0.75 });
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bm25Params {
    /// Term-frequency saturation; finite and `>= 0.0`.
    pub k1: f32,
    /// Length normalisation; in `[0, 1]`.
    pub b: f32,
}

impl Default for Bm25Params {
    /// The usual defaults: `k1 = 1.2`, `b = 0.75`.
    fn default() -> Self {
        Self { k1: 1.2, b: 0.75 }
    }
}

/// Why a BM25 index cannot be built.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum Bm25Error {
    /// `k1` is negative or not finite, or `b` is outside `[0, 1]` or NaN.
    #[error("invalid BM25 parameters: k1 must be finite and >= 0, b must be in [0, 1]")]
    InvalidParams,
}

/// Splits `text` into lowercase terms.
///
/// A term is a maximal run of chars for which `char::is_alphanumeric` holds,
/// lowercased with `str::to_lowercase`; everything else separates terms.
///
/// ```
/// use kata_types::tokenize;
/// assert_eq!(tokenize("The cat's hat, the CAT!"), ["the", "cat", "s", "hat", "the", "cat"]);
/// assert!(tokenize("  ... ").is_empty());
/// ```
pub fn tokenize(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|piece| !piece.is_empty())
        .map(str::to_lowercase)
        .collect()
}
