//! Hidden tests for the `metrics` exercise (`exercises/src/metrics.rs`).
//!
//! Tiers, by name prefix: `examples_` (the statement's worked example),
//! `edge_` (k = 0, duplicates and the order of the errors, empty rankings,
//! no relevant documents), `property_` (random queries against metrics
//! written straight from the definitions), `robust_` (huge ids, grade-0
//! judgements, unretrieved relevant documents, extreme k and grades),
//! `scale_` (10,000 queries; a ranking of a million documents).

use std::collections::HashMap;

use kata::expect_eq;
use kata::generate::rankings;
use kata::grade;
use kata::oracle::metrics as oracle;
use kata::property;
use kata::seed::rng_for;
use kata::subject::metrics::{
    MetricError, Summary, average_precision, evaluate, ndcg_at_k, precision_at_k, recall_at_k,
    reciprocal_rank,
};
use kata::tolerance::check_close;
use proptest::prelude::*;

const EXERCISE: &str = "metrics";

/// The contract's accuracy: within 1e-12 of the exact value.
const TOLERANCE: f64 = 1e-12;

type Relevance = HashMap<u64, u32>;

/// The statement's judgements: 7, 9 and 8 are relevant, 4 is judged not relevant.
fn statement_relevance() -> Relevance {
    HashMap::from([(7, 3), (9, 1), (4, 0), (8, 2)])
}

const STATEMENT_RANKING: [u64; 4] = [9, 4, 7, 5];

/// Which metric a check is about, with what a wrong value usually means.
#[derive(Debug, Clone, Copy)]
enum Metric {
    Precision,
    Recall,
    Ndcg,
    ReciprocalRank,
    AveragePrecision,
}

impl Metric {
    const ALL: [Metric; 5] =
        [Metric::Precision, Metric::Recall, Metric::Ndcg, Metric::ReciprocalRank, Metric::AveragePrecision];

    fn name(self, k: usize) -> String {
        match self {
            Metric::Precision => format!("precision@{k}"),
            Metric::Recall => format!("recall@{k}"),
            Metric::Ndcg => format!("nDCG@{k}"),
            Metric::ReciprocalRank => "reciprocal rank".to_owned(),
            Metric::AveragePrecision => "average precision".to_owned(),
        }
    }

    /// The definition a wrong value most often forgets.
    fn reminder(self) -> &'static str {
        match self {
            Metric::Precision => "divide by k even when the ranking is shorter; grade 0 is not relevant",
            Metric::Recall => "divide by every relevant judged document (grade > 0), retrieved or not",
            Metric::Ndcg => {
                "gain = the grade (not 2^grade − 1), discount 1/log2(rank + 1) with rank from 1, \
                 ideal DCG from every judged grade (not only the retrieved ones)"
            }
            Metric::ReciprocalRank => "1 / rank of the first document with grade > 0, ranks counted from 1",
            Metric::AveragePrecision => {
                "divide the sum of precision@rank by every relevant judged document, not only the retrieved ones"
            }
        }
    }

    /// The subject's value (called inside `grade::run`).
    fn subject(self, ranking: &[u64], relevance: &Relevance, k: usize) -> Result<f64, MetricError> {
        match self {
            Metric::Precision => precision_at_k(ranking, relevance, k),
            Metric::Recall => recall_at_k(ranking, relevance, k),
            Metric::Ndcg => ndcg_at_k(ranking, relevance, k),
            Metric::ReciprocalRank => reciprocal_rank(ranking, relevance),
            Metric::AveragePrecision => average_precision(ranking, relevance),
        }
    }

    fn oracle(self, ranking: &[u64], relevance: &Relevance, k: usize) -> f64 {
        match self {
            Metric::Precision => oracle::precision_at_k(ranking, relevance, k),
            Metric::Recall => oracle::recall_at_k(ranking, relevance, k),
            Metric::Ndcg => oracle::ndcg_at_k(ranking, relevance, k),
            Metric::ReciprocalRank => oracle::reciprocal_rank(ranking, relevance),
            Metric::AveragePrecision => oracle::average_precision(ranking, relevance),
        }
    }

    fn takes_k(self) -> bool {
        matches!(self, Metric::Precision | Metric::Recall | Metric::Ndcg)
    }
}

