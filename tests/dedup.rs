//! Hidden tests for the `dedup` exercise (`exercises/src/dedup.rs`).
//!
//! Tiers, by name prefix: `examples_` (the statement's examples), `edge_`
//! (every error and its order, no rows, zero rows, a similarity exactly at
//! the threshold, the extreme thresholds), `property_` (random clusters
//! against the f64 greedy oracle, thresholds kept 1e-4 clear of every pair),
//! `robust_` (1e30, 1e-30 and subnormal rows, unnormalised rows, chains of
//! near-duplicates, strided views, peak memory with a counting allocator),
//! `scale_` (30,000 rows in clusters, in time).

use kata::expect_eq;
use kata::generate::embeddings::{self, clustered_rows, threshold_clear_of};
use kata::generate::vectors::{EXTREME_SCALES, NON_FINITE};
use kata::grade;
use kata::ndarray::{Array2, array, s};
use kata::oracle;
use kata::property;
use kata::seed::rng_for;
use kata::subject::dedup::{DedupError, dedup};
use proptest::prelude::*;
use rand::RngExt;

const EXERCISE: &str = "dedup";

#[global_allocator]
static ALLOCATOR: kata::alloc::CountingAllocator = kata::alloc::CountingAllocator;

/// The subject's answer for owned rows, under the time limit.
fn subject(rows: Array2<f32>, threshold: f32) -> Result<Vec<usize>, DedupError> {
    grade::run(EXERCISE, move || dedup(rows.view(), threshold))
}

/// Fails the test unless the subject keeps exactly `expected`.
fn assert_kept(rows: Array2<f32>, threshold: f32, expected: &[usize]) {
    assert_kept_or_hint(rows, threshold, expected, "");
}

/// [`assert_kept`], with `hint` (the likely cause and its fix) appended to a failure.
fn assert_kept_or_hint(rows: Array2<f32>, threshold: f32, expected: &[usize], hint: &str) {
    let shown = preview(&rows);
    let actual = subject(rows, threshold);
    if actual.as_deref() != Ok(expected) {
        panic!(
            "dedup({shown}, threshold {threshold}): expected Ok({expected:?}) (the kept rows, \
             ascending), got {actual:?}{hint}"
        );
    }
}

/// The likely cause when rows of extreme magnitude go wrong.
const EXTREME_HINT: &str = "\n  hint: a sum of squares in f32 overflows to inf for components of 1e30 (their squares \
     exceed f32::MAX) and underflows to 0 for 1e-30 or subnormal components: take each norm in f64, or scale \
     the row by its largest |component| first";

/// Compares an answer with the oracle's kept rows and explains the first
/// difference: which row, and its exact similarity with the kept rows.
fn check_against_oracle(
    rows: &Array2<f32>,
    threshold: f32,
    answer: Result<Vec<usize>, DedupError>,
) -> Result<(), String> {
    let expected = oracle::dedup::kept(rows.view(), threshold);
    let actual = answer.map_err(|error| format!("expected Ok(..), got Err({error:?})"))?;
    if actual == expected {
        return Ok(());
    }
    let first =
        actual.iter().zip(&expected).position(|(a, e)| a != e).unwrap_or(actual.len().min(expected.len()));
    let row = match (actual.get(first), expected.get(first)) {
        (Some(&a), Some(&e)) => a.min(e),
        (Some(&a), None) => a,
        (None, Some(&e)) => e,
        (None, None) => 0,
    };
    let kept_before: Vec<usize> = expected.iter().copied().filter(|&k| k < row).collect();
    let closest = kept_before
        .iter()
        .map(|&k| (k, oracle::dedup::similarity(rows.row(row), rows.row(k))))
        .max_by(|a, b| a.1.total_cmp(&b.1));
    let why = match closest {
        Some((k, similarity)) if similarity >= f64::from(threshold) => format!(
            "row {row} must be removed: its similarity with kept row {k} is {similarity:.6} >= {threshold}"
        ),
        Some((k, similarity)) => {
            // A removed row close enough to this one explains the classic bug;
            // otherwise the similarities themselves are off.
            let removed_match = (0..row)
                .filter(|r| !expected.contains(r))
                .any(|r| oracle::dedup::similarity(rows.row(row), rows.row(r)) >= f64::from(threshold));
            let cause = if removed_match {
                "only kept rows count, not removed ones"
            } else {
                "no row before it is that similar, so a similarity was computed wrong (f32 squares of \
                 extreme components overflow or underflow; a zero row's similarity is 0)"
            };
            format!(
                "row {row} must be kept: its highest similarity with a kept row (row {k}) is {similarity:.6} \
                 < {threshold}; {cause}"
            )
        }
        None => format!("row {row} must be kept: no row was kept before it"),
    };
    Err(format!(
        "kept {} rows, expected {}: {why}\n  got      {}\n  expected {}",
        actual.len(),
        expected.len(),
        truncated(&actual),
        truncated(&expected)
    ))
}

