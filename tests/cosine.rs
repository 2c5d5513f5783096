//! Hidden tests for the `cosine` exercise (`exercises/src/cosine.rs`).
//!
//! Tiers, by name prefix: `examples_` (the statement's examples), `edge_`
//! (every error and its order, degenerate shapes), `property_` (random
//! vectors against an f64 oracle), `robust_` (overflow, underflow,
//! cancellation, clamping), `scale_` (long vectors, in time and accurate).

use kata::expect_eq;
use kata::generate::vectors::{self, EXTREME_SCALES};
use kata::grade;
use kata::ndarray::{Array1, Array2, ArrayView1, s};
use kata::oracle;
use kata::property;
use kata::seed::rng_for;
use kata::subject::cosine::{VectorError, cosine_similarity};
use kata::tolerance::{check_close, is_close};
use proptest::prelude::*;
use rand::RngExt;

const EXERCISE: &str = "cosine";

/// The contract's accuracy: within 1e-5 of the exact value.
const TOLERANCE: f64 = 1e-5;

/// The subject's answer for two owned vectors, under the time limit.
fn subject(a: Vec<f32>, b: Vec<f32>) -> Result<f32, VectorError> {
    grade::run(EXERCISE, move || cosine_similarity(Array1::from(a).view(), Array1::from(b).view()))
}

/// Checks an answer against the f64 oracle: the right value within the
/// tolerance, and never outside [-1, 1].
fn check_against_oracle(
    a: ArrayView1<f32>,
    b: ArrayView1<f32>,
    answer: Result<f32, VectorError>,
) -> Result<(), String> {
    let expected = oracle::vectors::cosine(a, b).ok_or("test bug: the oracle needs non-zero vectors")?;
    let actual = answer.map_err(|error| format!("expected Ok({expected}), got Err({error:?})"))?;
    if let Some(cause) = out_of_range(actual) {
        return Err(cause);
    }
    check_close("cosine", f64::from(actual), expected, TOLERANCE, 0.0)
}

/// Why a value cannot be a cosine, or None when it lies in [-1, 1]: each
/// way out of range has its own cause (and its own fix).
fn out_of_range(actual: f32) -> Option<String> {
    let cause = if actual.is_nan() {
        "NaN: an intermediate result overflowed or underflowed (inf / inf or 0 / 0 from f32 sums of squares); \
         scale by the largest magnitude first, or accumulate in f64"
            .to_owned()
    } else if actual.is_infinite() {
        format!(
            "{actual}: a norm underflowed to 0 or the dot product overflowed f32 (squares of 1e-30 or 1e30 leave \
             f32's range); scale by the largest magnitude first, or accumulate in f64"
        )
    } else if actual.abs() > 1.001 {
        format!("{actual} is far outside [-1, 1]: a cosine is the dot product divided by BOTH norms")
    } else if actual.abs() > 1.0 {
        format!("{actual} is outside [-1, 1]: rounding can pass 1, so clamp the result")
    } else {
        return None;
    };
    Some(cause)
}

/// Runs the subject on `a` and `b` and fails the test unless it matches the oracle.
fn assert_matches_oracle(a: Array1<f32>, b: Array1<f32>) {
    let (a2, b2) = (a.clone(), b.clone());
    let answer = subject(a.to_vec(), b.to_vec());
    if let Err(message) = check_against_oracle(a2.view(), b2.view(), answer) {
        panic!("{message}\n  a = {}\n  b = {}", preview(&a), preview(&b));
    }
}

/// The first components of a vector, for failure messages.
fn preview(v: &Array1<f32>) -> String {
    let shown: Vec<String> = v.iter().take(6).map(|x| format!("{x:e}")).collect();
    format!("[{}{}] ({} components)", shown.join(", "), if v.len() > 6 { ", ..." } else { "" }, v.len())
}

