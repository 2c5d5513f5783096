//! Hidden tests for the `top_k` exercise (`exercises/src/top_k.rs`).
//!
//! Every answer is checked against exact f64 scores with
//! [`check_top_k`]: the right count, scores within 1e-5, best first with
//! bit-identical scores lower index first, and no better item left out.
//! `top_k`, `FlatIndex::search` and `FlatIndex::search_batch` are held to
//! the same rules on the same inputs.

use kata::expect_eq;
use kata::generate::vectors::{self, EXTREME_SCALES, NON_FINITE};
use kata::grade;
use kata::ndarray::{Array1, Array2, Axis, array, s};
use kata::oracle;
use kata::property;
use kata::seed::rng_for;
use kata::subject::top_k::{FlatIndex, Hit, VectorError, top_k};
use kata::tolerance::{check_top_k, is_close};
use proptest::prelude::*;
use rand::RngExt;

const EXERCISE: &str = "top_k";

/// The contract's accuracy for every reported score.
const TOLERANCE: f64 = 1e-5;

/// The one-shot answer, under the time limit.
fn one_shot(query: Array1<f32>, items: Array2<f32>, k: usize) -> Result<Vec<Hit>, VectorError> {
    grade::run(EXERCISE, move || top_k(query.view(), items.view(), k))
}

/// What each of the three ways of searching answers for every query.
#[derive(Debug)]
struct Answers {
    one_shot: Vec<Result<Vec<Hit>, VectorError>>,
    search: Result<Vec<Result<Vec<Hit>, VectorError>>, VectorError>,
    batch: Result<Result<Vec<Vec<Hit>>, VectorError>, VectorError>,
}

/// Runs `top_k`, `FlatIndex::search` and `FlatIndex::search_batch` on the
/// same queries (rows of `queries`) and items, inside one graded call.
fn every_way(queries: Array2<f32>, items: Array2<f32>, k: usize) -> Answers {
    grade::run(EXERCISE, move || answer_every_way(&queries, &items, k))
}

fn answer_every_way(queries: &Array2<f32>, items: &Array2<f32>, k: usize) -> Answers {
    let one_shot = queries.rows().into_iter().map(|query| top_k(query, items.view(), k)).collect();
    let index = FlatIndex::new(items.view());
    let search = index
        .as_ref()
        .map(|index| queries.rows().into_iter().map(|query| index.search(query, k)).collect())
        .map_err(|error| *error);
    let batch = index.map(|index| index.search_batch(queries.view(), k));
    Answers { one_shot, search, batch }
}

/// Checks that all three ways return a valid top-k for every query.
fn check_every_way(
    queries: &Array2<f32>,
    items: &Array2<f32>,
    k: usize,
    answers: Answers,
) -> Result<(), String> {
    let expected_len = k.min(items.nrows());
    let search = answers.search.map_err(|error| format!("FlatIndex::new failed: {error:?}"))?;
    let batch = answers
        .batch
        .map_err(|error| format!("FlatIndex::new failed: {error:?}"))?
        .map_err(|error| format!("search_batch failed: {error:?}"))?;
    if batch.len() != queries.nrows() {
        return Err(format!("search_batch returned {} lists for {} queries", batch.len(), queries.nrows()));
    }
    for (q, query) in queries.rows().into_iter().enumerate() {
        let exact = oracle::vectors::scores(query, items.view());
        for (way, hits) in [("top_k", &answers.one_shot[q]), ("search", &search[q])] {
            let hits = hits.as_ref().map_err(|error| format!("{way}, query {q}: unexpected {error:?}"))?;
            check_top_k(hits, &exact, expected_len, TOLERANCE)
                .map_err(|e| format!("{way}, query {q}: {e}"))?;
        }
        check_top_k(&batch[q], &exact, expected_len, TOLERANCE)
            .map_err(|e| format!("search_batch, query {q}: {e}"))?;
    }
    Ok(())
}

