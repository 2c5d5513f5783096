//! # Retrieval metrics: one pass over the ranking, one look-up per document
//!
//! Every metric here is a sum over the ranking's positions of something
//! that depends only on the document's grade and its rank, so one pass
//! computes them all: it looks each document's grade up once, counts the
//! relevant ones seen so far (precision at each rank, for AP), notes the
//! first relevant rank (RR) and adds `grade / log2(rank + 1)` (DCG).
//! [`evaluate`] runs that pass once per query instead of once per metric.
//!
//! The other costs are the denominators. Recall and AP need the number of
//! relevant judged documents, and the ideal DCG needs the k largest judged
//! grades: `select_nth_unstable` finds them in O(J) for J judgements and
//! only those k are sorted, so a query costs O(m + J + k log k) for a
//! ranking of m documents.
//!
//! Duplicates must be found anywhere in the ranking (an error, not a metric),
//! so the pass also remembers what it has seen: a short ranking compares
//! each id with the ones before it (a few cache lines, no hashing), a long
//! one uses a hash set with a multiplicative hasher on the `u64` ids, kept
//! across the queries of [`evaluate`] so it allocates once.
//!
//! Discounts `1 / log2(rank + 1)` are computed, not tabled: a `log2` costs
//! about as much as the look-up it follows. Everything is in f64, and each
//! metric is a short sum of terms in [0, 1], well within 1e-12.
//!
//! ```
//! use std::collections::HashMap;
//! use solutions::metrics::{MetricError, evaluate, ndcg_at_k, precision_at_k};
//!
//! let relevance = HashMap::from([(7, 3), (9, 1), (4, 0)]);
//! let ranking = [9, 4, 7, 5];
//! assert_eq!(precision_at_k(&ranking, &relevance, 2), Ok(0.5));
//! let ideal = 3.0 + 1.0 / 3f64.log2();
//! let dcg = 1.0 + 3.0 / 2.0; // grade 1 at rank 1, grade 3 at rank 3 (log2 4 = 2)
//! assert!((ndcg_at_k(&ranking, &relevance, 3).unwrap() - dcg / ideal).abs() < 1e-12);
//! assert_eq!(precision_at_k(&[1, 2, 2, 1], &relevance, 1), Err(MetricError::DuplicateDocument { doc: 2 }));
//! assert_eq!(evaluate(&[], 0), Err(MetricError::ZeroK));
//! ```

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

pub use kata_types::{MetricError, Summary};

/// precision@k: the relevant documents among the first k, divided by k
/// (k counts even when the ranking is shorter).
///
/// # Errors
/// [`MetricError::ZeroK`] when `k == 0`, then
/// [`MetricError::DuplicateDocument`] when the ranking lists a document twice.
///
/// ```
/// use std::collections::HashMap;
/// use solutions::metrics::precision_at_k;
/// let relevance = HashMap::from([(1, 2), (3, 1)]);
/// assert_eq!(precision_at_k(&[1, 2, 3], &relevance, 4), Ok(0.5));
/// ```
pub fn precision_at_k(ranking: &[u64], relevance: &HashMap<u64, u32>, k: usize) -> Result<f64, MetricError> {
    let scores = scores_at(ranking, relevance, Some(k))?;
    Ok(scores.precision)
}

/// recall@k: the relevant documents among the first k, divided by all the
/// relevant documents (0 when there are none).
///
/// # Errors
/// As [`precision_at_k`].
///
/// ```
/// use std::collections::HashMap;
/// use solutions::metrics::recall_at_k;
/// let relevance = HashMap::from([(1, 2), (3, 1), (8, 1), (9, 0)]);
/// assert_eq!(recall_at_k(&[1, 2, 3], &relevance, 2), Ok(1.0 / 3.0));
/// ```
pub fn recall_at_k(ranking: &[u64], relevance: &HashMap<u64, u32>, k: usize) -> Result<f64, MetricError> {
    let scores = scores_at(ranking, relevance, Some(k))?;
    Ok(scores.recall)
}

/// nDCG@k: DCG@k over the ideal DCG@k, with gain = grade and discount
/// `1 / log2(rank + 1)`; the ideal order sorts every judged grade.
///
/// # Errors
/// As [`precision_at_k`].
///
/// ```
/// use std::collections::HashMap;
/// use solutions::metrics::ndcg_at_k;
/// let relevance = HashMap::from([(1, 1), (2, 2)]);
/// // DCG = 1/log2(2) + 2/log2(3); ideal = 2/log2(2) + 1/log2(3).
/// let expected = (1.0 + 2.0 / 3f64.log2()) / (2.0 + 1.0 / 3f64.log2());
/// assert!((ndcg_at_k(&[1, 2], &relevance, 5).unwrap() - expected).abs() < 1e-12);
/// ```
pub fn ndcg_at_k(ranking: &[u64], relevance: &HashMap<u64, u32>, k: usize) -> Result<f64, MetricError> {
    let scores = scores_at(ranking, relevance, Some(k))?;
    Ok(scores.ndcg)
}