fn assert_value(a: &[f32], b: &[f32], expected: f32) {
    let actual = subject(a.to_vec(), b.to_vec());
    match actual {
        Ok(value) if is_close(f64::from(value), f64::from(expected), TOLERANCE, 0.0) => {}
        Ok(value) => {
            let got = out_of_range(value).unwrap_or_else(|| format!("Ok({value})"));
            panic!("cosine({a:?}, {b:?}): expected Ok({expected}), got {got}")
        }
        Err(error) => panic!("cosine({a:?}, {b:?}): expected Ok({expected}), got Err({error:?})"),
    }
}

// ---------------------------------------------------------------- examples

#[test]
fn examples_orthogonal_vectors_score_zero() {
    assert_value(&[1.0, 0.0], &[0.0, 1.0], 0.0);
}

#[test]
fn examples_parallel_vectors_score_one() {
    assert_value(&[1.0, 2.0, 3.0], &[2.0, 4.0, 6.0], 1.0);
}

#[test]
fn examples_opposite_vectors_score_minus_one() {
    assert_value(&[1.0, 1.0], &[-1.0, -1.0], -1.0);
}

#[test]
fn examples_forty_five_degrees() {
    assert_value(&[1.0, 0.0], &[1.0, 1.0], std::f32::consts::FRAC_1_SQRT_2);
}

#[test]
fn examples_huge_components_do_not_overflow() {
    assert_value(&[1e30, 1e30], &[1e30, 0.0], std::f32::consts::FRAC_1_SQRT_2);
}

// ---------------------------------------------------------------- edge

#[test]
fn edge_length_mismatch_reports_first_length_as_expected() {
    let expected = Err(VectorError::DimensionMismatch { expected: 3, found: 2 });
    expect_eq!(subject(vec![1.0, 2.0, 3.0], vec![1.0, 2.0]), expected);
    let swapped = Err(VectorError::DimensionMismatch { expected: 2, found: 3 });
    expect_eq!(subject(vec![1.0, 2.0], vec![1.0, 2.0, 3.0]), swapped);
}

#[test]
fn edge_mismatch_is_checked_before_emptiness_and_values() {
    expect_eq!(subject(vec![], vec![1.0]), Err(VectorError::DimensionMismatch { expected: 0, found: 1 }));
    expect_eq!(
        subject(vec![f32::NAN], vec![]),
        Err(VectorError::DimensionMismatch { expected: 1, found: 0 })
    );
    expect_eq!(
        subject(vec![0.0, 0.0], vec![f32::NAN]),
        Err(VectorError::DimensionMismatch { expected: 2, found: 1 })
    );
}

#[test]
fn edge_both_empty_is_empty() {
    expect_eq!(subject(vec![], vec![]), Err(VectorError::Empty));
}

#[test]
fn edge_nan_or_infinity_on_either_side_is_non_finite() {
    for bad in vectors::NON_FINITE {
        expect_eq!(
            subject(vec![1.0, bad, 2.0], vec![1.0, 2.0, 3.0]),
            Err(VectorError::NonFinite),
            "{bad} in a"
        );
        expect_eq!(
            subject(vec![1.0, 2.0, 3.0], vec![1.0, 2.0, bad]),
            Err(VectorError::NonFinite),
            "{bad} in b"
        );
    }
}

#[test]
fn edge_non_finite_is_checked_before_zero_norm() {
    for (a, b) in [(vec![0.0, 0.0], vec![f32::NAN, 1.0]), (vec![f32::INFINITY, 1.0], vec![0.0, 0.0])] {
        let actual = subject(a.clone(), b.clone());
        assert!(
            actual == Err(VectorError::NonFinite),
            "cosine({a:?}, {b:?}): expected Err(NonFinite), got {actual:?}: check for NaN and infinity \
             before checking for a zero vector (the contract's error order)"
        );
    }
}

#[test]
fn edge_a_zero_vector_on_either_side_is_zero_norm() {
    expect_eq!(subject(vec![0.0, 0.0], vec![1.0, 2.0]), Err(VectorError::ZeroNorm));
    expect_eq!(subject(vec![1.0, 2.0], vec![0.0, -0.0]), Err(VectorError::ZeroNorm));
    expect_eq!(subject(vec![-0.0], vec![-0.0]), Err(VectorError::ZeroNorm));
}

