//! Hidden tests for the `attention` exercise (`exercises/src/attention.rs`).
//!
//! Tiers, by name prefix: `examples_` (the statement's examples), `edge_`
//! (every error and its order, no queries, one key, strided views),
//! `property_` (random shapes and magnitudes, causal or not, against an f64
//! oracle), `robust_` (scores of 1e6 and beyond f32's range, the causal mask
//! when decoding with a cache, softmax over the keys), `scale_` (2,048
//! queries and keys in time; 1,024 queries against 16,384 keys with the
//! peak allocation measured by `kata::alloc`'s counting allocator).

use kata::expect_eq;
use kata::generate::logits::{attention_case, to_matrix, uniform_logits};
use kata::ndarray::{Array2, ArrayView2, array, s};
use kata::oracle::attention as oracle;
use kata::property;
use kata::seed::rng_for;
use kata::subject::attention::{AttentionError, attention};
use kata::tolerance::is_close;
use kata::{alloc, grade};
use proptest::prelude::*;

const EXERCISE: &str = "attention";

#[global_allocator]
static ALLOCATOR: alloc::CountingAllocator = alloc::CountingAllocator;

/// The subject's answer for owned inputs, under the time limit.
fn subject(
    q: Array2<f32>,
    k: Array2<f32>,
    v: Array2<f32>,
    causal: bool,
) -> Result<Array2<f32>, AttentionError> {
    grade::run(EXERCISE, move || attention(q.view(), k.view(), v.view(), causal))
}

/// The contract's accuracy: `1e-4 · (1 + max |v|)` of the f64 result.
fn check_output(
    actual: ArrayView2<f32>,
    q: ArrayView2<f32>,
    k: ArrayView2<f32>,
    v: ArrayView2<f32>,
    causal: bool,
) -> Result<(), String> {
    let expected = oracle::attention(q, k, v, causal);
    if actual.dim() != expected.dim() {
        return Err(format!(
            "the result has shape {:?}, expected {:?} ([n, dv])",
            actual.dim(),
            expected.dim()
        ));
    }
    let max_v = v.iter().fold(0.0_f64, |m, &x| m.max(f64::from(x).abs()));
    let tolerance = 1e-4 * (1.0 + max_v);
    for ((index, &got), &want) in actual.indexed_iter().zip(&expected) {
        if !is_close(f64::from(got), want, tolerance, 0.0) {
            let hint = if got.is_nan() {
                " (NaN: subtract each row's maximum score before exp)"
            } else {
                " (check the 1/sqrt(d) scaling, the causal mask i + (m - n), and that the softmax runs over the keys)"
            };
            return Err(format!(
                "out{index:?} = {got:e}, expected {want:e} within {tolerance:e}{hint}\n  causal = {causal}, q {:?}, k {:?}, v {:?}\n  q = {}\n  k = {}",
                q.dim(),
                k.dim(),
                v.dim(),
                preview(q),
                preview(k)
            ));
        }
    }
    Ok(())
}

fn preview(m: ArrayView2<f32>) -> String {
    format!("{:e}", m.slice(s![..m.nrows().min(3), ..m.ncols().min(4)]))
}

fn assert_matches_oracle(q: Array2<f32>, k: Array2<f32>, v: Array2<f32>, causal: bool) {
    let actual = subject(q.clone(), k.clone(), v.clone(), causal).expect("valid input must give Ok");
    check_output(actual.view(), q.view(), k.view(), v.view(), causal).unwrap_or_else(|m| panic!("{m}"));
}

// ---------------------------------------------------------------- examples

#[test]
fn examples_equal_scores_average_the_values() {
    let out =
        subject(array![[0.0, 0.0]], array![[1.0, 0.0], [0.0, 1.0]], array![[1.0, 0.0], [0.0, 3.0]], false);
    expect_eq!(out, Ok(array![[0.5, 1.5]]));
}