/// The reciprocal rank of the first relevant document (0 when none is retrieved).
///
/// # Errors
/// [`MetricError::DuplicateDocument`] when the ranking lists a document twice.
///
/// ```
/// use std::collections::HashMap;
/// use solutions::metrics::reciprocal_rank;
/// let relevance = HashMap::from([(5, 1)]);
/// assert_eq!(reciprocal_rank(&[3, 4, 5], &relevance), Ok(1.0 / 3.0));
/// ```
pub fn reciprocal_rank(ranking: &[u64], relevance: &HashMap<u64, u32>) -> Result<f64, MetricError> {
    let scores = scores_at(ranking, relevance, None)?;
    Ok(scores.reciprocal_rank)
}

/// Average precision: the mean, over every relevant document, of the
/// precision at its rank; relevant documents never retrieved add 0.
///
/// # Errors
/// As [`reciprocal_rank`].
///
/// ```
/// use std::collections::HashMap;
/// use solutions::metrics::average_precision;
/// let relevance = HashMap::from([(1, 1), (3, 1), (9, 1)]);
/// // Relevant at ranks 1 and 3: (1/1 + 2/3) / 3 relevant documents.
/// assert_eq!(average_precision(&[1, 2, 3], &relevance), Ok((1.0 + 2.0 / 3.0) / 3.0));
/// ```
pub fn average_precision(ranking: &[u64], relevance: &HashMap<u64, u32>) -> Result<f64, MetricError> {
    let scores = scores_at(ranking, relevance, None)?;
    Ok(scores.average_precision)
}

/// The means over `queries` of precision@k, recall@k, nDCG@k, and of the
/// reciprocal rank and average precision over each whole ranking. No
/// queries give all zeros.
///
/// # Errors
/// [`MetricError::ZeroK`] when `k == 0` (checked first, even with no
/// queries), then the first query, in order, whose ranking lists a document
/// twice.
///
/// ```
/// use std::collections::HashMap;
/// use solutions::metrics::evaluate;
/// let relevance = HashMap::from([(1, 1)]);
/// let first: &[u64] = &[1, 2];
/// let second: &[u64] = &[2, 1];
/// let summary = evaluate(&[(first, &relevance), (second, &relevance)], 1).unwrap();
/// assert_eq!(summary.precision, 0.5);
/// assert_eq!(summary.mrr, 0.75);
/// ```
pub fn evaluate(queries: &[(&[u64], &HashMap<u64, u32>)], k: usize) -> Result<Summary, MetricError> {
    if k == 0 {
        return Err(MetricError::ZeroK);
    }
    let mut seen = Seen::default();
    let mut totals = Summary { precision: 0.0, recall: 0.0, mrr: 0.0, map: 0.0, ndcg: 0.0 };
    for &(ranking, relevance) in queries {
        let scores = query_scores(ranking, relevance, k, &mut seen)?;
        totals.precision += scores.precision;
        totals.recall += scores.recall;
        totals.mrr += scores.reciprocal_rank;
        totals.map += scores.average_precision;
        totals.ndcg += scores.ndcg;
    }
    if queries.is_empty() {
        return Ok(totals);
    }
    let count = queries.len() as f64;
    Ok(Summary {
        precision: totals.precision / count,
        recall: totals.recall / count,
        mrr: totals.mrr / count,
        map: totals.map / count,
        ndcg: totals.ndcg / count,
    })
}

/// Every metric of one query.
struct Scores {
    precision: f64,
    recall: f64,
    ndcg: f64,
    reciprocal_rank: f64,
    average_precision: f64,
}

/// The metrics of one ranking; `k == None` for the metrics that take no k
/// (the cutoff is then the whole ranking, and the at-k values unused).
fn scores_at(
    ranking: &[u64],
    relevance: &HashMap<u64, u32>,
    k: Option<usize>,
) -> Result<Scores, MetricError> {
    if k == Some(0) {
        return Err(MetricError::ZeroK);
    }
    let k = k.unwrap_or(ranking.len().max(1));
    query_scores(ranking, relevance, k, &mut Seen::default())
}