#[test]
fn edge_subnormal_components_are_not_zero() {
    let tiny = f32::from_bits(1); // 1.4e-45, the smallest subnormal
    assert_value(&[tiny, 0.0], &[1.0, 0.0], 1.0);
    assert_value(&[tiny, tiny], &[-tiny, -tiny], -1.0);
}

#[test]
fn edge_single_component_vectors_are_plus_or_minus_one() {
    assert_value(&[3.0], &[0.5], 1.0);
    assert_value(&[-3.0], &[0.5], -1.0);
}

#[test]
fn edge_strided_views_are_accepted() {
    let matrix = Array2::from_shape_fn((5, 3), |(i, j)| (i * 3 + j) as f32 + 1.0);
    let (column, reversed) = (matrix.column(1).to_owned(), matrix.column(2).slice(s![..;-1]).to_owned());
    let expected = oracle::vectors::cosine(column.view(), reversed.view());
    let actual = grade::run(EXERCISE, move || {
        let matrix = Array2::from_shape_fn((5, 3), |(i, j)| (i * 3 + j) as f32 + 1.0);
        cosine_similarity(matrix.column(1), matrix.column(2).slice(s![..;-1]))
    });
    let expected = expected.expect("non-zero columns");
    let actual = actual.expect("strided views are valid input");
    assert!(is_close(f64::from(actual), expected, TOLERANCE, 0.0), "got {actual}, expected {expected}");
}

// ---------------------------------------------------------------- property

#[test]
fn property_matches_the_f64_oracle_across_magnitudes() {
    grade::run(EXERCISE, || {
        property::check(vectors::vector_pair(64), 256, |(a, b)| {
            let (a, b) = (Array1::from(a), Array1::from(b));
            if oracle::vectors::cosine(a.view(), b.view()).is_none() {
                return Ok(()); // a zero vector: covered by the error tests
            }
            let answer = cosine_similarity(a.view(), b.view());
            check_against_oracle(a.view(), b.view(), answer).map_err(TestCaseError::fail)
        });
    });
}

#[test]
fn property_errors_come_in_the_contract_order() {
    let case = (1_usize..12, 0_usize..12, any::<u8>(), any::<u8>());
    grade::run(EXERCISE, move || {
        property::check(case, 256, |(len_a, len_b, poison_a, poison_b)| {
            let a = poisoned(len_a, poison_a);
            let b = poisoned(len_b, poison_b);
            let expected = expected_error(&a, &b);
            let actual = cosine_similarity(Array1::from(a.clone()).view(), Array1::from(b.clone()).view());
            match expected {
                Some(error) if actual != Err(error) => Err(TestCaseError::fail(format!(
                    "a = {a:?}, b = {b:?}: expected Err({error:?}), got {actual:?}"
                ))),
                None if actual.is_err() => {
                    Err(TestCaseError::fail(format!("a = {a:?}, b = {b:?}: expected Ok, got {actual:?}")))
                }
                _ => Ok(()),
            }
        });
    });
}

/// A vector of `len` components spoiled by `poison`: bit 0 zeroes it,
/// bit 1 puts a NaN in, bit 2 an infinity, at a position from the high bits.
fn poisoned(len: usize, poison: u8) -> Vec<f32> {
    let mut v: Vec<f32> = (0..len).map(|i| if poison & 1 == 1 { 0.0 } else { i as f32 + 1.0 }).collect();
    if len > 0 {
        let position = usize::from(poison >> 3) % len;
        if poison & 2 == 2 {
            v[position] = f32::NAN;
        } else if poison & 4 == 4 {
            v[position] = f32::NEG_INFINITY;
        }
    }
    v
}

/// The error the contract requires for `a` and `b`, if any.
fn expected_error(a: &[f32], b: &[f32]) -> Option<VectorError> {
    if a.len() != b.len() {
        Some(VectorError::DimensionMismatch { expected: a.len(), found: b.len() })
    } else if a.is_empty() {
        Some(VectorError::Empty)
    } else if !a.iter().chain(b).all(|x| x.is_finite()) {
        Some(VectorError::NonFinite)
    } else if a.iter().all(|&x| x == 0.0) || b.iter().all(|&x| x == 0.0) {
        Some(VectorError::ZeroNorm)
    } else {
        None
    }
}

