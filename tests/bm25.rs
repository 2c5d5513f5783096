//! Hidden tests for the `bm25` exercise (`exercises/src/bm25.rs`).
//!
//! Tiers, by name prefix: `examples_` (the statement's worked example, with
//! hand-computed scores), `edge_` (parameter validation, empty corpus,
//! empty documents and queries, k = 0, k > N, k1 = 0), `property_` (random
//! small corpora against the f64 oracle), `robust_` (Unicode, punctuation,
//! ties, huge term frequencies, terms in every document), `scale_` (Zipf
//! corpora of tens of thousands of documents, every score checked).

use kata::expect_eq;
use kata::generate::corpus::{self, bm25_params, small_corpus, small_text};
use kata::grade;
use kata::oracle::bm25::Bm25Oracle;
use kata::property;
use kata::seed::rng_for;
use kata::subject::bm25::{Bm25Error, Bm25Index, Bm25Params, Hit};
use kata::tolerance::{check_close, check_top_k};
use proptest::prelude::*;

const EXERCISE: &str = "bm25";

/// The contract's accuracy: 1e-4 relative, or 1e-5 absolute.
const RELATIVE: f64 = 1e-4;
const ABSOLUTE: f64 = 1e-5;

/// The worked example of the statement.
const EXAMPLE: [&str; 3] = ["the cat sat", "the dog sat on the log", "cats and dogs"];

fn params(k1: f32, b: f32) -> Bm25Params {
    Bm25Params { k1, b }
}

fn owned(docs: &[&str]) -> Vec<String> {
    docs.iter().map(|doc| (*doc).to_owned()).collect()
}

/// `Bm25Index::new` under the time limit.
fn build(docs: &[&str], params: Bm25Params) -> Result<Bm25Index, Bm25Error> {
    let docs = owned(docs);
    grade::run(EXERCISE, move || Bm25Index::new(&docs, params))
}

/// Builds an index over `docs` (which must be valid) and returns the scores of `query`.
fn scores_of(docs: &[&str], params: Bm25Params, query: &str) -> Vec<f32> {
    let (docs, query) = (owned(docs), query.to_owned());
    grade::run(EXERCISE, move || {
        Bm25Index::new(&docs, params).map(|index| index.scores(&query)).expect("valid parameters")
    })
}

/// Builds an index over `docs` (which must be valid) and returns its top `k` for `query`.
fn search_of(docs: &[&str], params: Bm25Params, query: &str, k: usize) -> Vec<Hit> {
    let (docs, query) = (owned(docs), query.to_owned());
    grade::run(EXERCISE, move || {
        Bm25Index::new(&docs, params).map(|index| index.search(&query, k)).expect("valid parameters")
    })
}

/// Every score within the contract's tolerance of the exact one.
fn check_scores(actual: &[f32], exact: &[f64]) -> Result<(), String> {
    if actual.len() != exact.len() {
        return Err(format!("expected one score per document ({}), got {}", exact.len(), actual.len()));
    }
    for (document, (&actual, &exact)) in actual.iter().zip(exact).enumerate() {
        check_close(&format!("score of document {document}"), f64::from(actual), exact, ABSOLUTE, RELATIVE)?;
    }
    Ok(())
}

/// A valid answer to `search(query, k)` for documents whose exact scores
/// are `exact`: only documents with a positive score, `min(k, matches)` of
/// them, the right ones, best first, ties lower index first, each score
/// within the tolerance.
fn check_search(hits: &[Hit], exact: &[f64], k: usize) -> Result<(), String> {
    for hit in hits {
        if exact.get(hit.index).is_some_and(|&score| score <= 0.0) {
            return Err(format!(
                "document {} scores 0 (it has no query term) but was returned: search returns only \
                 documents with a score > 0; got {hits:?}",
                hit.index
            ));
        }
    }
    let matches = exact.iter().filter(|&&score| score > 0.0).count();
    // One absolute tolerance for the selection: the relative one at the best score.
    let tolerance = exact.iter().fold(ABSOLUTE, |tolerance, &score| tolerance.max(RELATIVE * score));
    check_top_k(hits, exact, k.min(matches), tolerance)?;
    for hit in hits {
        let what = format!("score of hit {}", hit.index);
        check_close(&what, f64::from(hit.score), exact[hit.index], ABSOLUTE, RELATIVE)?;
    }
    Ok(())
}

