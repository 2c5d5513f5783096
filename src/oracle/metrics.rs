//! Retrieval metrics straight from their definitions, one metric at a
//! time, with no shared pass and no shortcuts: each relevant document is
//! found by scanning, the ideal ranking by sorting every judged grade, and
//! precision at each rank by recounting the prefix.

use std::collections::HashMap;

use kata_types::MetricError;

/// One query: its ranking (best first) and its judged grades.
pub type Query = (Vec<u64>, HashMap<u64, u32>);

/// The error the contract requires for a ranking at cutoff `k` (`None` for
/// the metrics that take no k), if any.
pub fn expected_error(ranking: &[u64], k: Option<usize>) -> Option<MetricError> {
    if k == Some(0) {
        return Some(MetricError::ZeroK);
    }
    (0..ranking.len())
        .find(|&position| ranking[..position].contains(&ranking[position]))
        .map(|position| MetricError::DuplicateDocument { doc: ranking[position] })
}

fn grade(relevance: &HashMap<u64, u32>, doc: u64) -> u32 {
    relevance.get(&doc).copied().unwrap_or(0)
}

fn relevant_count(relevance: &HashMap<u64, u32>) -> usize {
    relevance.values().filter(|&&grade| grade > 0).count()
}

fn relevant_in_first(ranking: &[u64], relevance: &HashMap<u64, u32>, k: usize) -> usize {
    ranking.iter().take(k).filter(|&&doc| grade(relevance, doc) > 0).count()
}

/// precision@k (`k >= 1`, no duplicates).
pub fn precision_at_k(ranking: &[u64], relevance: &HashMap<u64, u32>, k: usize) -> f64 {
    if relevant_count(relevance) == 0 {
        return 0.0;
    }
    relevant_in_first(ranking, relevance, k) as f64 / k as f64
}

/// recall@k (`k >= 1`, no duplicates).
pub fn recall_at_k(ranking: &[u64], relevance: &HashMap<u64, u32>, k: usize) -> f64 {
    match relevant_count(relevance) {
        0 => 0.0,
        total => relevant_in_first(ranking, relevance, k) as f64 / total as f64,
    }
}

/// The reciprocal rank of the first relevant document.
pub fn reciprocal_rank(ranking: &[u64], relevance: &HashMap<u64, u32>) -> f64 {
    match ranking.iter().position(|&doc| grade(relevance, doc) > 0) {
        Some(index) => 1.0 / (index + 1) as f64,
        None => 0.0,
    }
}

/// Average precision over all relevant documents.
pub fn average_precision(ranking: &[u64], relevance: &HashMap<u64, u32>) -> f64 {
    let total = relevant_count(relevance);
    if total == 0 {
        return 0.0;
    }
    let sum: f64 = (1..=ranking.len())
        .filter(|&rank| grade(relevance, ranking[rank - 1]) > 0)
        .map(|rank| relevant_in_first(ranking, relevance, rank) as f64 / rank as f64)
        .sum();
    sum / total as f64
}

/// DCG of a list of grades in rank order, cut at k.
fn dcg(grades: impl IntoIterator<Item = u32>, k: usize) -> f64 {
    grades.into_iter().take(k).enumerate().map(|(index, g)| f64::from(g) / ((index + 2) as f64).log2()).sum()
}

/// nDCG@k with linear gain, the ideal order from every judged grade.
pub fn ndcg_at_k(ranking: &[u64], relevance: &HashMap<u64, u32>, k: usize) -> f64 {
    if relevant_count(relevance) == 0 {
        return 0.0;
    }
    let mut ideal: Vec<u32> = relevance.values().copied().collect();
    ideal.sort_unstable_by(|a, b| b.cmp(a));
    dcg(ranking.iter().map(|&doc| grade(relevance, doc)), k) / dcg(ideal, k)
}

/// The five means of `evaluate` (precision, recall, mrr, map, ndcg), for
/// queries without duplicates and `k >= 1`.
pub fn evaluate(queries: &[Query], k: usize) -> [f64; 5] {
    if queries.is_empty() {
        return [0.0; 5];
    }
    let mut sums = [0.0; 5];
    for (ranking, relevance) in queries {
        sums[0] += precision_at_k(ranking, relevance, k);
        sums[1] += recall_at_k(ranking, relevance, k);
        sums[2] += reciprocal_rank(ranking, relevance);
        sums[3] += average_precision(ranking, relevance);
        sums[4] += ndcg_at_k(ranking, relevance, k);
    }
    sums.map(|sum| sum / queries.len() as f64)
}