/// Checks one metric's answer against `expected`, or says what is wrong.
fn check_metric(
    metric: Metric,
    ranking: &[u64],
    relevance: &Relevance,
    k: usize,
    answer: Result<f64, MetricError>,
    expected: f64,
) -> Result<(), String> {
    let context = || format!("ranking {}, relevance {}", preview(ranking), preview_relevance(relevance));
    let actual = answer.map_err(|error| {
        format!("{}: expected Ok({expected}), got Err({error:?})\n  {}", metric.name(k), context())
    })?;
    check_close(&metric.name(k), actual, expected, TOLERANCE, 0.0)
        .map_err(|message| format!("{message}: {}\n  {}", metric.reminder(), context()))
}

/// The subject's value of `metric`, under the time limit.
fn subject(metric: Metric, ranking: &[u64], relevance: &Relevance, k: usize) -> Result<f64, MetricError> {
    let (ranking, relevance) = (ranking.to_vec(), relevance.clone());
    grade::run(EXERCISE, move || metric.subject(&ranking, &relevance, k))
}

fn assert_metric(metric: Metric, ranking: &[u64], relevance: &Relevance, k: usize, expected: f64) {
    let answer = subject(metric, ranking, relevance, k);
    if let Err(message) = check_metric(metric, ranking, relevance, k, answer, expected) {
        panic!("{message}");
    }
}

/// The subject's `evaluate` on owned queries, under `limit`.
fn subject_evaluate(
    queries: Vec<(Vec<u64>, Relevance)>,
    k: usize,
    limit: std::time::Duration,
) -> Result<Summary, MetricError> {
    grade::run_within(EXERCISE, limit, move || {
        let borrowed: Vec<(&[u64], &Relevance)> = queries.iter().map(|(r, j)| (r.as_slice(), j)).collect();
        evaluate(&borrowed, k)
    })
}

/// Checks `evaluate`'s summary against the oracle's five means.
fn check_summary(
    answer: Result<Summary, MetricError>,
    queries: &[(Vec<u64>, Relevance)],
    k: usize,
) -> Result<(), String> {
    let expected = oracle::evaluate(queries, k);
    let summary = answer.map_err(|error| format!("evaluate at k = {k}: expected Ok, got Err({error:?})"))?;
    let actual = [summary.precision, summary.recall, summary.mrr, summary.map, summary.ndcg];
    let names = [
        "precision (mean precision@k)",
        "recall (mean recall@k)",
        "mrr (over whole rankings)",
        "map (over whole rankings)",
        "ndcg (mean nDCG@k)",
    ];
    for ((name, actual), expected) in names.iter().zip(actual).zip(expected) {
        check_close(
            &format!("evaluate over {} queries at k = {k}: {name}", queries.len()),
            actual,
            expected,
            TOLERANCE,
            0.0,
        )?;
    }
    Ok(())
}

fn preview(ranking: &[u64]) -> String {
    let shown: Vec<String> = ranking.iter().take(10).map(u64::to_string).collect();
    format!("[{}{}] ({} ids)", shown.join(", "), if ranking.len() > 10 { ", ..." } else { "" }, ranking.len())
}

fn preview_relevance(relevance: &Relevance) -> String {
    let mut pairs: Vec<(&u64, &u32)> = relevance.iter().collect();
    pairs.sort();
    let shown: Vec<String> = pairs.iter().take(10).map(|(id, grade)| format!("{id}: {grade}")).collect();
    format!(
        "{{{}{}}} ({} judged)",
        shown.join(", "),
        if pairs.len() > 10 { ", ..." } else { "" },
        pairs.len()
    )
}

// ---------------------------------------------------------------- examples

#[test]
fn examples_precision_counts_relevant_among_the_first_k() {
    assert_metric(Metric::Precision, &STATEMENT_RANKING, &statement_relevance(), 2, 0.5);
}

#[test]
fn examples_precision_divides_by_k_beyond_the_ranking() {
    assert_metric(Metric::Precision, &STATEMENT_RANKING, &statement_relevance(), 10, 0.2);
}

#[test]
fn examples_recall_counts_unretrieved_relevant_documents() {
    assert_metric(Metric::Recall, &STATEMENT_RANKING, &statement_relevance(), 3, 2.0 / 3.0);
}