/// A list of indices, cut after 20.
fn truncated(indices: &[usize]) -> String {
    let shown: Vec<String> = indices.iter().take(20).map(usize::to_string).collect();
    format!("[{}{}]", shown.join(", "), if indices.len() > 20 { ", ..." } else { "" })
}

/// The first rows of a matrix, for failure messages.
fn preview(rows: &Array2<f32>) -> String {
    let shown: Vec<String> = rows
        .rows()
        .into_iter()
        .take(4)
        .map(|row| {
            let values: Vec<String> = row.iter().take(4).map(|x| format!("{x:?}")).collect();
            format!("[{}{}]", values.join(", "), if row.len() > 4 { ", ..." } else { "" })
        })
        .collect();
    format!(
        "[{}{}] ({} x {})",
        shown.join(", "),
        if rows.nrows() > 4 { ", ..." } else { "" },
        rows.nrows(),
        rows.ncols()
    )
}

/// Runs the subject on `rows` and fails the test unless it matches the oracle.
fn assert_matches_oracle(rows: Array2<f32>, threshold: f32) {
    assert_matches_oracle_or_hint(rows, threshold, "");
}

/// [`assert_matches_oracle`], with `hint` appended to a failure.
fn assert_matches_oracle_or_hint(rows: Array2<f32>, threshold: f32, hint: &str) {
    let answer = subject(rows.clone(), threshold);
    if let Err(message) = check_against_oracle(&rows, threshold, answer) {
        panic!("threshold {threshold}, rows {}: {message}{hint}", preview(&rows));
    }
}

// ---------------------------------------------------------------- examples

#[test]
fn examples_a_row_similar_only_to_a_removed_row_is_kept() {
    assert_kept(array![[1.0, 0.0], [1.0, 1.0], [0.0, 1.0]], 0.5, &[0, 2]);
}

#[test]
fn examples_parallel_rows_go_and_zero_and_opposite_rows_stay() {
    assert_kept(array![[3.0, 4.0], [6.0, 8.0], [0.0, 0.0], [-3.0, -4.0]], 0.9, &[0, 2, 3]);
}

#[test]
fn examples_a_similarity_equal_to_the_threshold_is_a_duplicate() {
    assert_kept(array![[1.0, 0.0], [0.0, 1.0]], 0.0, &[0]);
}

#[test]
fn examples_threshold_minus_one_keeps_only_the_first_row() {
    assert_kept(array![[1.0, 2.0], [-1.0, -1.5], [5.0, -1.0], [0.0, 0.0]], -1.0, &[0]);
}

// ---------------------------------------------------------------- edge

#[test]
fn edge_an_invalid_threshold_is_rejected_first() {
    let poisoned = array![[f32::NAN, 1.0]];
    for threshold in [f32::NAN, 1.0001, -1.0001, 2.0, f32::INFINITY, f32::NEG_INFINITY] {
        for rows in [Array2::zeros((0, 0)), Array2::zeros((3, 0)), poisoned.clone(), array![[1.0, 0.0]]] {
            let shown = preview(&rows);
            expect_eq!(
                subject(rows, threshold),
                Err(DedupError::InvalidThreshold),
                "threshold {threshold} with rows {shown}: the threshold is checked first"
            );
        }
    }
}

#[test]
fn edge_thresholds_of_exactly_minus_one_and_one_are_valid() {
    assert_kept(array![[1.0, 0.0], [0.5, 0.5]], 1.0, &[0, 1]);
    assert_kept(array![[1.0, 0.0], [0.5, 0.5]], -1.0, &[0]);
}