#[test]
fn examples_scores_are_scaled_by_one_over_root_d() {
    let out = subject(array![[1.0, 0.0]], array![[2.0, 0.0], [0.0, 2.0]], array![[1.0], [0.0]], false)
        .expect("valid");
    assert!(
        (out[[0, 0]] - 0.804_43).abs() < 1e-4,
        "got {}, expected 0.8044 = sigmoid(2/sqrt(2)); without the 1/sqrt(d) scaling it is 0.8808",
        out[[0, 0]]
    );
}

#[test]
fn examples_causal_mask_lower_triangle() {
    let out = subject(array![[0.0], [0.0]], array![[0.0], [0.0]], array![[1.0], [3.0]], true);
    expect_eq!(out, Ok(array![[1.0], [2.0]]), "query 0 sees key 0 only; query 1 sees both");
}

#[test]
fn examples_causal_decoding_with_a_cache() {
    let out = subject(array![[0.0]], array![[0.0], [0.0], [0.0]], array![[1.0], [3.0], [5.0]], true);
    expect_eq!(
        out,
        Ok(array![[3.0]]),
        "one query after 3 cached keys is position 2: it sees keys 0..=2 (i + m - n)"
    );
}

// ---------------------------------------------------------------- edge

#[test]
fn edge_errors_come_in_the_contract_order() {
    let nan = f32::NAN;
    let z = |r, c| Array2::<f32>::zeros((r, c));
    let cases = [
        (z(3, 2), z(2, 3), z(5, 1), true, AttentionError::DimensionMismatch { expected: 2, found: 3 }),
        (z(3, 0), z(0, 0), z(1, 1), true, AttentionError::KeyValueMismatch { keys: 0, values: 1 }),
        (array![[nan]], z(0, 1), z(0, 1), true, AttentionError::CausalShape { queries: 1, keys: 0 }),
        (array![[nan]], z(0, 1), z(0, 1), false, AttentionError::Empty),
        (z(2, 0), z(3, 0), array![[nan], [0.0], [0.0]], true, AttentionError::Empty),
        (z(0, 2), z(0, 2), z(0, 2), false, AttentionError::Empty),
        (z(0, 2), array![[0.0, nan]], z(1, 2), false, AttentionError::NonFinite),
    ];
    for (q, k, v, causal, expected) in cases {
        let shapes = format!("q {:?}, k {:?}, v {:?}, causal {causal}", q.dim(), k.dim(), v.dim());
        expect_eq!(subject(q, k, v, causal), Err(expected), "{shapes}");
    }
}

#[test]
fn edge_nan_or_infinity_anywhere_is_non_finite() {
    for bad in [f32::NAN, f32::INFINITY, f32::NEG_INFINITY] {
        for which in 0..3 {
            let mut inputs = [Array2::<f32>::ones((2, 3)), Array2::ones((4, 3)), Array2::ones((4, 2))];
            inputs[which][[1, 1]] = bad;
            let [q, k, v] = inputs;
            expect_eq!(
                subject(q, k, v, false),
                Err(AttentionError::NonFinite),
                "{bad} in input {which} (q, k, v)"
            );
        }
    }
}

#[test]
fn edge_no_queries_give_an_empty_result() {
    expect_eq!(
        subject(Array2::zeros((0, 4)), Array2::ones((3, 4)), Array2::ones((3, 5)), true),
        Ok(Array2::zeros((0, 5)))
    );
}

#[test]
fn edge_one_key_returns_its_value() {
    let out = subject(array![[1e3, -2.0], [0.5, 0.5]], array![[7.0, 1.0]], array![[4.0, -1.0, 2.5]], false);
    expect_eq!(out, Ok(array![[4.0, -1.0, 2.5], [4.0, -1.0, 2.5]]));
}