/// Fails the test unless `scores` and `search(k)` for each query match the
/// oracle on this corpus.
fn assert_matches_oracle(docs: &[&str], params: Bm25Params, queries: &[&str], k: usize) {
    let oracle = Bm25Oracle::new(docs, params);
    for query in queries {
        let exact = oracle.scores(query);
        let scores = scores_of(docs, params, query);
        let hits = search_of(docs, params, query, k);
        let outcome = check_scores(&scores, &exact).and_then(|()| check_search(&hits, &exact, k));
        if let Err(message) = outcome {
            panic!("{message}\n  docs = {docs:?}\n  {params:?}, query = {query:?}, k = {k}\n{USUAL_SLIPS}");
        }
    }
}

/// Fails the test unless `actual` matches hand-computed `expected` scores.
fn assert_scores(actual: &[f32], expected: &[f64]) {
    if let Err(message) = check_scores(actual, expected) {
        panic!("{message}\n  got {actual:?}, expected {expected:?}\n{USUAL_SLIPS}");
    }
}

/// Where hand-checked scores usually go wrong, term by term of the formula.
const USUAL_SLIPS: &str = "  check each term of the statement's formula: avgdl is the mean token count over ALL \
documents (empty ones too); idf = ln(1 + (N - df + 0.5) / (df + 0.5)), never negative; the numerator has the \
(k1 + 1) factor; tokens come from the given tokenize (lowercase, alphanumeric runs); a query term repeated \
n times counts n times";

fn indices(hits: &[Hit]) -> Vec<usize> {
    hits.iter().map(|hit| hit.index).collect()
}

// ---------------------------------------------------------------- examples

#[test]
fn examples_one_rare_term_scores_only_its_document() {
    let actual = scores_of(&EXAMPLE, Bm25Params::default(), "cat");
    assert_scores(&actual, &[1.092_569, 0.0, 0.0]);
}

#[test]
fn examples_two_common_terms_score_by_frequency_and_length() {
    let actual = scores_of(&EXAMPLE, Bm25Params::default(), "the sat");
    assert_scores(&actual, &[1.047_097, 0.956_771, 0.0]);
}

#[test]
fn examples_a_repeated_query_term_counts_each_time() {
    let actual = scores_of(&EXAMPLE, Bm25Params::default(), "cat cat");
    assert_scores(&actual, &[2.185_139, 0.0, 0.0]);
    let mixed = scores_of(&EXAMPLE, Bm25Params::default(), "sat the sat");
    assert_scores(&mixed, &[1.570_645, 1.346_963, 0.0]);
}

#[test]
fn examples_queries_are_tokenized_like_documents() {
    assert_scores(&scores_of(&EXAMPLE, Bm25Params::default(), "CAT?"), &[1.092_569, 0.0, 0.0]);
    assert_scores(&scores_of(&EXAMPLE, Bm25Params::default(), "cats"), &[0.0, 0.0, 1.092_569]);
}

#[test]
fn examples_search_returns_matching_documents_best_first() {
    let hits = search_of(&EXAMPLE, Bm25Params::default(), "the sat", 10);
    expect_eq!(indices(&hits), [0, 1], "document 2 scores 0 and is not a hit: {hits:?}");
    assert_scores(&hits.iter().map(|hit| hit.score).collect::<Vec<_>>(), &[1.047_097, 0.956_771]);
    expect_eq!(indices(&search_of(&EXAMPLE, Bm25Params::default(), "the sat", 1)), [0]);
    expect_eq!(search_of(&EXAMPLE, Bm25Params::default(), "zebra", 5), []);
}

#[test]
fn examples_equal_scores_go_lower_index_first() {
    let hits = search_of(&["a b", "b a", "c"], Bm25Params::default(), "a", 10);
    expect_eq!(indices(&hits), [0, 1], "{hits:?}");
    expect_eq!(hits[0].score.to_bits(), hits[1].score.to_bits(), "documents 0 and 1 are alike: {hits:?}");
}

#[test]
fn examples_len_counts_documents() {
    let docs = owned(&EXAMPLE);
    let sizes = grade::run(EXERCISE, move || {
        let index = Bm25Index::new(&docs, Bm25Params::default()).expect("valid parameters");
        let empty = Bm25Index::new(&[] as &[&str], Bm25Params::default()).expect("an empty corpus is valid");
        (index.len(), index.is_empty(), empty.len(), empty.is_empty())
    });
    expect_eq!(sizes, (3, false, 0, true), "(len, is_empty) of the example, then of an empty corpus");
}

// ---------------------------------------------------------------- edge