#[test]
fn edge_no_rows_is_an_empty_answer_whatever_the_columns() {
    assert_kept(Array2::zeros((0, 0)), 0.5, &[]);
    assert_kept(Array2::zeros((0, 7)), 0.5, &[]);
}

#[test]
fn edge_rows_with_zero_columns_are_empty() {
    expect_eq!(subject(Array2::zeros((1, 0)), 0.5), Err(DedupError::Empty));
    expect_eq!(subject(Array2::zeros((4, 0)), -1.0), Err(DedupError::Empty));
}

#[test]
fn edge_nan_or_infinity_anywhere_is_non_finite() {
    for bad in NON_FINITE {
        for position in [(0, 0), (2, 1), (4, 2)] {
            let mut rows = Array2::from_shape_fn((5, 3), |(i, j)| (i + j) as f32 + 1.0);
            rows[position] = bad;
            expect_eq!(subject(rows, 0.9), Err(DedupError::NonFinite), "{bad} at {position:?}");
        }
    }
}

#[test]
fn edge_a_non_finite_row_is_reported_even_after_duplicates() {
    // A row that would be removed as a duplicate is still checked.
    let rows = array![[1.0, 0.0], [1.0, 0.0], [1.0, f32::NAN]];
    expect_eq!(subject(rows, 0.5), Err(DedupError::NonFinite));
}

#[test]
fn edge_a_single_row_is_kept() {
    assert_kept(array![[0.25, -4.0, 1.0]], 0.0, &[0]);
    assert_kept(array![[0.0, 0.0]], -1.0, &[0]);
}

#[test]
fn edge_zero_rows_have_similarity_zero_never_nan() {
    // Above 0: zero rows resemble nothing and are all kept; rows after a
    // kept zero row are compared with it as 0, not NaN.
    assert_kept(array![[0.0, 0.0], [1.0, 1.0], [0.0, -0.0], [2.0, 2.0], [1.0, -1.0]], 0.5, &[0, 1, 2, 4]);
    // At 0 or below: similarity 0 is not < threshold, so a zero row after
    // a kept row goes, and every row after a kept zero row goes.
    assert_kept(array![[1.0, 1.0], [0.0, 0.0], [-1.0, 0.5]], 0.0, &[0, 2]);
    assert_kept(array![[0.0, 0.0], [1.0, 1.0], [-1.0, 0.5]], -0.5, &[0]);
}

#[test]
fn edge_exact_repeats_are_removed() {
    let row = [0.3_f32, -0.7, 0.2, 0.9, -0.1];
    let rows = Array2::from_shape_fn((6, 5), |(_, j)| row[j]);
    assert_kept(rows, 0.999, &[0]);
}

#[test]
fn edge_rows_with_disjoint_support_have_similarity_exactly_zero() {
    // Every product is zero, so every correct answer computes exactly 0:
    // with threshold 0 they are duplicates (0 is not < 0).
    let rows = array![[1.0, 0.0, 0.0], [0.0, 2.0, 0.0], [0.0, 0.0, -3.0], [0.0, 5.0, 0.0]];
    assert_kept(rows.clone(), 0.0, &[0]);
    assert_kept(rows, 0.5, &[0, 1, 2]);
}

// ---------------------------------------------------------------- property

#[test]
fn property_matches_the_greedy_f64_oracle() {
    grade::run(EXERCISE, || {
        property::check(embeddings::dedup_case(40, 12), 200, |case| {
            let answer = dedup(case.rows.view(), case.threshold);
            check_against_oracle(&case.rows, case.threshold, answer)
                .map_err(|message| TestCaseError::fail(format!("threshold {}: {message}", case.threshold)))
        });
    });
}