#[test]
fn edge_strided_and_transposed_views_are_accepted() {
    let mut rng = rng_for("edge_strided_views");
    let (q, k, v) = (
        uniform_logits(&mut rng, 6, 8, 1.0),
        uniform_logits(&mut rng, 9, 8, 1.0),
        uniform_logits(&mut rng, 5, 9, 1.0),
    );
    let (q2, k2, v2) = (q.clone(), k.clone(), v.clone());
    let actual = grade::run(EXERCISE, move || attention(q2.slice(s![..;2, ..]), k2.view(), v2.t(), true))
        .expect("valid views");
    let v_t = v.t().to_owned();
    check_output(actual.view(), q.slice(s![..;2, ..]), k.view(), v_t.view(), true)
        .unwrap_or_else(|m| panic!("{m}"));
}

// ---------------------------------------------------------------- property

#[test]
fn property_matches_the_f64_oracle() {
    grade::run(EXERCISE, || {
        property::check(attention_case(24, 12), 192, |(q, k, v, causal)| {
            let (q, k, v) = (to_matrix(&q, k[0].len()), to_matrix(&k, k[0].len()), to_matrix(&v, v[0].len()));
            let actual = attention(q.view(), k.view(), v.view(), causal)
                .map_err(|e| TestCaseError::fail(format!("got Err({e:?})")))?;
            check_output(actual.view(), q.view(), k.view(), v.view(), causal).map_err(TestCaseError::fail)
        });
    });
}

// ---------------------------------------------------------------- robust

#[test]
fn robust_scores_of_1e6_do_not_overflow() {
    let mut rng = rng_for("robust_scores_of_1e6");
    for scale in [1e3_f32, 1e4, 1e10, 1e19] {
        let q = uniform_logits(&mut rng, 5, 16, scale);
        let k = uniform_logits(&mut rng, 40, 16, scale);
        let v = uniform_logits(&mut rng, 40, 3, 1.0);
        assert_matches_oracle(q.clone(), k.clone(), v.clone(), false);
        assert_matches_oracle(q, k, v, true);
    }
}

/// Every score of a row far below zero (a query pointing away from every
/// key): shifting the row by a bound on its scores instead of their maximum
/// pushes every exp towards underflow, where f32 keeps only a few bits.
#[test]
fn robust_rows_whose_scores_are_all_far_below_zero() {
    for norm in [12.0_f32, 20.0, 30.0] {
        let mut q = Array2::zeros((3, 64));
        q.column_mut(0).fill(norm);
        let mut k = Array2::zeros((3, 64));
        for (row, step) in [1.0_f32, 0.95, 0.9].into_iter().enumerate() {
            k[[row, 0]] = -norm * step;
        }
        let v = array![[1.0_f32, 0.0], [0.0, 1.0], [0.5, 0.5]];
        assert_matches_oracle(q.clone(), k.clone(), v.clone(), false);
        assert_matches_oracle(q, k, v, true);
    }
}

#[test]
fn robust_causal_mask_when_decoding_with_a_cache() {
    let mut rng = rng_for("robust_causal_cache");
    for (n, m) in [(1, 1), (1, 17), (3, 10), (64, 65), (100, 300), (300, 300)] {
        let (q, k, v) = (
            uniform_logits(&mut rng, n, 8, 2.0),
            uniform_logits(&mut rng, m, 8, 2.0),
            uniform_logits(&mut rng, m, 4, 3.0),
        );
        assert_matches_oracle(q, k, v, true);
    }
}

#[test]
fn robust_softmax_runs_over_the_keys() {
    let mut rng = rng_for("robust_softmax_over_keys");
    let (q, k, v) = (
        uniform_logits(&mut rng, 7, 4, 3.0),
        uniform_logits(&mut rng, 11, 4, 3.0),
        uniform_logits(&mut rng, 11, 6, 1.0),
    );
    assert_matches_oracle(q, k, v, false);
}

