//! # Retrieval metrics
//!
//! A search system returns, for each query, a ranking of document ids, best
//! first; human judges graded some documents for that query. Offline
//! evaluation turns the two into numbers: precision, recall, reciprocal
//! rank, average precision and nDCG, averaged over the queries. Write them
//! exactly as defined below: each one has a variant that looks right and
//! is not.
//!
//! ## Task
//! Implement [`precision_at_k`], [`recall_at_k`], [`ndcg_at_k`],
//! [`reciprocal_rank`], [`average_precision`] and [`evaluate`].
//!
//! ## Definitions
//! `ranking` lists document ids, best first (rank 1 is `ranking[0]`).
//! `relevance` maps judged document ids to grades; grade > 0 is relevant,
//! grade 0 is judged not relevant, and a document missing from the map has
//! grade 0. R is the number of relevant documents in `relevance`, whether
//! retrieved or not.
//! - precision@k = (relevant documents among the first k) / k. k counts even
//!   when the ranking is shorter: 1 relevant document in a ranking of 2 is
//!   precision@10 = 0.1.
//! - recall@k = (relevant documents among the first k) / R.
//! - RR = 1 / (rank of the first relevant document), 0 if none is retrieved.
//! - AP = (Σ over relevant documents at rank r of precision@r) / R: the
//!   relevant documents the ranking never retrieves add 0, but count in R.
//! - nDCG@k = DCG@k / IDCG@k, with linear gain (the grade itself) and
//!   discount `1 / log2(rank + 1)`: `DCG@k = Σ_{r ≤ k} grade(r) / log2(r + 1)`.
//!   IDCG@k is the DCG@k of the ideal ranking: every judged grade, retrieved
//!   or not, sorted from highest to lowest.
//! - A query with no relevant document (R = 0) scores 0 on every metric.
//! - [`evaluate`] averages over the queries: precision, recall and nDCG at
//!   k; `mrr` and `map` over each whole ranking. No queries → all zeros.
//!
//! ## Examples
//! ```text
//! relevance = {7: 3, 9: 1, 4: 0, 8: 2}       R = 3 (7, 9 and 8; 4 is judged not relevant)
//! ranking   = [9, 4, 7, 5]
//! precision@2 = 1/2 = 0.5                   (9 is relevant, 4 is not)
//! precision@10 = 2/10 = 0.2                 (k counts, not the ranking's length)
//! recall@3 = 2/3                            (8 is relevant but never retrieved)
//! RR = 1/1 = 1.0
//! AP = (1/1 + 2/3) / 3 = 0.5555…            (9 at rank 1, 7 at rank 3; 8 adds 0)
//! nDCG@3: DCG = 1/log2(2) + 0/log2(3) + 3/log2(4) = 1 + 1.5 = 2.5
//!         IDCG = 3/log2(2) + 2/log2(3) + 1/log2(4) = 3 + 1.2618595 + 0.5 = 4.7618595
//!         nDCG@3 = 2.5 / 4.7618595 = 0.5250050
//! ranking [1, 2, 2, 1]  → Err(DuplicateDocument { doc: 2 })   (position 2 repeats an earlier id)
//! evaluate(&[(&[9, 4, 7, 5], &relevance), (&[5], &relevance)], 2)
//!     → precision (0.5 + 0)/2 = 0.25, mrr (1 + 0)/2 = 0.5, map 0.2777…, ...
//! ```
//!
//! ## Errors, checked in this order
//! 1. `k == 0` → `Err(ZeroK)`, in the functions that take k. [`evaluate`]
//!    checks k before anything else: `evaluate(&[], 0)` is `Err(ZeroK)`.
//! 2. a document id twice anywhere in one ranking (not only in the first k)
//!    → `Err(DuplicateDocument { doc })` with the id at the first position
//!    whose id occurred earlier. [`evaluate`] reports the first query, in
//!    order, that has one.
//!
//! Ids are arbitrary `u64` values (`u64::MAX` is a valid id); k may exceed
//! the ranking's length; rankings may be empty.
//!
//! ## Accuracy
//! Within 1e-12 of the exact value: compute in f64.
//!
//! ## What a strong answer looks like
//! One pass over a ranking computes every metric: look each document's grade
//! up once and update all the sums. O(m) per query for a ranking of m
//! documents, plus O(J) for J judgements to count R and find the k largest
//! grades for IDCG (select, then sort only those k). The duplicate check must
//! not be quadratic in the ranking's length. [`evaluate`] over 10,000 queries
//! takes milliseconds.

use std::collections::HashMap;

pub use kata_types::{MetricError, Summary};

/// precision@k: the relevant documents among the first k, divided by k.
///
/// See the module documentation for the definitions and the errors.
pub fn precision_at_k(ranking: &[u64], relevance: &HashMap<u64, u32>, k: usize) -> Result<f64, MetricError> {
    todo!(
        "open exercises/src/metrics.rs: precision@{k} of {} documents ({} judged)",
        ranking.len(),
        relevance.len()
    )
}

/// recall@k: the relevant documents among the first k, divided by all relevant documents.
///
/// See the module documentation for the definitions and the errors.
pub fn recall_at_k(ranking: &[u64], relevance: &HashMap<u64, u32>, k: usize) -> Result<f64, MetricError> {
    todo!(
        "open exercises/src/metrics.rs: recall@{k} of {} documents ({} judged)",
        ranking.len(),
        relevance.len()
    )
}

/// nDCG@k with linear gain and discount `1 / log2(rank + 1)`.
///
/// See the module documentation for the definitions and the errors.
pub fn ndcg_at_k(ranking: &[u64], relevance: &HashMap<u64, u32>, k: usize) -> Result<f64, MetricError> {
    todo!(
        "open exercises/src/metrics.rs: nDCG@{k} of {} documents ({} judged)",
        ranking.len(),
        relevance.len()
    )
}

/// The reciprocal rank of the first relevant document (0 when none is retrieved).
///
/// See the module documentation for the definitions and the errors.
pub fn reciprocal_rank(ranking: &[u64], relevance: &HashMap<u64, u32>) -> Result<f64, MetricError> {
    todo!(
        "open exercises/src/metrics.rs: reciprocal rank of {} documents ({} judged)",
        ranking.len(),
        relevance.len()
    )
}

/// Average precision over all relevant documents (unretrieved ones add 0).
///
/// See the module documentation for the definitions and the errors.
pub fn average_precision(ranking: &[u64], relevance: &HashMap<u64, u32>) -> Result<f64, MetricError> {
    todo!(
        "open exercises/src/metrics.rs: average precision of {} documents ({} judged)",
        ranking.len(),
        relevance.len()
    )
}

/// The means of every metric over `queries`: precision, recall and nDCG at
/// k, reciprocal rank and average precision over each whole ranking.
///
/// See the module documentation for the definitions and the errors.
pub fn evaluate(queries: &[(&[u64], &HashMap<u64, u32>)], k: usize) -> Result<Summary, MetricError> {
    todo!("open exercises/src/metrics.rs: evaluate {} queries at k = {k}", queries.len())
}