#[test]
fn examples_reciprocal_rank_of_the_first_relevant() {
    assert_metric(Metric::ReciprocalRank, &STATEMENT_RANKING, &statement_relevance(), 1, 1.0);
    assert_metric(Metric::ReciprocalRank, &[5, 4, 8], &statement_relevance(), 1, 1.0 / 3.0);
}

#[test]
fn examples_average_precision_over_all_relevant_documents() {
    assert_metric(
        Metric::AveragePrecision,
        &STATEMENT_RANKING,
        &statement_relevance(),
        1,
        (1.0 + 2.0 / 3.0) / 3.0,
    );
}

#[test]
fn examples_ndcg_with_linear_gain_and_the_ideal_from_every_judgement() {
    let ideal = 3.0 + 2.0 / 3f64.log2() + 0.5;
    assert_metric(Metric::Ndcg, &STATEMENT_RANKING, &statement_relevance(), 3, 2.5 / ideal);
}

#[test]
fn examples_a_repeated_document_is_an_error() {
    for metric in Metric::ALL {
        let answer = subject(metric, &[1, 2, 2, 1], &statement_relevance(), 3);
        expect_eq!(answer, Err(MetricError::DuplicateDocument { doc: 2 }), "{}", metric.name(3));
    }
}

#[test]
fn examples_evaluate_averages_over_queries() {
    let queries = vec![(STATEMENT_RANKING.to_vec(), statement_relevance()), (vec![5], statement_relevance())];
    let answer = subject_evaluate(queries.clone(), 2, grade::DEFAULT_LIMIT);
    let summary = answer.unwrap_or_else(|error| panic!("evaluate: expected Ok, got Err({error:?})"));
    for (metric, actual, expected) in [("precision", summary.precision, 0.25), ("mrr", summary.mrr, 0.5)] {
        if let Err(message) = check_close(metric, actual, expected, TOLERANCE, 0.0) {
            panic!("{message}");
        }
    }
    if let Err(message) = check_summary(Ok(summary), &queries, 2) {
        panic!("{message}");
    }
}

// ---------------------------------------------------------------- edge

#[test]
fn edge_zero_k_is_an_error() {
    for metric in [Metric::Precision, Metric::Recall, Metric::Ndcg] {
        expect_eq!(
            subject(metric, &[1, 2], &statement_relevance(), 0),
            Err(MetricError::ZeroK),
            "{}",
            metric.name(0)
        );
    }
    expect_eq!(
        subject_evaluate(vec![(vec![9], statement_relevance())], 0, grade::DEFAULT_LIMIT),
        Err(MetricError::ZeroK)
    );
}

#[test]
fn edge_evaluate_checks_k_before_anything_else() {
    expect_eq!(subject_evaluate(vec![], 0, grade::DEFAULT_LIMIT), Err(MetricError::ZeroK));
    expect_eq!(
        subject_evaluate(vec![(vec![3, 3], statement_relevance())], 0, grade::DEFAULT_LIMIT),
        Err(MetricError::ZeroK)
    );
}

#[test]
fn edge_zero_k_is_checked_before_duplicates() {
    for metric in [Metric::Precision, Metric::Recall, Metric::Ndcg] {
        expect_eq!(
            subject(metric, &[1, 1], &statement_relevance(), 0),
            Err(MetricError::ZeroK),
            "{}",
            metric.name(0)
        );
    }
}

#[test]
fn edge_a_duplicate_beyond_k_is_still_an_error() {
    for metric in Metric::ALL {
        let answer = subject(metric, &[9, 7, 1, 2, 3, 1], &statement_relevance(), 1);
        expect_eq!(answer, Err(MetricError::DuplicateDocument { doc: 1 }), "{} with k = 1", metric.name(1));
    }
}

#[test]
fn edge_the_duplicate_reported_is_the_first_repeat() {
    // Position 3 repeats 1 (seen at 1) before position 4 repeats 3 (seen at 0).
    for metric in Metric::ALL {
        let answer = subject(metric, &[3, 1, 2, 1, 3], &statement_relevance(), 5);
        expect_eq!(answer, Err(MetricError::DuplicateDocument { doc: 1 }), "{}", metric.name(5));
    }
}

#[test]
fn edge_evaluate_reports_the_first_query_with_a_duplicate() {
    let queries = vec![
        (vec![9, 7], statement_relevance()),
        (vec![5, 6, 5], statement_relevance()),
        (vec![7, 7], statement_relevance()),
    ];
    expect_eq!(
        subject_evaluate(queries, 3, grade::DEFAULT_LIMIT),
        Err(MetricError::DuplicateDocument { doc: 5 })
    );
}

