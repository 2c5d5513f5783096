//! Hidden tests for the `t_test` exercise (`exercises/src/t_test.rs`).
//!
//! Tiers, by name prefix: `examples_` (the statement's examples and
//! published p-values), `edge_` (every error and its order), `property_`
//! (random samples at every magnitude against the series oracle),
//! `robust_` (cancellation near 1e9, subnormal to 1e300, far tails),
//! `scale_` (a million pairs, and many small tests).

use kata::expect_eq;
use kata::generate::samples;
use kata::grade;
use kata::oracle::t_test::{self as oracle, PairedT};
use kata::property;
use kata::seed::rng_for;
use kata::subject::t_test::{StatsError, TTest, paired_t_test};
use kata::tolerance::is_close;
use proptest::prelude::*;

const EXERCISE: &str = "t_test";

/// The contract's accuracy for t: 1e-9 relative or 1e-12 absolute.
const T_RELATIVE: f64 = 1e-9;
const T_ABSOLUTE: f64 = 1e-12;

/// The contract's accuracy for p: 1e-5 relative where p ≥ 1e-300.
const P_RELATIVE: f64 = 1e-5;
const P_FLOOR: f64 = 1e-300;

/// The subject's answer, under the time limit.
fn subject(a: Vec<f64>, b: Vec<f64>) -> Result<TTest, StatsError> {
    grade::run(EXERCISE, move || paired_t_test(&a, &b))
}

/// Checks an answer against the oracle's t, df and ln p, naming the likely
/// mistake when the answer is off in a recognisable way.
fn check(n: usize, answer: Result<TTest, StatsError>, expected: &PairedT) -> Result<(), String> {
    let answer = answer.map_err(|error| {
        format!("expected Ok (t = {:e}, df = {}), got Err({error:?})", expected.t, expected.df)
    })?;
    if answer.df != expected.df as f64 {
        return Err(format!("df: got {}, expected {} (n − 1 for {n} pairs)", answer.df, expected.df));
    }
    if !is_close(answer.t, expected.t, T_ABSOLUTE, T_RELATIVE) {
        let ratio = answer.t / expected.t;
        let population = (n as f64 / (n as f64 - 1.0)).sqrt();
        let hint = if is_close(ratio, population, 0.0, 1e-9) {
            ": that is the population standard deviation; divide by n − 1, not n"
        } else if is_close(ratio, 1.0, 0.0, 1e-3) {
            ": close, but not within 1e-9; is the variance cancelling (Σd² − n·mean²)? use two passes or Welford"
        } else {
            ": t = mean(d) / (s / √n) over the differences d_i = a_i − b_i (a paired test, not Welch's)"
        };
        return Err(format!("t: got {:e}, expected {:e}{hint}", answer.t, expected.t));
    }
    check_p(answer.p_value, expected.ln_p)
}

/// Checks a p-value against the oracle's `ln p`.
fn check_p(actual: f64, ln_expected: f64) -> Result<(), String> {
    let expected = ln_expected.exp();
    if !(0.0..=1.0).contains(&actual) {
        return Err(format!("p-value {actual:e} is not a probability (expected {expected:e})"));
    }
    if ln_expected < P_FLOOR.ln() {
        return if actual <= P_FLOOR * (1.0 + P_RELATIVE) {
            Ok(())
        } else {
            Err(format!(
                "p-value: got {actual:e}, expected e^{ln_expected:.3} (below 1e-300, where any p ≤ 1e-300 passes)"
            ))
        };
    }
    if is_close(actual, expected, 0.0, P_RELATIVE) {
        return Ok(());
    }
    let hint = if actual == 0.0 {
        ": a p-value this small must not round to 0; compute the upper tail directly, not 1 − cdf"
    } else if is_close(actual, expected / 2.0, 0.0, 1e-3) {
        ": that is one-sided; the contract asks for P(|T| ≥ |t|), both tails"
    } else if expected < 1e-12 {
        ": the far tail needs the regularised incomplete beta computed in log space, not 1 − cdf"
    } else {
        ": P(|T| ≥ |t|) = I_x(df/2, 1/2) with x = df/(df + t²) (Student's t, not a normal approximation)"
    };
    Err(format!("p-value: got {actual:e}, expected {expected:e} (within {P_RELATIVE:e} relative){hint}"))
}