// ---------------------------------------------------------------- robust

#[test]
fn robust_extreme_magnitudes_neither_overflow_nor_underflow() {
    let mut rng = rng_for("robust_extreme_magnitudes");
    for dim in [1, 7, 384, 1536] {
        for scale_a in EXTREME_SCALES {
            for scale_b in [1.0, scale_a] {
                let a = vectors::uniform_vector(&mut rng, dim) * scale_a;
                let b = vectors::uniform_vector(&mut rng, dim) * scale_b;
                assert_matches_oracle(a, b);
            }
        }
    }
}

#[test]
fn robust_components_of_wildly_different_magnitudes() {
    let mut rng = rng_for("robust_wildly_different");
    for _ in 0..20 {
        let a = vectors::uniform_vector(&mut rng, 300).mapv(|x| x * 10_f32.powi((x * 37.0) as i32));
        let b = vectors::uniform_vector(&mut rng, 300).mapv(|x| x * 10_f32.powi((x * 30.0) as i32));
        assert_matches_oracle(a, b);
    }
}

#[test]
fn robust_nearly_orthogonal_vectors_survive_cancellation() {
    let mut rng = rng_for("robust_nearly_orthogonal");
    for dim in [2, 16, 384, 1536] {
        let a = vectors::uniform_vector(&mut rng, dim);
        let b = vectors::orthogonalised(&a, &vectors::uniform_vector(&mut rng, dim));
        assert_matches_oracle(a * 1e20, b);
    }
}

#[test]
fn robust_results_are_clamped_to_minus_one_and_one() {
    let mut rng = rng_for("robust_clamped");
    for dim in [3, 10, 100, 384, 1000, 1536] {
        for _ in 0..10 {
            let v = vectors::uniform_vector(&mut rng, dim);
            let scale = rng.random_range(0.1_f32..10.0);
            let same = subject(v.to_vec(), (&v * scale).to_vec()).expect("valid vectors");
            let opposite = subject(v.to_vec(), (&v * -scale).to_vec()).expect("valid vectors");
            assert!(
                (1.0 - 1e-5..=1.0).contains(&same),
                "cos(v, {scale} v) = {same}: must be in [1 - 1e-5, 1]"
            );
            assert!((-1.0..=-1.0 + 1e-5).contains(&opposite), "cos(v, -{scale} v) = {opposite}");
        }
    }
}

#[test]
fn robust_near_duplicates_score_just_below_one() {
    let mut rng = rng_for("robust_near_duplicates");
    for dim in [8, 384, 1536] {
        let a = vectors::uniform_vector(&mut rng, dim);
        let b = vectors::near_duplicate(&mut rng, &a, 1e-3);
        assert_matches_oracle(a, b);
    }
}

// ---------------------------------------------------------------- scale

#[test]
fn scale_four_million_components_in_time_and_accurate() {
    // A plain f32 running sum drifts by ~1e-4 here; blocked or f64 sums do not.
    let mut rng = rng_for("scale_four_million");
    let a = vectors::uniform_vector(&mut rng, 4_000_000);
    let b = vectors::near_duplicate(&mut rng, &a, 1.0);
    let expected = oracle::vectors::cosine(a.view(), b.view()).expect("non-zero vectors");
    let actual =
        grade::run_within(EXERCISE, grade::SCALE_LIMIT, move || cosine_similarity(a.view(), b.view()));
    let actual = actual.expect("valid vectors");
    if let Err(message) = check_close("cosine of 4M components", f64::from(actual), expected, TOLERANCE, 0.0)
    {
        let cause = match out_of_range(actual) {
            Some(cause) => cause,
            None if (f64::from(actual) - expected).abs() < 1e-2 => {
                "a single f32 running sum loses precision over millions of terms: use blocks, \
                 several accumulators or f64"
                    .to_owned()
            }
            None => "far from the exact value: check the formula on the statement's examples".to_owned(),
        };
        panic!("{message}: {cause}");
    }
}