#[test]
fn edge_no_queries_give_all_zeros() {
    let expected = Summary { precision: 0.0, recall: 0.0, mrr: 0.0, map: 0.0, ndcg: 0.0 };
    expect_eq!(subject_evaluate(vec![], 5, grade::DEFAULT_LIMIT), Ok(expected));
}

#[test]
fn edge_an_empty_ranking_scores_zero() {
    for metric in Metric::ALL {
        assert_metric(metric, &[], &statement_relevance(), 3, 0.0);
    }
}

#[test]
fn edge_a_query_with_no_relevant_document_scores_zero() {
    let judged_irrelevant = HashMap::from([(1, 0), (2, 0)]);
    for relevance in [HashMap::new(), judged_irrelevant] {
        for metric in Metric::ALL {
            assert_metric(metric, &[1, 2, 3], &relevance, 2, 0.0);
        }
    }
}

#[test]
fn edge_k_beyond_the_ranking() {
    let relevance = statement_relevance();
    assert_metric(Metric::Recall, &STATEMENT_RANKING, &relevance, 100, 2.0 / 3.0);
    let ideal = 3.0 + 2.0 / 3f64.log2() + 0.5;
    assert_metric(Metric::Ndcg, &STATEMENT_RANKING, &relevance, 100, 2.5 / ideal);
    assert_metric(Metric::Precision, &[7], &relevance, 4, 0.25);
}

// ---------------------------------------------------------------- property

#[test]
fn property_each_metric_matches_the_definition() {
    let case = (rankings::query_case(30, 30), 1_usize..40);
    grade::run(EXERCISE, move || {
        property::check(case, 256, |((ranking, relevance), k)| {
            for metric in Metric::ALL {
                let answer = metric.subject(&ranking, &relevance, k);
                let expected = metric.oracle(&ranking, &relevance, k);
                check_metric(metric, &ranking, &relevance, k, answer, expected)
                    .map_err(TestCaseError::fail)?;
            }
            Ok(())
        });
    });
}

#[test]
fn property_evaluate_is_the_mean_of_the_metrics() {
    let case = (proptest::collection::vec(rankings::query_case(20, 20), 0..8), 1_usize..25);
    grade::run(EXERCISE, move || {
        property::check(case, 128, |(queries, k)| {
            let borrowed: Vec<(&[u64], &Relevance)> =
                queries.iter().map(|(r, j)| (r.as_slice(), j)).collect();
            check_summary(evaluate(&borrowed, k), &queries, k).map_err(TestCaseError::fail)
        });
    });
}

#[test]
fn property_errors_come_in_the_contract_order() {
    let case = (proptest::collection::vec(0_u64..6, 0..8), 0_usize..4);
    grade::run(EXERCISE, move || {
        property::check(case, 256, |(ranking, k)| {
            let relevance = statement_relevance();
            for metric in Metric::ALL {
                let expected = oracle::expected_error(&ranking, metric.takes_k().then_some(k));
                let actual = metric.subject(&ranking, &relevance, k);
                match expected {
                    Some(error) if actual != Err(error) => {
                        return Err(TestCaseError::fail(format!(
                            "{} of {ranking:?}: expected Err({error:?}), got {actual:?}",
                            metric.name(k)
                        )));
                    }
                    None if actual.is_err() => {
                        return Err(TestCaseError::fail(format!(
                            "{} of {ranking:?}: expected Ok, got {actual:?}",
                            metric.name(k)
                        )));
                    }
                    _ => {}
                }
            }
            Ok(())
        });
    });
}

// ---------------------------------------------------------------- robust

#[test]
fn robust_huge_ids_are_ordinary_ids() {
    let relevance = HashMap::from([(u64::MAX, 2), (1 << 63, 1), (0, 1), (u64::MAX - 1, 0)]);
    let ranking = [u64::MAX - 1, u64::MAX, 17, 1 << 63];
    for metric in Metric::ALL {
        assert_metric(metric, &ranking, &relevance, 3, metric.oracle(&ranking, &relevance, 3));
    }
    let answer = subject(Metric::Precision, &[u64::MAX, 0, u64::MAX], &relevance, 1);
    expect_eq!(answer, Err(MetricError::DuplicateDocument { doc: u64::MAX }));
}