/// Runs the subject and fails the test unless it matches the oracle.
fn assert_matches_oracle(a: Vec<f64>, b: Vec<f64>) {
    let expected = oracle::paired_t_test(&a, &b).expect("test bug: the case must be valid");
    let n = a.len();
    let shown = format!("a = {}\n  b = {}", preview(&a), preview(&b));
    if let Err(message) = check(n, subject(a, b), &expected) {
        panic!("{message}\n  {shown}");
    }
}

/// The first values of a sample, for failure messages.
fn preview(values: &[f64]) -> String {
    let shown: Vec<String> = values.iter().take(6).map(|x| format!("{x:e}")).collect();
    format!("[{}{}] ({} values)", shown.join(", "), if values.len() > 6 { ", ..." } else { "" }, values.len())
}

/// Checks one published two-sided p-value for a sample built to have `t`.
fn assert_published(t: f64, df: usize, p: f64) {
    let (a, b) = samples::with_t(t, df);
    let answer =
        subject(a, b).unwrap_or_else(|error| panic!("t = {t}, df = {df}: expected Ok, got Err({error:?})"));
    assert!(
        is_close(answer.t, t, T_ABSOLUTE, T_RELATIVE),
        "df = {df}: t is {:e}, expected {t:e} (within 1e-9 relative): t = mean(d) / (s / √n) with s over n − 1",
        answer.t
    );
    if let Err(message) = check_p(answer.p_value, p.ln()) {
        panic!("t = {t}, df = {df}: {message}");
    }
}

fn assert_result(a: &[f64], b: &[f64], t: f64, df: f64, p: f64) {
    let answer = subject(a.to_vec(), b.to_vec());
    match answer {
        Ok(result) if is_close(result.t, t, T_ABSOLUTE, T_RELATIVE) && result.df == df => {
            if let Err(message) = check_p(result.p_value, p.ln()) {
                panic!("paired_t_test({a:?}, {b:?}): {message}");
            }
        }
        other => panic!("paired_t_test({a:?}, {b:?}): expected t = {t}, df = {df}, p = {p}; got {other:?}"),
    }
}

// ---------------------------------------------------------------- examples

#[test]
fn examples_differences_one_two_three() {
    let t = 2.0 * 3f64.sqrt();
    assert_result(&[2.0, 4.0, 6.0], &[1.0, 2.0, 3.0], t, 2.0, 1.0 - (12.0_f64 / 14.0).sqrt());
}

#[test]
fn examples_two_pairs_follow_the_cauchy_distribution() {
    let p = 1.0 - 2.0 / std::f64::consts::PI * 2f64.atan();
    assert_result(&[3.0, 5.0], &[2.0, 2.0], 2.0, 1.0, p);
}

#[test]
fn examples_five_seeds_of_two_models() {
    let a = [0.82, 0.85, 0.81, 0.84, 0.83];
    let b = [0.80, 0.82, 0.80, 0.83, 0.80];
    let p = 1.0 - 13.0 / 12.0 * (5.0_f64 / 6.0).sqrt();
    assert_result(&a, &b, 2.0 * 5f64.sqrt(), 4.0, p);
}

#[test]
fn examples_equal_differences_are_zero_variance() {
    expect_eq!(subject(vec![1.0, 2.0, 3.0], vec![3.0, 4.0, 5.0]), Err(StatsError::ZeroVariance));
}

#[test]
fn examples_swapping_the_samples_flips_t_and_keeps_p() {
    let p = 1.0 - (12.0_f64 / 14.0).sqrt();
    assert_result(&[1.0, 2.0, 3.0], &[2.0, 4.0, 6.0], -2.0 * 3f64.sqrt(), 2.0, p);
}