#[test]
fn edge_negative_k1_is_invalid() {
    for k1 in [-1e-30, -0.5, -1.2, f32::MIN] {
        expect_eq!(build(&EXAMPLE, params(k1, 0.75)).err(), Some(Bm25Error::InvalidParams), "k1 = {k1}");
    }
}

#[test]
fn edge_non_finite_k1_is_invalid() {
    for k1 in [f32::NAN, f32::INFINITY, f32::NEG_INFINITY] {
        expect_eq!(build(&EXAMPLE, params(k1, 0.75)).err(), Some(Bm25Error::InvalidParams), "k1 = {k1}");
    }
}

#[test]
fn edge_b_outside_zero_one_or_nan_is_invalid() {
    for b in [-1e-30, -0.1, 1.000_001, 2.0, f32::NAN, f32::INFINITY, f32::NEG_INFINITY] {
        let why = if b.is_nan() {
            ": NaN fails every comparison, so `b < 0.0 || b > 1.0` lets it through"
        } else {
            ""
        };
        expect_eq!(build(&EXAMPLE, params(1.2, b)).err(), Some(Bm25Error::InvalidParams), "b = {b}{why}");
    }
}

#[test]
fn edge_boundary_parameters_are_valid() {
    for (k1, b) in [(-0.0, 0.75), (0.0, 0.0), (1.2, 0.0), (1.2, -0.0), (1.2, 1.0), (0.0, 1.0), (1e6, 0.5)] {
        assert!(build(&EXAMPLE, params(k1, b)).is_ok(), "k1 = {k1}, b = {b} are valid");
        assert_matches_oracle(&EXAMPLE, params(k1, b), &["the sat", "cat log log"], 3);
    }
}

#[test]
fn edge_parameters_are_checked_before_the_documents() {
    expect_eq!(build(&[], params(-1.0, 0.75)).err(), Some(Bm25Error::InvalidParams));
    expect_eq!(build(&["", ""], params(1.2, f32::NAN)).err(), Some(Bm25Error::InvalidParams));
}

#[test]
fn edge_empty_corpus_has_no_scores_and_no_hits() {
    let (len, scores, hits) = grade::run(EXERCISE, || {
        let index = Bm25Index::new(&[] as &[&str], Bm25Params::default()).expect("an empty corpus is valid");
        (index.len(), index.scores("cat"), index.search("cat", 10))
    });
    expect_eq!((len, scores, hits), (0, vec![], vec![]));
}

#[test]
fn edge_empty_documents_score_zero_and_count_in_the_average_length() {
    let docs = ["", "cat dog", "  ", "cat", "!!! ...", "dog dog dog cat"];
    assert_matches_oracle(&docs, Bm25Params::default(), &["cat", "dog", "cat dog"], 10);
}

#[test]
fn edge_all_documents_empty_score_zero() {
    let docs = ["", " \t\n", "... !!!", ""];
    for query in ["cat", "", "..."] {
        expect_eq!(scores_of(&docs, Bm25Params::default(), query), [0.0; 4], "query {query:?}");
        expect_eq!(search_of(&docs, Bm25Params::default(), query, 10), [], "query {query:?}");
    }
}

#[test]
fn edge_empty_query_scores_zero_everywhere() {
    for query in ["", "   ", "?! ,;"] {
        expect_eq!(scores_of(&EXAMPLE, Bm25Params::default(), query), [0.0; 3], "query {query:?}");
        expect_eq!(search_of(&EXAMPLE, Bm25Params::default(), query, 10), [], "query {query:?}");
    }
}

#[test]
fn edge_unknown_terms_score_zero() {
    expect_eq!(scores_of(&EXAMPLE, Bm25Params::default(), "zebra unicorn"), [0.0; 3]);
    expect_eq!(search_of(&EXAMPLE, Bm25Params::default(), "zebra unicorn", 3), []);
    let known_and_unknown = scores_of(&EXAMPLE, Bm25Params::default(), "zebra cat");
    assert_scores(&known_and_unknown, &[1.092_569, 0.0, 0.0]);
}

#[test]
fn edge_k_zero_returns_no_hits() {
    expect_eq!(search_of(&EXAMPLE, Bm25Params::default(), "the sat", 0), []);
}

#[test]
fn edge_k_larger_than_the_corpus_returns_each_match_once() {
    let docs = ["cat", "dog", "cat cat", "bird", "the cat"];
    for k in [4, 5, 6, 1000, usize::MAX] {
        assert_matches_oracle(&docs, Bm25Params::default(), &["cat", "cat dog bird"], k);
    }
}