#[test]
fn robust_large_values_and_dimensions() {
    let mut rng = rng_for("robust_large_values");
    let (q, k, v) = (
        uniform_logits(&mut rng, 33, 256, 0.3),
        uniform_logits(&mut rng, 700, 256, 0.3),
        uniform_logits(&mut rng, 700, 70, 1e6),
    );
    assert_matches_oracle(q.clone(), k.clone(), v.clone(), false);
    assert_matches_oracle(q, k, v, true);
}

// ---------------------------------------------------------------- scale

#[test]
fn scale_two_thousand_queries_and_keys_in_time() {
    let mut rng = rng_for("scale_two_thousand");
    let (n, d) = (2_048, 64);
    let (q, k, v) = (
        uniform_logits(&mut rng, n, d, 1.0),
        uniform_logits(&mut rng, n, d, 1.0),
        uniform_logits(&mut rng, n, d, 1.0),
    );
    for causal in [false, true] {
        let (q2, k2, v2) = (q.clone(), k.clone(), v.clone());
        // Every correct answer does the n·m·d multiply-adds (half a billion
        // here), scalar f64 ones too: the ordinary limit accepts them on a
        // loaded machine and still stops an answer that recomputes the scores
        // for each value column (dv = 64 times the work).
        let actual = grade::run(EXERCISE, move || attention(q2.view(), k2.view(), v2.view(), causal))
            .expect("valid input");
        // The oracle is slow: check a sample of rows, the first and last among them.
        for row in [0, 1, 777, 1_500, n - 1] {
            let sub_q = q.slice(s![row..=row, ..]);
            let visible = if causal { row + 1 } else { n };
            check_output(
                actual.slice(s![row..=row, ..]),
                sub_q,
                k.slice(s![..visible, ..]),
                v.slice(s![..visible, ..]),
                false,
            )
            .unwrap_or_else(|m| panic!("query {row} (causal = {causal}: it sees keys 0..{visible}): {m}"));
        }
    }
}

#[test]
fn scale_the_score_matrix_is_never_materialised() {
    // 1,024 queries, the last positions of a 16,384-key cache: their f32
    // scores alone would be 64 MiB, yet a correct answer does a sixteenth of
    // the work of n = m = 16,384. The inputs are allocated before the
    // measurement; allow a few copies of them (4 MiB of keys) and O(m)
    // scratch per row or tile.
    const BUDGET: usize = 32 << 20;
    let mut rng = rng_for("scale_memory");
    let (n, m, d, dv) = (1_024, 16_384, 64, 1);
    let (q, k, v) = (
        uniform_logits(&mut rng, n, d, 1.0),
        uniform_logits(&mut rng, m, d, 1.0),
        uniform_logits(&mut rng, m, dv, 1.0),
    );
    let (q2, k2, v2) = (q.clone(), k.clone(), v.clone());
    let (actual, peak) = grade::run(EXERCISE, move || {
        alloc::check_active().unwrap_or_else(|m| panic!("{m}"));
        alloc::peak_allocated_by(|| attention(q2.view(), k2.view(), v2.view(), true))
    });
    let actual = actual.expect("valid input");
    assert!(
        peak <= BUDGET,
        "attention over {n} queries and {m} keys held {} MiB at its peak (budget {} MiB; the scores alone \
         are {} MiB): never materialise the n × m scores; work one query row (or one tile) at a time",
        peak >> 20,
        BUDGET >> 20,
        (n * m * 4) >> 20
    );
    // Query i is position i + (m - n): the first sees m - n + 1 keys, the last all of them.
    for (row, visible) in [(0, m - n + 1), (n - 1, m)] {
        check_output(
            actual.slice(s![row..=row, ..]),
            q.slice(s![row..=row, ..]),
            k.slice(s![..visible, ..]),
            v.slice(s![..visible, ..]),
            false,
        )
        .unwrap_or_else(|message| {
            panic!(
                "query {row} of {n} (causal, position {}: it sees keys 0..={}): {message}",
                row + m - n,
                visible - 1
            )
        });
    }
}