#[test]
fn property_kept_rows_are_ascending_and_pairwise_below_the_threshold() {
    grade::run(EXERCISE, || {
        property::check(embeddings::dedup_case(30, 6), 200, |case| {
            let kept = dedup(case.rows.view(), case.threshold)
                .map_err(|error| TestCaseError::fail(format!("expected Ok(..), got Err({error:?})")))?;
            if kept.windows(2).any(|pair| pair[0] >= pair[1]) || kept.iter().any(|&i| i >= case.rows.nrows())
            {
                return Err(TestCaseError::fail(format!(
                    "{kept:?}: return the kept row indices, ascending, each once (not the removed rows)"
                )));
            }
            for (n, &i) in kept.iter().enumerate() {
                for &j in &kept[..n] {
                    let similarity = oracle::dedup::similarity(case.rows.row(i), case.rows.row(j));
                    if similarity >= f64::from(case.threshold) {
                        return Err(TestCaseError::fail(format!(
                            "rows {j} and {i} are both kept, but their similarity {similarity:.6} >= {}",
                            case.threshold
                        )));
                    }
                }
            }
            Ok(())
        });
    });
}

// ---------------------------------------------------------------- robust

#[test]
fn robust_extreme_magnitudes_neither_overflow_nor_underflow() {
    let mut rng = rng_for("robust_extreme_magnitudes");
    for scale in EXTREME_SCALES {
        let mut rows = clustered_rows(&mut rng, 24, 16, 0.5, 0.1, 0.0).rows;
        rows.mapv_inplace(|x| x * scale);
        let wanted = rng.random_range(0.6_f32..0.95);
        let threshold = threshold_clear_of(&oracle::dedup::pairwise_similarities(rows.view()), wanted, 1e-4)
            .expect("a clear threshold exists for 24 rows");
        assert_matches_oracle_or_hint(rows, threshold, EXTREME_HINT);
    }
}

#[test]
fn robust_mixed_extreme_rows_compare_as_directions() {
    // The same directions at wildly different scales: only the direction counts.
    let base =
        array![[1.0_f32, 2.0, -1.0], [2.0, 1.0, 0.5], [1.0, 2.0, -1.0], [-1.0, 0.0, 1.0], [2.0, 1.0, 0.5]];
    let scales = [1e30_f32, 1e-30, 3e-39, 1e19, 1e-19];
    let rows = Array2::from_shape_fn((5, 3), |(i, j)| base[(i, j)] * scales[i]);
    assert_kept_or_hint(rows, 0.99, &[0, 1, 3], EXTREME_HINT);
}

#[test]
fn robust_subnormal_rows_are_not_zero_rows() {
    let tiny = f32::from_bits(1); // 1.4e-45, the smallest subnormal
    // A zero row would be kept at threshold 0.5; this one points like row 0.
    assert_kept_or_hint(array![[1.0, 0.0], [tiny, 0.0], [0.0, tiny]], 0.5, &[0, 2], EXTREME_HINT);
}

#[test]
fn robust_unnormalised_rows_are_compared_by_angle_not_dot_product() {
    // Raw dot products with row 0 are 1.2 and 1.0, both >= 0.9, which would
    // remove both; the cosines are 0.6 (distinct) and 1 (duplicate).
    assert_kept(array![[100.0, 0.0], [0.012, 0.016], [0.01, 0.0]], 0.9, &[0, 1]);
    let mut rng = rng_for("robust_unnormalised");
    let case = clustered_rows(&mut rng, 60, 8, 0.5, 0.1, 3.0).rows;
    let threshold = threshold_clear_of(&oracle::dedup::pairwise_similarities(case.view()), 0.9, 1e-4)
        .expect("a clear threshold exists for 60 rows");
    assert_matches_oracle(case, threshold);
}

#[test]
fn robust_a_chain_of_near_duplicates_is_cut_only_at_kept_rows() {
    // Unit vectors 10 degrees apart on an arc: each resembles its neighbour
    // (cos 10° = 0.985), so comparing with every earlier row keeps row 0 only;
    // comparing with kept rows keeps every row at least 20 degrees past the last kept.
    let angles: Vec<f64> = (0..19).map(|i| f64::from(i) * 10_f64.to_radians()).collect();
    let rows = Array2::from_shape_fn((angles.len(), 2), |(i, j)| {
        if j == 0 { angles[i].cos() as f32 } else { angles[i].sin() as f32 }
    });
    let threshold = 15_f64.to_radians().cos() as f32; // 0.966: 10° apart is a duplicate, 20° is not
    assert_kept(rows, threshold, &[0, 2, 4, 6, 8, 10, 12, 14, 16, 18]);
}