fn assert_every_way(queries: Array2<f32>, items: Array2<f32>, k: usize) {
    let answers = every_way(queries.clone(), items.clone(), k);
    if let Err(message) = check_every_way(&queries, &items, k, answers) {
        panic!("{message}\n  ({} items x {} columns, k = {k})", items.nrows(), items.ncols());
    }
}

/// The three ways must all report `expected` for one query.
fn assert_error_every_way(query: Array1<f32>, items: Array2<f32>, k: usize, expected: VectorError) {
    let queries = query.clone().insert_axis(Axis(0));
    let answers = every_way(queries, items, k);
    expect_eq!(answers.one_shot[0], Err(expected), "top_k");
    let search = answers.search.expect("FlatIndex::new accepts these items");
    expect_eq!(search[0], Err(expected), "FlatIndex::search");
    expect_eq!(answers.batch.expect("FlatIndex::new accepts these items"), Err(expected), "search_batch");
}

fn indices(hits: &[Hit]) -> Vec<usize> {
    hits.iter().map(|hit| hit.index).collect()
}

/// Fails unless `hits` name exactly `expected`, in order, saying which side is which.
fn assert_indices(context: &str, hits: &[Hit], expected: &[usize]) {
    let actual = indices(hits);
    assert!(
        actual == expected,
        "{context}: expected the items {expected:?} (best first; equal scores lower index first), \
         got {actual:?}: {hits:?}"
    );
}