#[test]
fn examples_published_critical_values() {
    // The two-sided 5% critical values of textbook t tables (R: qt(0.975, df)),
    // and 2*pt(-t, df) at those rounded t values, from mpmath's betainc at 50 digits.
    let table = [
        (12.706_205, 1, 0.049999998966089025),
        (4.302_653, 2, 0.04999999418220447),
        (2.570_582, 5, 0.049_999_990_027_139_93),
        (2.228_139, 10, 0.04999998745288256),
        (2.042_272, 30, 0.05000004800461503),
        (0.5, 7, 0.6324071356892842),
        (10.0, 10, 1.589_553_175_596_412e-6),
        (50.0, 3, 1.7617152041271975e-5),
    ];
    for (t, df, p) in table {
        assert_published(t, df, p);
    }
}

// ---------------------------------------------------------------- edge

#[test]
fn edge_length_mismatch_reports_both_lengths() {
    expect_eq!(subject(vec![1.0, 2.0, 3.0], vec![1.0, 2.0]), Err(StatsError::LengthMismatch { a: 3, b: 2 }));
    expect_eq!(subject(vec![], vec![f64::NAN]), Err(StatsError::LengthMismatch { a: 0, b: 1 }));
}

#[test]
fn edge_fewer_than_two_pairs_is_too_few() {
    expect_eq!(subject(vec![], vec![]), Err(StatsError::TooFewPairs { pairs: 0 }));
    expect_eq!(subject(vec![1.0], vec![2.0]), Err(StatsError::TooFewPairs { pairs: 1 }));
    expect_eq!(subject(vec![f64::NAN], vec![2.0]), Err(StatsError::TooFewPairs { pairs: 1 }));
}

#[test]
fn edge_nan_or_infinity_on_either_side_is_non_finite() {
    for bad in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
        for position in 0..3 {
            let mut a = vec![1.0, 2.0, 4.0];
            a[position] = bad;
            expect_eq!(subject(a.clone(), vec![0.0; 3]), Err(StatsError::NonFinite), "a = {a:?}");
            expect_eq!(subject(vec![0.0; 3], a.clone()), Err(StatsError::NonFinite), "b = {a:?}");
        }
    }
}

#[test]
fn edge_a_difference_that_overflows_is_non_finite() {
    expect_eq!(subject(vec![1e308, 1.0], vec![-1e308, 2.0]), Err(StatsError::NonFinite));
    expect_eq!(subject(vec![1.0, -f64::MAX], vec![2.0, f64::MAX]), Err(StatsError::NonFinite));
}

#[test]
fn edge_non_finite_is_checked_before_zero_variance() {
    expect_eq!(subject(vec![f64::INFINITY, f64::INFINITY], vec![0.0, 0.0]), Err(StatsError::NonFinite));
    expect_eq!(subject(vec![f64::NAN, f64::NAN], vec![1.0, 1.0]), Err(StatsError::NonFinite));
}

#[test]
fn edge_zero_and_negative_zero_differences_are_equal() {
    expect_eq!(subject(vec![0.0, -0.0, 0.0], vec![0.0, 0.0, -0.0]), Err(StatsError::ZeroVariance));
}

#[test]
fn edge_equal_differences_are_zero_variance_even_when_rounding_says_otherwise() {
    // Ten differences of 0.1: a computed mean of 0.1 + 1 ulp leaves s ≈ 1e-17.
    expect_eq!(subject(vec![0.1; 10], vec![0.0; 10]), Err(StatsError::ZeroVariance));
    expect_eq!(subject(vec![0.7; 1000], vec![0.0; 1000]), Err(StatsError::ZeroVariance));
}