#[test]
fn robust_grade_zero_judgements_are_not_relevant() {
    let relevance = HashMap::from([(1, 0), (2, 0), (3, 1), (4, 0)]);
    let ranking = [1, 2, 4, 3];
    for metric in Metric::ALL {
        assert_metric(metric, &ranking, &relevance, 4, metric.oracle(&ranking, &relevance, 4));
    }
    assert_metric(Metric::ReciprocalRank, &ranking, &relevance, 4, 0.25);
}

#[test]
fn robust_relevant_documents_never_retrieved_still_count() {
    let relevance = HashMap::from([(1, 1), (50, 3), (51, 3), (52, 2)]);
    let ranking = [1, 2, 3];
    assert_metric(Metric::AveragePrecision, &ranking, &relevance, 3, 0.25);
    assert_metric(Metric::Recall, &ranking, &relevance, 3, 0.25);
    let ideal = 3.0 + 3.0 / 3f64.log2() + 1.0;
    assert_metric(Metric::Ndcg, &ranking, &relevance, 3, 1.0 / ideal);
}

#[test]
fn robust_extreme_k_and_grades() {
    let relevance = HashMap::from([(1, u32::MAX), (2, 1), (3, u32::MAX)]);
    let ranking = [2, 1];
    for k in [1, 2, 1000, usize::MAX] {
        for metric in Metric::ALL {
            assert_metric(metric, &ranking, &relevance, k, metric.oracle(&ranking, &relevance, k));
        }
    }
}

#[test]
fn robust_long_rankings_match_the_definition() {
    let mut rng = rng_for("robust_long_rankings");
    for (ranked, judged, k) in [(300, 40, 10), (1000, 500, 100), (50, 2000, 1000)] {
        let (ranking, relevance) = rankings::query(&mut rng, 3000, ranked, judged);
        for metric in Metric::ALL {
            assert_metric(metric, &ranking, &relevance, k, metric.oracle(&ranking, &relevance, k));
        }
    }
}

// ---------------------------------------------------------------- scale

#[test]
fn scale_evaluate_over_ten_thousand_queries() {
    let mut rng = rng_for("scale_evaluate_ten_thousand");
    let queries: Vec<(Vec<u64>, Relevance)> =
        (0..10_000).map(|_| rankings::query(&mut rng, 400, 100, 50)).collect();
    let answer = subject_evaluate(queries.clone(), 10, grade::SCALE_LIMIT);
    if let Err(message) = check_summary(answer, &queries, 10) {
        panic!("{message}");
    }
}

#[test]
fn scale_a_ranking_of_a_million_documents() {
    let mut rng = rng_for("scale_a_million_documents");
    let (ranking, relevance) = rankings::query(&mut rng, 1_000_000, 1_000_000, 100_000);
    let k = 500_000;
    let (ranking2, relevance2) = (ranking.clone(), relevance.clone());
    let answers = grade::run_within(EXERCISE, grade::SCALE_LIMIT, move || {
        Metric::ALL.map(|metric| metric.subject(&ranking2, &relevance2, k))
    });
    for (metric, answer) in Metric::ALL.into_iter().zip(answers) {
        // The oracle's average precision recounts every prefix: too slow here.
        let expected = match metric {
            Metric::AveragePrecision => {
                assert!(
                    matches!(answer, Ok(value) if (0.0..=1.0).contains(&value)),
                    "AP must be in [0, 1], got {answer:?}"
                );
                continue;
            }
            _ => metric.oracle(&ranking, &relevance, k),
        };
        if let Err(message) = check_metric(metric, &ranking, &relevance, k, answer, expected) {
            panic!("{message}");
        }
    }
}

#[test]
fn scale_a_duplicate_at_the_end_of_a_million_documents() {
    let mut ranking: Vec<u64> = (0..1_000_000).map(|i| i * 7919).collect();
    ranking.push(500_000 * 7919);
    let answer = grade::run_within(EXERCISE, grade::SCALE_LIMIT, move || {
        reciprocal_rank(&ranking, &HashMap::from([(7919, 1)]))
    });
    expect_eq!(
        answer,
        Err(MetricError::DuplicateDocument { doc: 500_000 * 7919 }),
        "a ranking of 1,000,001 ids whose last repeats one: find it with a hash set, not by rescanning"
    );
}