/// The one pass over a ranking (`k >= 1`).
fn query_scores(
    ranking: &[u64],
    relevance: &HashMap<u64, u32>,
    k: usize,
    seen: &mut Seen,
) -> Result<Scores, MetricError> {
    seen.check_distinct(ranking)?;
    let relevant_total = relevance.values().filter(|&&grade| grade > 0).count();
    if relevant_total == 0 {
        return Ok(Scores {
            precision: 0.0,
            recall: 0.0,
            ndcg: 0.0,
            reciprocal_rank: 0.0,
            average_precision: 0.0,
        });
    }
    let (mut found, mut found_at_k, mut first_rank) = (0_usize, 0_usize, 0_usize);
    let (mut precision_sum, mut dcg) = (0.0_f64, 0.0_f64);
    for (index, doc) in ranking.iter().enumerate() {
        let grade = relevance.get(doc).copied().unwrap_or(0);
        if grade == 0 {
            continue;
        }
        let rank = index + 1;
        found += 1;
        precision_sum += found as f64 / rank as f64;
        if first_rank == 0 {
            first_rank = rank;
        }
        if rank <= k {
            found_at_k += 1;
            dcg += f64::from(grade) / discount(rank);
        }
    }
    Ok(Scores {
        precision: found_at_k as f64 / k as f64,
        recall: found_at_k as f64 / relevant_total as f64,
        ndcg: dcg / ideal_dcg(relevance, k),
        reciprocal_rank: if first_rank == 0 { 0.0 } else { 1.0 / first_rank as f64 },
        average_precision: precision_sum / relevant_total as f64,
    })
}

/// `log2(rank + 1)`: the DCG discount divides by it.
fn discount(rank: usize) -> f64 {
    (rank as f64 + 1.0).log2()
}

/// DCG@k of the ideal ranking: every judged grade, largest first
/// (positive for a query with a relevant document).
fn ideal_dcg(relevance: &HashMap<u64, u32>, k: usize) -> f64 {
    let mut grades: Vec<u32> = relevance.values().copied().filter(|&grade| grade > 0).collect();
    if grades.len() > k {
        grades.select_nth_unstable_by(k - 1, |a, b| b.cmp(a));
        grades.truncate(k);
    }
    grades.sort_unstable_by(|a, b| b.cmp(a));
    grades.iter().enumerate().map(|(index, &grade)| f64::from(grade) / discount(index + 1)).sum()
}

/// Rankings up to this length are checked for duplicates by comparing each
/// id with the ones before it; longer ones go through a hash set.
const SHORT_RANKING: usize = 48;

/// The ids seen so far in a ranking, kept between rankings to reuse its memory.
#[derive(Default)]
struct Seen {
    ids: HashSet<u64, BuildHasherDefault<IdHasher>>,
}

impl Seen {
    /// The id at the first position whose id occurred earlier, as an error.
    fn check_distinct(&mut self, ranking: &[u64]) -> Result<(), MetricError> {
        if ranking.len() <= SHORT_RANKING {
            for (index, doc) in ranking.iter().enumerate() {
                if ranking[..index].contains(doc) {
                    return Err(MetricError::DuplicateDocument { doc: *doc });
                }
            }
            return Ok(());
        }
        self.ids.clear();
        self.ids.reserve(ranking.len());
        match ranking.iter().find(|&&doc| !self.ids.insert(doc)) {
            Some(&doc) => Err(MetricError::DuplicateDocument { doc }),
            None => Ok(()),
        }
    }
}

/// A hasher for `u64` ids: one multiply by an odd constant, high bits
/// folded down (hashbrown takes its bucket from the low bits and its tag
/// from the top seven). Ids are not attacker-chosen keys here.
#[derive(Default)]
struct IdHasher(u64);

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.write_u64(u64::from(byte) ^ self.0.rotate_left(8));
        }
    }

    fn write_u64(&mut self, id: u64) {
        let mixed = (id ^ self.0).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        self.0 = mixed ^ (mixed >> 32);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_and_long_rankings_report_the_same_duplicate() {
        let mut long: Vec<u64> = (0..200).collect();
        long.extend([150, 3]);
        let short: Vec<u64> = vec![5, 9, 9, 5];
        let mut seen = Seen::default();
        assert_eq!(seen.check_distinct(&long), Err(MetricError::DuplicateDocument { doc: 150 }));
        assert_eq!(seen.check_distinct(&short), Err(MetricError::DuplicateDocument { doc: 9 }));
        assert_eq!(seen.check_distinct(&(0..100).collect::<Vec<u64>>()), Ok(()));
    }

    #[test]
    fn the_ideal_dcg_takes_the_largest_grades() {
        let relevance = HashMap::from([(1, 1), (2, 3), (3, 0), (4, 2)]);
        assert_eq!(ideal_dcg(&relevance, 1), 3.0);
        assert!((ideal_dcg(&relevance, 2) - (3.0 + 2.0 / 3f64.log2())).abs() < 1e-15);
    }
}