#[test]
fn edge_differences_equal_up_to_one_ulp_are_a_variance() {
    let above = f64::from_bits(0.1_f64.to_bits() + 1);
    let answer = subject(vec![0.1, 0.1, above], vec![0.0; 3]);
    assert!(matches!(answer, Ok(result) if result.t.is_finite() && result.t > 0.0), "got {answer:?}");
}

// ---------------------------------------------------------------- property

#[test]
fn property_matches_the_oracle_at_every_magnitude() {
    grade::run(EXERCISE, || {
        property::check(samples::paired_case(40), 256, |(a, b)| {
            let Ok(expected) = oracle::paired_t_test(&a, &b) else {
                return Ok(()); // an error case: the error tests cover those
            };
            if expected.t.abs() > 1e6 * (a.len() as f64).sqrt() {
                return Ok(()); // spread below a millionth of the mean: outside the contract
            }
            check(a.len(), paired_t_test(&a, &b), &expected).map_err(TestCaseError::fail)
        });
    });
}

#[test]
fn property_errors_come_in_the_contract_order() {
    let case = (0_usize..5, 0_usize..5, any::<u8>());
    grade::run(EXERCISE, move || {
        property::check(case, 256, |(len_a, len_b, poison)| {
            let (a, b) = poisoned(len_a, len_b, poison);
            let expected = oracle::expected_error(&a, &b);
            let actual = paired_t_test(&a, &b);
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

/// Samples spoiled by `poison`: bit 0 makes every difference equal, bit 1
/// puts a NaN in, bit 2 an infinity, bit 3 an overflowing difference, at a
/// position from the high bits.
fn poisoned(len_a: usize, len_b: usize, poison: u8) -> (Vec<f64>, Vec<f64>) {
    let equal = poison & 1 == 1;
    let mut a: Vec<f64> = (0..len_a).map(|i| if equal { i as f64 + 0.5 } else { (i * i) as f64 }).collect();
    let mut b: Vec<f64> = (0..len_b).map(|i| i as f64).collect();
    let position = usize::from(poison >> 4);
    if len_a > 0 {
        let at = position % len_a;
        if poison & 2 == 2 {
            a[at] = f64::NAN;
        } else if poison & 4 == 4 {
            a[at] = f64::INFINITY;
        } else if poison & 8 == 8 && len_b > at {
            a[at] = f64::MAX;
            b[at] = -f64::MAX;
        }
    }
    (a, b)
}

// ---------------------------------------------------------------- robust

#[test]
fn robust_differences_near_1e9_do_not_cancel() {
    let mut rng = rng_for("robust_differences_near_1e9");
    for n in [3, 10, 100, 10_000] {
        for spread in [1e3, 1e4, 1e6] {
            let (a, b) = samples::paired(&mut rng, n, 1e3, 1e9, spread);
            assert_matches_oracle(a, b);
        }
    }
}

#[test]
fn robust_large_levels_with_small_differences() {
    // Latencies in nanoseconds, or any score with a large common level: the
    // differences (about 0.5 ± 1) are exact, but sums of a and b are not,
    // so `mean(a) − mean(b)` or a sum that adds a pair instead of
    // subtracting it loses every digit of t.
    let mut rng = rng_for("robust_large_levels");
    for n in [3, 10, 101, 10_001] {
        let (a, b) = samples::paired(&mut rng, n, 1e12, 0.5, 1.0);
        assert_matches_oracle(a, b);
    }
}

#[test]
fn robust_magnitudes_from_subnormal_to_1e300() {
    let mut rng = rng_for("robust_magnitudes");
    let tiny = f64::from_bits(1);
    for scale in [tiny, 1e3 * tiny, 1e-310, 1e-300, 1e-150, 1.0, 1e150, 1e299] {
        for n in [2, 5, 50] {
            let (a, b) = samples::paired(&mut rng, n, 0.0, scale, scale);
            assert_matches_oracle(a, b);
        }
    }
    // Squares of 1e300 overflow, squares of 1e-200 underflow: neither may show.
    assert_matches_oracle(vec![1e300, 2e300, 4e300], vec![0.0; 3]);
    assert_matches_oracle(vec![1e-200, 3e-200, 2e-200], vec![0.0; 3]);
}

#[test]
fn robust_spread_at_a_millionth_of_the_mean() {
    let mut rng = rng_for("robust_spread_at_a_millionth");
    for n in [2, 10, 1000] {
        let (a, b) = samples::paired(&mut rng, n, 0.0, 1.0, 1e-6);
        assert_matches_oracle(a, b);
        let (a, b) = samples::paired(&mut rng, n, 0.0, -1e200, 1e194);
        assert_matches_oracle(a, b);
    }
}

#[test]
fn robust_far_tails_keep_their_relative_precision() {
    // 2*pt(-t, df), from mpmath's betainc at 50 digits: 1 − cdf gives 0 for all of these.
    let table = [
        (1e3, 10, 2.460824710173271e-26),
        (1e3, 100, 7.919618607947852e-202),
        (30.0, 1000, 1.5374687444043482e-141),
        (10.0, 100_000, 1.5633015300207278e-23),
    ];
    for (t, df, p) in table {
        assert_published(t, df, p);
    }
}

#[test]
fn robust_tails_below_1e300_may_be_anything_up_to_1e300() {
    for (t, df) in [(1e3, 1000), (40.0, 10_000), (1e6, 200)] {
        let (a, b) = samples::with_t(t, df);
        let answer = subject(a, b).unwrap_or_else(|error| panic!("t = {t}, df = {df}: got Err({error:?})"));
        let ln_p = oracle::ln_two_sided_p(answer.t, df as u64);
        if let Err(message) = check_p(answer.p_value, ln_p) {
            panic!("t = {t}, df = {df}: {message}");
        }
    }
}

#[test]
fn robust_p_values_across_degrees_of_freedom_and_t() {
    for df in [1, 2, 3, 4, 5, 7, 10, 30, 100, 1000, 20_000] {
        for t in [1e-6, 0.01, 0.5, 1.0, 2.0, 3.0, 5.0, 10.0, 30.0, 100.0, 1e3] {
            let (a, b) = samples::with_t(t, df);
            let answer =
                subject(a, b).unwrap_or_else(|error| panic!("t = {t}, df = {df}: got Err({error:?})"));
            let ln_p = oracle::ln_two_sided_p(answer.t, df as u64);
            if let Err(message) = check_p(answer.p_value, ln_p) {
                panic!("t = {t}, df = {df}: {message}");
            }
        }
    }
}

// ---------------------------------------------------------------- scale

#[test]
fn scale_a_million_pairs_in_time_and_accurate() {
    let mut rng = rng_for("scale_a_million_pairs");
    let (a, b) = samples::paired(&mut rng, 1_000_000, 1e9, 3e3, 1e6);
    let expected = oracle::paired_t_test(&a, &b).expect("valid samples");
    let answer = grade::run_within(EXERCISE, grade::SCALE_LIMIT, move || paired_t_test(&a, &b));
    if let Err(message) = check(1_000_000, answer, &expected) {
        panic!("1,000,000 pairs near 1e9: {message}");
    }
}

#[test]
fn scale_ten_thousand_small_tests_in_time() {
    let mut rng = rng_for("scale_ten_thousand_small_tests");
    let cases: Vec<(Vec<f64>, Vec<f64>)> =
        (0..10_000).map(|i| samples::paired(&mut rng, 2 + i % 50, 1.0, 0.05, 0.1)).collect();
    let probe = cases[17].clone();
    let answers = grade::run_within(EXERCISE, grade::SCALE_LIMIT, move || {
        cases.iter().map(|(a, b)| paired_t_test(a, b)).collect::<Vec<_>>()
    });
    let expected = oracle::paired_t_test(&probe.0, &probe.1).expect("valid samples");
    if let Err(message) = check(probe.0.len(), answers[17], &expected) {
        panic!("case 17 of 10,000: {message}");
    }
}