fn four_items() -> Array2<f32> {
    array![[1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [-1.0, 0.0]]
}

// ---------------------------------------------------------------- examples

#[test]
fn examples_best_two_of_four() {
    let hits = one_shot(array![1.0, 0.0], four_items(), 2).expect("valid input");
    assert_indices("top_k(query [1, 0], k = 2)", &hits, &[0, 2]);
    let close = |hit: &Hit, expected: f64| is_close(f64::from(hit.score), expected, TOLERANCE, 0.0);
    assert!(
        close(&hits[0], 1.0) && close(&hits[1], std::f64::consts::FRAC_1_SQRT_2),
        "expected scores 1.0 and 0.7071068, got {hits:?}"
    );
}

#[test]
fn examples_ties_at_zero_go_lower_index_first() {
    let hits = one_shot(array![0.0, 1.0], four_items(), 10).expect("valid input");
    assert_indices("top_k(query [0, 1], k = 10)", &hits, &[1, 2, 0, 3]);
}

#[test]
fn examples_every_way_agrees_on_the_statement() {
    assert_every_way(array![[1.0, 0.0], [0.0, 1.0], [-1.0, -1.0]], four_items(), 2);
}

#[test]
fn examples_k_zero_returns_no_hits() {
    expect_eq!(one_shot(array![1.0, 0.0], four_items(), 0), Ok(vec![]));
}

// ---------------------------------------------------------------- edge

#[test]
fn edge_dimension_mismatch_expects_the_item_columns() {
    let expected = VectorError::DimensionMismatch { expected: 2, found: 3 };
    expect_eq!(one_shot(array![1.0, 0.0, 0.0], four_items(), 1), Err(expected));
    let answers = every_way(Array2::ones((1, 3)), four_items(), 1);
    expect_eq!(answers.search.expect("valid items")[0], Err(expected), "FlatIndex::search");
    expect_eq!(answers.batch.expect("valid items"), Err(expected), "search_batch");
}

#[test]
fn edge_zero_columns_is_empty_but_a_mismatch_comes_first() {
    expect_eq!(one_shot(Array1::zeros(0), Array2::zeros((3, 0)), 1), Err(VectorError::Empty));
    expect_eq!(
        one_shot(Array1::zeros(0), Array2::zeros((3, 2)), 1),
        Err(VectorError::DimensionMismatch { expected: 2, found: 0 })
    );
    let index = grade::run(EXERCISE, || FlatIndex::new(Array2::<f32>::zeros((3, 0)).view()).map(|_| ()));
    expect_eq!(index, Err(VectorError::Empty), "FlatIndex::new with zero columns");
}

#[test]
fn edge_nan_or_infinity_anywhere_is_non_finite() {
    for bad in NON_FINITE {
        assert_error_every_way(array![bad, 1.0], four_items(), 2, VectorError::NonFinite);
        let mut items = four_items();
        items[[3, 1]] = bad;
        expect_eq!(
            one_shot(array![1.0, 0.0], items.clone(), 2),
            Err(VectorError::NonFinite),
            "{bad} in items"
        );
        let built = grade::run(EXERCISE, move || FlatIndex::new(items.view()).map(|index| index.len()));
        expect_eq!(built, Err(VectorError::NonFinite), "FlatIndex::new with {bad}");
    }
}

#[test]
fn edge_a_non_finite_item_outranks_a_zero_query() {
    let mut items = four_items();
    items[[2, 0]] = f32::NAN;
    expect_eq!(one_shot(array![0.0, 0.0], items, 1), Err(VectorError::NonFinite));
}

#[test]
fn edge_a_zero_query_is_zero_norm() {
    assert_error_every_way(array![0.0, -0.0], four_items(), 2, VectorError::ZeroNorm);
}

#[test]
fn edge_errors_come_before_empty_answers() {
    expect_eq!(one_shot(array![0.0, 0.0], Array2::zeros((0, 2)), 3), Err(VectorError::ZeroNorm));
    expect_eq!(one_shot(array![f32::NAN, 0.0], Array2::zeros((0, 2)), 3), Err(VectorError::NonFinite));
    let mut items = four_items();
    items[[0, 0]] = f32::INFINITY;
    expect_eq!(one_shot(array![1.0, 0.0], items, 0), Err(VectorError::NonFinite));
    assert_error_every_way(array![0.0, 0.0], four_items(), 0, VectorError::ZeroNorm);
}

#[test]
fn edge_no_items_give_no_hits() {
    let answers = every_way(array![[1.0, 2.0]], Array2::zeros((0, 2)), 5);
    expect_eq!(answers.one_shot[0], Ok(vec![]));
    expect_eq!(answers.search.expect("an empty index is valid")[0], Ok(vec![]));
    expect_eq!(answers.batch.expect("an empty index is valid"), Ok(vec![vec![]]));
}

#[test]
fn edge_k_larger_than_n_returns_every_item_best_first() {
    assert_every_way(array![[0.3, -0.2], [-1.0, 0.5]], four_items(), 1000);
}

#[test]
fn edge_zero_rows_score_zero() {
    let items = array![[0.0, 0.0], [-1.0, -1.0], [0.0, -0.0], [2.0, 1.0]];
    let hits = one_shot(array![1.0, 1.0], items.clone(), 4).expect("zero rows are valid");
    assert_indices("top_k", &hits, &[3, 0, 2, 1]);
    expect_eq!(hits[1].score, 0.0, "a zero row scores 0.0");
    assert_every_way(array![[1.0, 1.0], [-1.0, 0.5]], items, 4);
}

#[test]
fn edge_identical_rows_tie_lower_index_first() {
    let items = Array2::from_elem((50, 7), 0.25_f32);
    for k in [1, 10, 50] {
        let answers = every_way(Array2::from_elem((1, 7), 1.0), items.clone(), k);
        let expected: Vec<usize> = (0..k).collect();
        assert_indices(&format!("top_k, k = {k}"), answers.one_shot[0].as_ref().expect("valid"), &expected);
        assert_indices(
            "FlatIndex::search",
            answers.search.expect("valid")[0].as_ref().expect("valid"),
            &expected,
        );
        assert_indices("search_batch", &answers.batch.expect("valid").expect("valid")[0], &expected);
    }
}

#[test]
fn edge_index_reports_its_shape() {
    let shape = grade::run(EXERCISE, || {
        let index = FlatIndex::new(Array2::<f32>::ones((5, 3)).view()).expect("valid items");
        let copy = index.clone();
        (index.len(), index.dim(), copy.len(), format!("{copy:?}").is_empty())
    });
    expect_eq!(shape, (5, 3, 5, false));
}

#[test]
fn edge_one_bad_query_fails_the_whole_batch() {
    // With two bad rows, either row's error is a fair answer: the contract
    // does not say whether rows are checked one by one or error by error.
    let cases = [
        (array![[1.0, 0.0], [0.0, 0.0]], vec![VectorError::ZeroNorm]),
        (array![[1.0, 0.0], [f32::NAN, 1.0]], vec![VectorError::NonFinite]),
        (
            array![[0.0, 0.0], [1.0, 1.0], [f32::INFINITY, 1.0]],
            vec![VectorError::ZeroNorm, VectorError::NonFinite],
        ),
    ];
    for (queries, allowed) in cases {
        let batch = every_way(queries.clone(), four_items(), 2).batch.expect("valid items");
        match batch {
            Err(error) if allowed.contains(&error) => {}
            other => panic!("search_batch({queries:?}): expected one of {allowed:?}, got {other:?}"),
        }
    }
}

#[test]
fn edge_an_empty_batch_has_no_answers() {
    let answers = every_way(Array2::zeros((0, 2)), four_items(), 3);
    expect_eq!(answers.batch.expect("valid items"), Ok(vec![]));
}

#[test]
fn edge_strided_views_are_accepted() {
    let wide = Array2::from_shape_fn((6, 8), |(i, j)| ((i * 7 + j * 3) % 5) as f32 - 2.0);
    let expected = {
        let items = wide.slice(s![.., ..;2]).to_owned();
        oracle::vectors::scores(wide.row(0).slice(s![..;2]), items.view())
    };
    let hits = grade::run(EXERCISE, move || {
        let items = wide.slice(s![.., ..;2]);
        let query = wide.row(0);
        let query = query.slice(s![..;2]);
        let one_shot = top_k(query, items, 3);
        let index = FlatIndex::new(items.view()).and_then(|index| index.search(query, 3));
        (one_shot, index)
    });
    for (way, hits) in [("top_k", hits.0), ("search", hits.1)] {
        let hits = hits.unwrap_or_else(|error| panic!("{way}: strided views are valid input, got {error:?}"));
        if let Err(message) = check_top_k(&hits, &expected, 3, TOLERANCE) {
            panic!("{way} on strided views: {message}");
        }
    }
}

// ---------------------------------------------------------------- property

#[test]
fn property_every_way_returns_a_valid_top_k() {
    let case = (vectors::query_and_items(40, 12), 0_usize..50, 1_usize..4);
    grade::run(EXERCISE, move || {
        property::check(case, 200, |((query, items), k, copies)| {
            let query = Array1::from(query);
            let queries = Array2::from_shape_fn((copies, query.len()), |(i, j)| query[j] * (i as f32 + 1.0));
            let answers = answer_every_way(&queries, &items, k);
            check_every_way(&queries, &items, k, answers).map_err(TestCaseError::fail)
        });
    });
}

// ---------------------------------------------------------------- robust

#[test]
fn robust_extreme_magnitudes_neither_overflow_nor_underflow() {
    let mut rng = rng_for("robust_extreme_magnitudes");
    let (rows, cols) = (40, 48);
    let mut items = vectors::uniform_matrix(&mut rng, rows, cols);
    for (i, mut row) in items.rows_mut().into_iter().enumerate() {
        let scale = EXTREME_SCALES[i % EXTREME_SCALES.len()];
        row.mapv_inplace(|x| x * scale);
    }
    let queries = vectors::uniform_matrix(&mut rng, 3, cols);
    let huge_queries = &queries * 1e30;
    let tiny_queries = &queries * 1e-30;
    for queries in [queries, huge_queries, tiny_queries] {
        let answers = every_way(queries.clone(), items.clone(), 10);
        if let Err(message) = check_every_way(&queries, &items, 10, answers) {
            panic!(
                "{message}\n  (rows scaled from 1e-30 to 1e30: their squares overflow or underflow f32, \
                 so scale by the largest magnitude first or accumulate in f64)"
            );
        }
    }
}

#[test]
fn robust_near_duplicates_are_ranked_by_closeness() {
    let mut rng = rng_for("robust_near_duplicates");
    let query = vectors::uniform_vector(&mut rng, 384);
    let noises = [0.3, 0.1, 0.03, 0.01, 0.003];
    let mut items = Array2::zeros((noises.len() * 4, 384));
    for (i, mut row) in items.rows_mut().into_iter().enumerate() {
        row.assign(&vectors::near_duplicate(&mut rng, &query, noises[i % noises.len()]));
    }
    assert_every_way(query.insert_axis(Axis(0)), items, 8);
}

#[test]
fn robust_unnormalised_items_are_ranked_by_angle_not_length() {
    let mut rng = rng_for("robust_unnormalised");
    let items = vectors::unnormalised_matrix(&mut rng, 500, 32);
    let queries = vectors::uniform_matrix(&mut rng, 4, 32);
    assert_every_way(queries, items, 20);
}

#[test]
fn robust_very_long_embeddings() {
    let mut rng = rng_for("robust_very_long_embeddings");
    let items = vectors::unnormalised_matrix(&mut rng, 30, 10_000);
    let queries = vectors::uniform_matrix(&mut rng, 2, 10_000);
    assert_every_way(queries, items, 5);
}

#[test]
fn robust_scores_never_pass_one() {
    let mut rng = rng_for("robust_scores_never_pass_one");
    let items = vectors::uniform_matrix(&mut rng, 200, 100);
    let queries = items.slice(s![..20, ..]).mapv(|x| x * 3.0);
    let answers = every_way(queries, items, 1);
    let search = answers.search.expect("valid items");
    let batch = answers.batch.expect("valid items").expect("valid queries");
    let all = answers.one_shot.iter().chain(search.iter()).map(|hits| hits.as_ref().expect("valid"));
    for hit in all.chain(batch.iter()).flatten() {
        assert!(
            hit.score <= 1.0,
            "a score of {} passes 1: {}",
            hit.score,
            if hit.score > 1.001 {
                "far past rounding, so the dot product was not divided by both norms (query and item)"
            } else {
                "rounding can pass 1, so clamp it"
            }
        );
    }
}

// ---------------------------------------------------------------- scale

#[test]
fn scale_200k_items_with_a_large_k_needs_selection_or_a_sort() {
    // An O(n log n) sort or an O(n log k) heap takes milliseconds here; picking
    // the best remaining item k times (O(n * k)) takes minutes.
    let mut rng = rng_for("scale_200k");
    let items = vectors::uniform_matrix(&mut rng, 200_000, 64);
    let query = vectors::uniform_vector(&mut rng, 64);
    let k = rng.random_range(90_000..110_000);
    let exact = oracle::vectors::scores(query.view(), items.view());
    let hits = grade::run_within(EXERCISE, grade::SCALE_LIMIT, move || {
        let one_shot = top_k(query.view(), items.view(), k);
        let index = FlatIndex::new(items.view()).and_then(|index| index.search(query.view(), k));
        (one_shot, index)
    });
    for (way, hits) in [("top_k", hits.0), ("search", hits.1)] {
        let hits = hits.unwrap_or_else(|error| panic!("{way}: unexpected {error:?}"));
        if let Err(message) = check_top_k(&hits, &exact, k, TOLERANCE) {
            panic!("{way}: {message}");
        }
    }
}

#[test]
fn scale_a_batch_of_16_queries_over_20k_items() {
    let mut rng = rng_for("scale_batch");
    let items = vectors::uniform_matrix(&mut rng, 20_000, 64);
    let queries = vectors::uniform_matrix(&mut rng, 16, 64);
    let (items_copy, queries_copy) = (items.clone(), queries.clone());
    let batch = grade::run_within(EXERCISE, grade::SCALE_LIMIT, move || {
        FlatIndex::new(items_copy.view()).and_then(|index| index.search_batch(queries_copy.view(), 10))
    })
    .expect("valid input");
    expect_eq!(batch.len(), 16, "one list per query");
    for (q, hits) in batch.iter().enumerate() {
        let exact = oracle::vectors::scores(queries.row(q), items.view());
        if let Err(message) = check_top_k(hits, &exact, 10, TOLERANCE) {
            panic!("search_batch, query {q}: {message}");
        }
    }
}
