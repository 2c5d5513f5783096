// Shared by the answers in this folder: one plain implementation of every
// metric; each answer sets `MISTAKES` to switch its mistake on.

use std::collections::{HashMap, HashSet};

pub use kata_types::{MetricError, Summary};

/// The mistakes an answer can make (all off in `NONE`).
#[allow(dead_code)]
#[derive(Clone, Copy)]
struct Mistakes {
    precision_over_min_k_len: bool,
    exponential_gain: bool,
    ideal_from_retrieved: bool,
    discount_log2_rank: bool,
    ap_over_retrieved: bool,
    grade_zero_relevant: bool,
    duplicates_allowed: bool,
}

#[allow(dead_code)]
const NONE: Mistakes = Mistakes {
    precision_over_min_k_len: false,
    exponential_gain: false,
    ideal_from_retrieved: false,
    discount_log2_rank: false,
    ap_over_retrieved: false,
    grade_zero_relevant: false,
    duplicates_allowed: false,
};

fn check(ranking: &[u64]) -> Result<(), MetricError> {
    let mut seen = HashSet::new();
    match ranking.iter().find(|&&doc| !seen.insert(doc)) {
        Some(&doc) if !MISTAKES.duplicates_allowed => Err(MetricError::DuplicateDocument { doc }),
        _ => Ok(()),
    }
}

fn relevant(grade: Option<&u32>) -> bool {
    match grade {
        Some(&g) => g > 0 || MISTAKES.grade_zero_relevant,
        None => false,
    }
}

fn total_relevant(relevance: &HashMap<u64, u32>) -> usize {
    relevance.values().filter(|&g| relevant(Some(g))).count()
}

fn hits(ranking: &[u64], relevance: &HashMap<u64, u32>, k: usize) -> f64 {
    ranking.iter().take(k).filter(|doc| relevant(relevance.get(doc))).count() as f64
}

fn gain(grade: u32) -> f64 {
    if MISTAKES.exponential_gain { 2f64.powf(f64::from(grade)) - 1.0 } else { f64::from(grade) }
}

fn dcg(grades: impl Iterator<Item = u32>, k: usize) -> f64 {
    let offset = if MISTAKES.discount_log2_rank { 1.0 } else { 2.0 };
    grades.take(k).enumerate().map(|(i, g)| gain(g) / (i as f64 + offset).log2()).sum()
}

fn all(ranking: &[u64], relevance: &HashMap<u64, u32>, k: usize) -> Result<[f64; 5], MetricError> {
    check(ranking)?;
    let total = total_relevant(relevance);
    if total == 0 {
        return Ok([0.0; 5]);
    }
    let found = hits(ranking, relevance, k);
    let precision = found / if MISTAKES.precision_over_min_k_len { k.min(ranking.len()).max(1) } else { k } as f64;
    let first = ranking.iter().position(|doc| relevant(relevance.get(doc)));
    let rr = first.map_or(0.0, |i| 1.0 / (i + 1) as f64);
    let mut retrieved = 0.0;
    let mut sum = 0.0;
    for (i, doc) in ranking.iter().enumerate() {
        if relevant(relevance.get(doc)) {
            retrieved += 1.0;
            sum += retrieved / (i + 1) as f64;
        }
    }
    let ap = sum / if MISTAKES.ap_over_retrieved { retrieved.max(1.0) } else { total as f64 };
    let grade = |doc: &u64| relevance.get(doc).copied().unwrap_or(0);
    let mut ideal: Vec<u32> = if MISTAKES.ideal_from_retrieved {
        ranking.iter().map(grade).collect()
    } else {
        relevance.values().copied().collect()
    };
    ideal.sort_unstable_by(|a, b| b.cmp(a));
    let ideal_dcg = dcg(ideal.into_iter(), k);
    let ndcg = if ideal_dcg > 0.0 { dcg(ranking.iter().map(grade), k) / ideal_dcg } else { 0.0 };
    Ok([precision, found / total as f64, rr, ap, ndcg])
}

fn at_k(ranking: &[u64], relevance: &HashMap<u64, u32>, k: usize, which: usize) -> Result<f64, MetricError> {
    if k == 0 {
        return Err(MetricError::ZeroK);
    }
    Ok(all(ranking, relevance, k)?[which])
}

pub fn precision_at_k(ranking: &[u64], relevance: &HashMap<u64, u32>, k: usize) -> Result<f64, MetricError> {
    at_k(ranking, relevance, k, 0)
}

pub fn recall_at_k(ranking: &[u64], relevance: &HashMap<u64, u32>, k: usize) -> Result<f64, MetricError> {
    at_k(ranking, relevance, k, 1)
}

pub fn ndcg_at_k(ranking: &[u64], relevance: &HashMap<u64, u32>, k: usize) -> Result<f64, MetricError> {
    at_k(ranking, relevance, k, 4)
}

pub fn reciprocal_rank(ranking: &[u64], relevance: &HashMap<u64, u32>) -> Result<f64, MetricError> {
    at_k(ranking, relevance, ranking.len().max(1), 2)
}

pub fn average_precision(ranking: &[u64], relevance: &HashMap<u64, u32>) -> Result<f64, MetricError> {
    at_k(ranking, relevance, ranking.len().max(1), 3)
}

pub fn evaluate(queries: &[(&[u64], &HashMap<u64, u32>)], k: usize) -> Result<Summary, MetricError> {
    if k == 0 {
        return Err(MetricError::ZeroK);
    }
    let mut sums = [0.0; 5];
    for (ranking, relevance) in queries {
        let at = all(ranking, relevance, k)?;
        let whole = all(ranking, relevance, ranking.len().max(1))?;
        for (sum, value) in sums.iter_mut().zip([at[0], at[1], whole[2], whole[3], at[4]]) {
            *sum += value;
        }
    }
    let n = queries.len().max(1) as f64;
    Ok(Summary { precision: sums[0] / n, recall: sums[1] / n, mrr: sums[2] / n, map: sums[3] / n, ndcg: sums[4] / n })
}