#[test]
fn robust_negative_thresholds() {
    let mut rng = rng_for("robust_negative_thresholds");
    for wanted in [-0.9_f32, -0.5, -0.1] {
        let rows = clustered_rows(&mut rng, 20, 3, 0.0, 0.0, 2.0).rows;
        let threshold = threshold_clear_of(&oracle::dedup::pairwise_similarities(rows.view()), wanted, 1e-4)
            .expect("a clear threshold exists for 20 rows");
        assert_matches_oracle(rows, threshold);
    }
}

#[test]
fn robust_strided_and_transposed_views_are_accepted() {
    let mut rng = rng_for("robust_strided_views");
    let rows = clustered_rows(&mut rng, 30, 6, 0.5, 0.1, 1.0).rows;
    let threshold = threshold_clear_of(&oracle::dedup::pairwise_similarities(rows.view()), 0.9, 1e-4)
        .expect("a clear threshold exists for 30 rows");
    let expected = oracle::dedup::kept(rows.view(), threshold);
    let transposed = rows.t().to_owned();
    let answer = grade::run(EXERCISE, move || {
        // The same rows, seen through a transposed (column-major) view.
        dedup(transposed.t(), threshold)
    });
    expect_eq!(answer, Ok(expected.clone()), "a transposed view of the rows (column-major layout)");
    let wide = Array2::from_shape_fn((30, 12), |(i, j)| if j % 2 == 0 { rows[(i, j / 2)] } else { f32::NAN });
    let answer = grade::run(EXERCISE, move || dedup(wide.slice(s![.., ..;2]), threshold));
    expect_eq!(
        answer,
        Ok(expected),
        "a strided view that skips every other column (the skipped ones are NaN)"
    );
}

#[test]
fn robust_peak_memory_stays_linear_no_n_by_n_matrix() {
    const ROWS: usize = 4096;
    const DIM: usize = 64;
    let mut rng = rng_for("robust_peak_memory");
    let case = clustered_rows(&mut rng, ROWS, DIM, 0.4, 0.05, 1.0);
    let expected = case.first_of_each_cluster();
    let rows = case.rows;
    let input_bytes = ROWS * DIM * size_of::<f32>();
    // Several copies of the input, and a few megabytes of blocks: an n × n
    // matrix of f32 similarities alone would take 64 MiB.
    let budget = 8 * input_bytes + (8 << 20); // 16 MiB
    let outcome = grade::run(EXERCISE, move || -> Result<(), String> {
        kata::alloc::check_active()?;
        let (answer, peak) = kata::alloc::peak_allocated_by(|| dedup(rows.view(), 0.9));
        if peak > budget {
            return Err(format!(
                "{ROWS} rows of {DIM}: the peak allocation was {peak} bytes, over the budget of {budget} \
                 ({} MiB): compare each row with the kept rows as you go (or block by block); never \
                 build the n x n similarity matrix",
                budget >> 20
            ));
        }
        match answer {
            Ok(kept) if kept == expected => Ok(()),
            other => Err(format!(
                "expected the first row of each cluster ({} rows), got {:?}",
                expected.len(),
                other.map(|k| k.len())
            )),
        }
    });
    if let Err(message) = outcome {
        panic!("{message}");
    }
}

// ---------------------------------------------------------------- scale

#[test]
fn scale_thirty_thousand_rows_in_clusters() {
    const ROWS: usize = 30_000;
    let mut rng = rng_for("scale_thirty_thousand_rows");
    // 300 clusters in 32 dimensions: members above 0.99, centres below 0.8.
    let case = clustered_rows(&mut rng, ROWS, 32, 0.99, 0.05, 2.0);
    let expected = case.first_of_each_cluster();
    let rows = case.rows;
    let answer = grade::run_within(EXERCISE, grade::SCALE_LIMIT, move || dedup(rows.view(), 0.9));
    match answer {
        Ok(kept) if kept == expected => {}
        Ok(kept) => panic!(
            "{ROWS} rows in {} clusters at threshold 0.9: expected the first row of each cluster, got {} \
             rows: {}",
            expected.len(),
            kept.len(),
            truncated(&kept)
        ),
        Err(error) => panic!("{ROWS} valid rows: expected Ok(..), got Err({error:?})"),
    }
}
