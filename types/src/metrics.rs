//! Types of the `metrics` exercise: retrieval evaluation.

use thiserror::Error;

/// Why a ranking cannot be evaluated.
///
/// Functions that report both check [`MetricError::ZeroK`] first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum MetricError {
    /// A cutoff of `k = 0` ranks nothing: precision@0 would divide by zero.
    #[error("k must be at least 1")]
    ZeroK,
    /// A ranking lists the same document twice.
    #[error("document {doc} appears twice in one ranking")]
    DuplicateDocument {
        /// The id at the first position whose id occurred earlier.
        doc: u64,
    },
}

/// The means of the retrieval metrics over a set of queries.
///
/// `precision`, `recall` and `ndcg` are at the cutoff k; `mrr` and `map`
/// look at the whole ranking.
///
/// ```
/// use kata_types::Summary;
/// let none = Summary { precision: 0.0, recall: 0.0, mrr: 0.0, map: 0.0, ndcg: 0.0 };
/// assert_eq!(none.map, 0.0);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Summary {
    /// Mean precision@k.
    pub precision: f64,
    /// Mean recall@k.
    pub recall: f64,
    /// Mean reciprocal rank of the first relevant document.
    pub mrr: f64,
    /// Mean average precision.
    pub map: f64,
    /// Mean nDCG@k.
    pub ndcg: f64,
}