#[test]
fn edge_k1_zero_counts_each_present_term_once_without_nan() {
    // With k1 = 0 and b = 1, computing the fraction for an absent term or an
    // empty document is 0 / 0.
    let docs = ["cat cat cat", "cat dog", "", "dog"];
    assert_matches_oracle(&docs, params(0.0, 1.0), &["cat", "cat dog", "bird"], 10);
    let hits = search_of(&docs, params(0.0, 1.0), "cat", 10);
    expect_eq!(indices(&hits), [0, 1], "with k1 = 0 documents 0 and 1 tie: {hits:?}");
}

#[test]
fn edge_b_zero_ignores_length_and_b_one_normalises_fully() {
    let docs = ["cat", "cat dog dog dog dog dog", "dog"];
    assert_matches_oracle(&docs, params(1.2, 0.0), &["cat", "dog"], 10);
    assert_matches_oracle(&docs, params(1.2, 1.0), &["cat", "dog"], 10);
    let hits = search_of(&docs, params(1.2, 0.0), "cat", 10);
    expect_eq!(hits[0].score, hits[1].score, "with b = 0 length does not matter: {hits:?}");
}

// ---------------------------------------------------------------- property

#[test]
fn property_scores_and_search_match_the_f64_oracle() {
    let case = (small_corpus(12, 10), small_text(6), bm25_params(), 0_usize..15);
    grade::run(EXERCISE, move || {
        property::check(case, 300, |(docs, query, params, k)| {
            let index = Bm25Index::new(&docs, params)
                .map_err(|error| TestCaseError::fail(format!("{params:?} are valid, got {error:?}")))?;
            let exact = Bm25Oracle::new(&docs, params).scores(&query);
            check_scores(&index.scores(&query), &exact).map_err(TestCaseError::fail)?;
            check_search(&index.search(&query, k), &exact, k).map_err(TestCaseError::fail)
        });
    });
}

#[test]
fn property_search_agrees_with_scores() {
    let case = (small_corpus(20, 8), small_text(4), bm25_params());
    grade::run(EXERCISE, move || {
        property::check(case, 200, |(docs, query, params)| {
            let index = Bm25Index::new(&docs, params)
                .map_err(|error| TestCaseError::fail(format!("{params:?} are valid, got {error:?}")))?;
            let scores = index.scores(&query);
            let exact: Vec<f64> = scores.iter().map(|&score| f64::from(score)).collect();
            check_search(&index.search(&query, docs.len()), &exact, docs.len())
                .map_err(|message| TestCaseError::fail(format!("search disagrees with scores: {message}")))
        });
    });
}

#[test]
fn property_parameters_are_valid_exactly_as_the_contract_says() {
    let value = || {
        prop_oneof![
            Just(f32::NAN),
            Just(f32::INFINITY),
            Just(f32::NEG_INFINITY),
            Just(-0.0_f32),
            Just(0.0_f32),
            Just(1.0_f32),
            Just(f32::MAX),
            -2.0_f32..2.0,
        ]
    };
    grade::run(EXERCISE, move || {
        property::check((value(), value()), 200, |(k1, b)| {
            let valid = k1.is_finite() && k1 >= 0.0 && (0.0..=1.0).contains(&b);
            let actual = Bm25Index::new(&["the cat"], params(k1, b)).err();
            let expected = (!valid).then_some(Bm25Error::InvalidParams);
            prop_assert_eq!(actual, expected, "k1 = {}, b = {}", k1, b);
            Ok(())
        });
    });
}

// ---------------------------------------------------------------- robust

#[test]
fn robust_unicode_terms_fold_case_like_tokenize() {
    let docs = [
        "École ÉCOLE école",
        "ΣΟΦΊΑ σοφία Σοφία",
        "東京 タワー 東京",
        "naïve CAFÉ café",
        "emoji🙂split 🙂🙂 emoji",
        "Straße STRASSE",
    ];
    let queries = ["école", "ÉCOLE", "σοφία", "東京", "café naïve", "emoji split", "straße", "strasse"];
    assert_matches_oracle(&docs, Bm25Params::default(), &queries, 10);
}

#[test]
fn robust_every_kind_of_separator_splits_terms() {
    let docs = [
        "cat,dog;bird",
        "cat\u{a0}dog\u{3000}bird",
        "cat\u{2028}dog\tbird\nfish",
        "cat's-dog_bird",
        "(cat)[dog]{bird}",
        "catdog bird",
    ];
    assert_matches_oracle(&docs, Bm25Params::default(), &["cat", "dog bird", "s", "catdog"], 10);
}

#[test]
fn robust_identical_documents_tie_lower_index_first() {
    let docs: Vec<&str> =
        (0..60).map(|i| if i % 3 == 1 { "the cat sat on the mat" } else { "a dog" }).collect();
    let hits = search_of(&docs, Bm25Params::default(), "cat mat", 10);
    let expected: Vec<usize> = (0..10).map(|i| 3 * i + 1).collect();
    expect_eq!(indices(&hits), expected, "20 identical documents tie: lower index first");
    // One term, then terms that cover every document: ties cut at k either way.
    for query in ["cat", "cat a"] {
        let hits = search_of(&docs, Bm25Params::default(), query, 10);
        expect_eq!(
            indices(&hits),
            expected,
            "query {query:?}: 20 identical documents tie: lower index first"
        );
    }
    assert_matches_oracle(&docs, Bm25Params::default(), &["cat mat", "dog", "cat dog"], 25);
}

#[test]
fn robust_ties_between_documents_matching_different_terms_go_lower_index_first() {
    // All four matching documents score alike, whichever term they hold.
    let docs = ["x", "y", "y", "x", "z", "z"];
    let hits = search_of(&docs, Bm25Params::default(), "x y", 2);
    expect_eq!(indices(&hits), [0, 1], "{hits:?}");
    expect_eq!(indices(&search_of(&docs, Bm25Params::default(), "y x", 3)), [0, 1, 2]);
}

#[test]
fn robust_a_term_in_every_document_still_scores_positive() {
    // The +1 inside the log keeps idf > 0 even when df = N.
    let docs = ["the cat", "the dog", "the the bird", "the"];
    assert_matches_oracle(&docs, Bm25Params::default(), &["the", "the cat"], 10);
    expect_eq!(search_of(&docs, Bm25Params::default(), "the", 10).len(), 4);
}

#[test]
fn robust_huge_term_frequencies_and_long_documents() {
    let long = "cat ".repeat(100_000);
    let mixed = format!("{} dog", "bird ".repeat(50_000));
    let docs = [long.as_str(), "cat dog", mixed.as_str(), "dog", ""];
    for params in [Bm25Params::default(), params(100.0, 1.0), params(1e4, 0.3)] {
        assert_matches_oracle(&docs, params, &["cat", "dog", "bird cat"], 10);
    }
}

#[test]
fn robust_long_queries_of_repeated_terms() {
    let query = format!("{} {}", "cat ".repeat(1000), "dog log ".repeat(300));
    assert_matches_oracle(&EXAMPLE, Bm25Params::default(), &[query.as_str()], 10);
}

// ---------------------------------------------------------------- scale

/// Builds an index over a Zipf corpus and answers `queries` under the scale
/// limit, then checks every score and every top 10 against the oracle.
fn assert_zipf_corpus_matches_oracle(docs: Vec<String>, queries: Vec<String>) {
    let params = Bm25Params::default();
    let oracle = Bm25Oracle::new(&docs, params);
    let asked = queries.clone();
    let answers = grade::run_within(EXERCISE, grade::SCALE_LIMIT, move || {
        let index = Bm25Index::new(&docs, params).expect("valid parameters");
        asked.iter().map(|query| (index.scores(query), index.search(query, 10))).collect::<Vec<_>>()
    });
    for (query, (scores, hits)) in queries.iter().zip(answers) {
        let exact = oracle.scores(query);
        if let Err(message) = check_scores(&scores, &exact).and_then(|()| check_search(&hits, &exact, 10)) {
            panic!("query {query:?}: {message}");
        }
    }
}

#[test]
fn scale_zipf_corpus_of_twenty_thousand_documents() {
    let mut rng = rng_for("scale_zipf_corpus");
    let docs = corpus::zipf_documents(&mut rng, 20_000, 30_000, 60);
    let queries = corpus::zipf_queries(&mut rng, 4, 30_000, 1, 5);
    assert_zipf_corpus_matches_oracle(docs, queries);
}

#[test]
fn scale_one_long_document_among_many_short_ones() {
    let mut rng = rng_for("scale_one_long_document");
    let mut docs = corpus::zipf_documents(&mut rng, 10_000, 30_000, 10);
    docs.extend(corpus::zipf_documents(&mut rng, 1, 30_000, 400_000));
    docs.swap(0, 10_000);
    let queries = corpus::zipf_queries(&mut rng, 4, 30_000, 1, 5);
    assert_zipf_corpus_matches_oracle(docs, queries);
}
