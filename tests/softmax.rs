//! Hidden tests for the `softmax` exercise (`exercises/src/softmax.rs`).
//!
//! Tiers, by name prefix: `examples_` (the statement's examples), `edge_`
//! (every error and its order, empty and one-class inputs, strided views),
//! `property_` (random logits from 1e-3 to 1e30 with masked classes, against
//! an f64 oracle), `robust_` (logits up to 3e38, rows wider than f32 holds,
//! probabilities that underflow, masked targets), `scale_` (a language-model
//! batch: 256 rows over a 32,000-token vocabulary).

use kata::expect_eq;
use kata::generate::logits::{logits_and_targets, to_matrix, uniform_logits};
use kata::grade;
use kata::ndarray::{Array2, ArrayView2, array, s};
use kata::oracle::softmax as oracle;
use kata::property;
use kata::seed::rng_for;
use kata::subject::softmax::{LossError, cross_entropy, cross_entropy_with_grad, log_softmax};
use kata::tolerance::is_close;
use proptest::prelude::*;

const EXERCISE: &str = "softmax";

/// The contract's accuracy: `1e-5 · max(1, |exact|)`.
const TOLERANCE: f64 = 1e-5;

fn subject_log_softmax(logits: Array2<f32>) -> Result<Array2<f32>, LossError> {
    grade::run(EXERCISE, move || log_softmax(logits.view()))
}

fn subject_loss(logits: Array2<f32>, targets: Vec<usize>) -> Result<f32, LossError> {
    grade::run(EXERCISE, move || cross_entropy(logits.view(), &targets))
}

fn subject_with_grad(logits: Array2<f32>, targets: Vec<usize>) -> Result<(f32, Array2<f32>), LossError> {
    grade::run(EXERCISE, move || cross_entropy_with_grad(logits.view(), &targets))
}

/// Whether `actual` is the f32 the contract allows for the exact `expected`:
/// within the tolerance, or the same infinity when `|expected|` exceeds
/// `f32::MAX`. Near `f32::MAX` rounding decides: a value within the tolerance
/// of the overflow threshold may round either to `±f32::MAX` or to infinity.
fn is_accurate(actual: f32, expected: f64) -> bool {
    let within = is_close(f64::from(actual), expected, TOLERANCE, TOLERANCE);
    let same_infinity = actual.is_infinite() && (f64::from(actual) > 0.0) == (expected > 0.0);
    let may_overflow = expected.abs() >= f64::from(f32::MAX) * (1.0 - TOLERANCE);
    if expected.abs() > f64::from(f32::MAX) {
        return same_infinity || (within && actual.is_finite());
    }
    within || (may_overflow && same_infinity)
}

/// The first entry of `actual` the contract does not allow, with a hint.
fn check_matrix(what: &str, actual: ArrayView2<f32>, expected: ArrayView2<f64>) -> Result<(), String> {
    if actual.dim() != expected.dim() {
        return Err(format!("{what} has shape {:?}, expected {:?}", actual.dim(), expected.dim()));
    }
    for ((index, &got), &want) in actual.indexed_iter().zip(expected) {
        if !is_accurate(got, want) {
            return Err(format!("{what}{index:?} = {got:e}, expected {want:e}{}", hint(got, want)));
        }
    }
    Ok(())
}

/// The usual cause of a wrong value.
fn hint(got: f32, want: f64) -> &'static str {
    if got.is_nan() {
        " (NaN: subtract the row's maximum before exp, and a masked -inf class must give -inf, not NaN)"
    } else if got.is_infinite() && want.abs() > f64::from(f32::MAX) / 2.0 {
        " (infinite, yet f32 holds the exact value: x - max overflows f32 when a row spans more than f32 \
         holds; take that difference, and the mean, in f64)"
    } else if got == f32::NEG_INFINITY && want.is_finite() {
        " (-inf: a probability underflowed to 0 before its log was taken; compute x - max - ln(sum) instead)"
    } else {
        ""
    }
}

fn check_loss(actual: f32, expected: f64) -> Result<(), String> {
    if is_accurate(actual, expected) {
        Ok(())
    } else {
        Err(format!("loss = {actual:e}, expected {expected:e}{}", hint(actual, expected)))
    }
}

/// The first rows and columns of a matrix, for failure messages.
fn preview(logits: ArrayView2<f32>) -> String {
    let shown = logits.slice(s![..logits.nrows().min(4), ..logits.ncols().min(6)]);
    format!("{shown:e} (shape {:?})", logits.dim())
}

fn assert_log_softmax(logits: Array2<f32>) {
    let expected = oracle::log_softmax(logits.view()).expect("test bug: valid logits");
    let actual = subject_log_softmax(logits.clone()).expect("valid logits must give Ok");
    if let Err(message) = check_matrix("log_softmax", actual.view(), expected.view()) {
        panic!("{message}\n  logits = {}", preview(logits.view()));
    }
}

fn assert_loss_and_grad(logits: Array2<f32>, targets: Vec<usize>) {
    let (loss, grad) =
        oracle::cross_entropy_with_grad(logits.view(), &targets).expect("test bug: valid logits");
    let check = || -> Result<(), String> {
        check_loss(
            subject_loss(logits.clone(), targets.clone()).map_err(|e| format!("cross_entropy: {e:?}"))?,
            loss,
        )
        .map_err(|m| format!("cross_entropy: {m}"))?;
        let (actual_loss, actual_grad) = subject_with_grad(logits.clone(), targets.clone())
            .map_err(|e| format!("cross_entropy_with_grad: {e:?}"))?;
        check_loss(actual_loss, loss).map_err(|m| format!("cross_entropy_with_grad: {m}"))?;
        check_matrix("gradient", actual_grad.view(), grad.view())
            .map_err(|m| format!("{m} (the gradient is that of the MEAN loss: (softmax - onehot) / rows)"))
    };
    if let Err(message) = check() {
        panic!("{message}\n  logits = {}\n  targets = {targets:?}", preview(logits.view()));
    }
}

// ---------------------------------------------------------------- examples

#[test]
fn examples_equal_logits_give_ln_one_half() {
    assert_log_softmax(array![[0.0, 0.0]]);
}

#[test]
fn examples_one_two_three() {
    let actual = subject_log_softmax(array![[1.0, 2.0, 3.0]]).expect("valid logits");
    let expected = array![[-2.407_606, -1.407_606, -0.407_606]];
    check_matrix("log_softmax([[1, 2, 3]])", actual.view(), expected.view())
        .unwrap_or_else(|m| panic!("{m}"));
}

#[test]
fn examples_a_logit_of_1e4_does_not_overflow() {
    let actual = subject_log_softmax(array![[1e4, 0.0]]).expect("valid logits");
    expect_eq!(
        actual,
        array![[0.0, -1e4]],
        "exp(1e4) overflows f32: subtract the row maximum first, and never take the log of a probability"
    );
}

#[test]
fn examples_a_masked_class_gets_minus_infinity() {
    let actual = subject_log_softmax(array![[0.0, f32::NEG_INFINITY]]).expect("-inf logits are allowed");
    expect_eq!(
        actual,
        array![[0.0, f32::NEG_INFINITY]],
        "a masked class has log-probability -inf, never NaN"
    );
}

#[test]
fn examples_cross_entropy_values() {
    assert_loss_and_grad(array![[0.0, 0.0]], vec![1]);
    let loss = subject_loss(array![[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]], vec![2, 0]).expect("valid logits");
    assert!(
        (loss - 0.753_109_1).abs() < 1e-5,
        "got {loss}, expected (0.4076059 + 1.0986123) / 2 = 0.7531091"
    );
}

#[test]
fn examples_a_masked_target_gives_infinite_loss() {
    let loss = subject_loss(array![[0.0, f32::NEG_INFINITY]], vec![1]);
    expect_eq!(loss, Ok(f32::INFINITY), "the target's probability is 0: its loss is +inf");
}

#[test]
fn examples_gradient_is_that_of_the_mean_loss() {
    let (loss, grad) = subject_with_grad(array![[0.0, 0.0]], vec![1]).expect("valid logits");
    assert!((loss - std::f32::consts::LN_2).abs() < 1e-6, "loss {loss}, expected ln 2");
    expect_eq!(grad, array![[0.5, -0.5]]);
    let (_, grad) = subject_with_grad(array![[0.0, 0.0], [0.0, 0.0]], vec![0, 1]).expect("valid logits");
    expect_eq!(
        grad,
        array![[-0.25, 0.25], [0.25, -0.25]],
        "the gradient of the mean over 2 rows is (softmax - onehot) / 2, not the gradient of the sum"
    );
}

// ---------------------------------------------------------------- edge

#[test]
fn edge_shape_mismatch_comes_first() {
    let mismatch = Err(LossError::ShapeMismatch { rows: 2, targets: 1 });
    expect_eq!(subject_loss(array![[f32::NAN], [0.0]], vec![5]), mismatch);
    expect_eq!(subject_with_grad(array![[f32::NAN], [0.0]], vec![5]).map(|(l, _)| l), mismatch);
    let empty_mismatch = Err(LossError::ShapeMismatch { rows: 0, targets: 1 });
    expect_eq!(subject_loss(Array2::zeros((0, 3)), vec![0]), empty_mismatch, "ShapeMismatch before Empty");
}

#[test]
fn edge_zero_rows_or_zero_columns_is_empty() {
    for shape in [(0, 3), (2, 0), (0, 0)] {
        let logits = Array2::<f32>::zeros(shape);
        let targets = vec![0; shape.0];
        expect_eq!(subject_log_softmax(logits.clone()), Err(LossError::Empty), "log_softmax of {shape:?}");
        expect_eq!(
            subject_loss(logits.clone(), targets.clone()),
            Err(LossError::Empty),
            "cross_entropy of {shape:?}"
        );
        expect_eq!(
            subject_with_grad(logits, targets).map(|(l, _)| l),
            Err(LossError::Empty),
            "with_grad of {shape:?}"
        );
    }
}

#[test]
fn edge_target_out_of_range() {
    let expected = Err(LossError::TargetOutOfRange { row: 1, target: 3, classes: 3 });
    expect_eq!(subject_loss(Array2::zeros((2, 3)), vec![0, 3]), expected);
    expect_eq!(subject_with_grad(Array2::zeros((2, 3)), vec![0, 3]).map(|(l, _)| l), expected);
}

#[test]
fn edge_nan_or_plus_infinity_is_non_finite() {
    for bad in [f32::NAN, f32::INFINITY] {
        let logits = array![[0.0, 1.0], [2.0, bad]];
        expect_eq!(
            subject_log_softmax(logits.clone()),
            Err(LossError::NonFinite { row: 1 }),
            "{bad} in row 1"
        );
        expect_eq!(subject_loss(logits.clone(), vec![0, 0]), Err(LossError::NonFinite { row: 1 }));
        expect_eq!(
            subject_with_grad(logits, vec![0, 0]).map(|(l, _)| l),
            Err(LossError::NonFinite { row: 1 })
        );
    }
}

#[test]
fn edge_a_row_of_minus_infinity_has_no_finite_logit() {
    let logits = array![[0.0, 1.0], [f32::NEG_INFINITY, f32::NEG_INFINITY]];
    let expected = LossError::NoFiniteLogit { row: 1 };
    let hint = "an all -inf row is an error, not a row of NaN";
    expect_eq!(subject_log_softmax(logits.clone()), Err(expected), "{hint}");
    expect_eq!(subject_loss(logits.clone(), vec![0, 0]), Err(expected), "{hint}");
    expect_eq!(subject_with_grad(logits, vec![0, 0]).map(|(l, _)| l), Err(expected), "{hint}");
}

#[test]
fn edge_errors_within_a_row_come_in_the_contract_order() {
    let nan_and_masked = array![[f32::NEG_INFINITY, f32::NAN]];
    expect_eq!(
        subject_log_softmax(nan_and_masked.clone()),
        Err(LossError::NonFinite { row: 0 }),
        "NonFinite before NoFiniteLogit"
    );
    expect_eq!(
        subject_loss(nan_and_masked, vec![2]),
        Err(LossError::TargetOutOfRange { row: 0, target: 2, classes: 2 }),
        "TargetOutOfRange before NonFinite"
    );
    let all_masked = array![[f32::NEG_INFINITY, f32::NEG_INFINITY]];
    expect_eq!(
        subject_loss(all_masked, vec![9]),
        Err(LossError::TargetOutOfRange { row: 0, target: 9, classes: 2 }),
        "TargetOutOfRange before NoFiniteLogit"
    );
}

#[test]
fn edge_rows_are_checked_top_to_bottom() {
    let logits = array![[0.0, 0.0], [f32::NEG_INFINITY, f32::NEG_INFINITY], [f32::NAN, 0.0]];
    expect_eq!(subject_log_softmax(logits.clone()), Err(LossError::NoFiniteLogit { row: 1 }));
    expect_eq!(subject_loss(logits.clone(), vec![0, 0, 0]), Err(LossError::NoFiniteLogit { row: 1 }));
    expect_eq!(
        subject_with_grad(logits, vec![0, 0, 7]).map(|(l, _)| l),
        Err(LossError::NoFiniteLogit { row: 1 }),
        "row 1's error comes before row 2's, whatever its kind"
    );
}

#[test]
fn edge_one_class_is_certain() {
    assert_log_softmax(array![[5.0], [-3e30]]);
    assert_loss_and_grad(array![[5.0], [-3e30]], vec![0, 0]);
}

#[test]
fn edge_strided_and_transposed_views_are_accepted() {
    let base = array![[1.0_f32, 4.0], [2.0, 5.0], [3.0, f32::NEG_INFINITY]];
    let transposed = base.t().to_owned();
    let expected = oracle::cross_entropy_with_grad(transposed.view(), &[2, 0]).expect("valid");
    let (loss, grad) = grade::run(EXERCISE, move || cross_entropy_with_grad(base.t(), &[2, 0]))
        .expect("a transposed view is valid input");
    check_loss(loss, expected.0)
        .and_then(|()| check_matrix("gradient", grad.view(), expected.1.view()))
        .unwrap_or_else(|m| panic!("{m}"));
    let every_other = array![[1.0_f32, 9.0, 2.0, 9.0, 3.0]];
    let expected = oracle::log_softmax(array![[1.0_f32, 2.0, 3.0]].view()).expect("valid");
    let actual = grade::run(EXERCISE, move || log_softmax(every_other.slice(s![.., ..;2])))
        .expect("a strided view is valid input");
    check_matrix("log_softmax", actual.view(), expected.view()).unwrap_or_else(|m| panic!("{m}"));
}

// ---------------------------------------------------------------- property

#[test]
fn property_log_softmax_matches_the_f64_oracle() {
    grade::run(EXERCISE, || {
        property::check(logits_and_targets(6, 40), 256, |(rows, _)| {
            let logits = to_matrix(&rows, rows[0].len());
            let expected =
                oracle::log_softmax(logits.view()).ok_or_else(|| TestCaseError::fail("test bug"))?;
            let actual =
                log_softmax(logits.view()).map_err(|e| TestCaseError::fail(format!("got Err({e:?})")))?;
            check_matrix("log_softmax", actual.view(), expected.view()).map_err(TestCaseError::fail)
        });
    });
}

#[test]
fn property_loss_and_gradient_match_the_f64_oracle() {
    grade::run(EXERCISE, || {
        property::check(logits_and_targets(6, 40), 256, |(rows, targets)| {
            let logits = to_matrix(&rows, rows[0].len());
            let (loss, grad) = oracle::cross_entropy_with_grad(logits.view(), &targets)
                .ok_or_else(|| TestCaseError::fail("test bug"))?;
            let fail = |e: LossError| TestCaseError::fail(format!("got Err({e:?})"));
            check_loss(cross_entropy(logits.view(), &targets).map_err(fail)?, loss)
                .map_err(|m| TestCaseError::fail(format!("cross_entropy: {m}")))?;
            let (actual_loss, actual_grad) =
                cross_entropy_with_grad(logits.view(), &targets).map_err(fail)?;
            check_loss(actual_loss, loss)
                .map_err(|m| TestCaseError::fail(format!("cross_entropy_with_grad: {m}")))?;
            check_matrix("gradient", actual_grad.view(), grad.view()).map_err(TestCaseError::fail)
        });
    });
}

// ---------------------------------------------------------------- robust

#[test]
fn robust_logits_up_to_3e38_neither_overflow_nor_lose_precision() {
    let mut rng = rng_for("robust_logits_up_to_3e38");
    for scale in [1e2, 1e4, 1e10, 1e30, 3e38] {
        let logits = uniform_logits(&mut rng, 4, 50, scale);
        assert_log_softmax(logits.clone());
        assert_loss_and_grad(logits, vec![0, 7, 49, 3]);
    }
}

#[test]
fn robust_a_row_wider_than_f32_holds_gives_infinities() {
    let logits = array![[3e38, -3e38], [-3e38, 3e38]];
    assert_log_softmax(logits.clone());
    assert_loss_and_grad(logits.clone(), vec![0, 0]);
    expect_eq!(subject_loss(logits, vec![1, 0]), Ok(f32::INFINITY), "a loss of 6e38 exceeds f32::MAX: +inf");
}

#[test]
fn robust_underflowing_probabilities_keep_exact_log_probabilities() {
    let logits = array![[0.0, -1e4, -200.0, -104.0, -88.0], [1e4, 0.0, 9_900.0, 9_999.0, 1e4]];
    assert_log_softmax(logits.clone());
    assert_loss_and_grad(logits, vec![1, 1]);
}

#[test]
fn robust_masked_classes_and_masked_targets() {
    let inf = f32::NEG_INFINITY;
    let logits = array![[inf, 2.0, inf, -1.0], [inf, inf, 0.5, inf], [3e30, inf, -3e30, 1.0]];
    assert_log_softmax(logits.clone());
    assert_loss_and_grad(logits.clone(), vec![1, 2, 0]);
    let (loss, grad) = subject_with_grad(logits, vec![0, 2, 0]).expect("a masked target is valid");
    expect_eq!(loss, f32::INFINITY, "a masked target's loss is +inf");
    assert!(grad.iter().all(|g| g.is_finite()), "the gradient stays finite with a masked target: {grad}");
    assert!(
        (grad[[0, 0]] + 1.0 / 3.0).abs() < 1e-6,
        "masked target: grad = (0 - 1) / rows, got {}",
        grad[[0, 0]]
    );
}

/// Rows far longer than a vector register of large logits: the maximum
/// must cover every logit of the row (every block of an online or
/// vectorised maximum), or the exps overflow.
#[test]
fn robust_long_rows_of_large_logits_do_not_overflow() {
    let mut rng = rng_for("robust_long_rows_of_large_logits");
    let logits = uniform_logits(&mut rng, 3, 5_000, 1e4);
    assert_log_softmax(logits.clone());
    assert_loss_and_grad(logits, vec![0, 2_500, 4_999]);
}

#[test]
fn robust_long_rows_sum_accurately() {
    let mut rng = rng_for("robust_long_rows");
    let logits = uniform_logits(&mut rng, 2, 200_000, 1e-3);
    assert_loss_and_grad(logits, vec![0, 199_999]);
}

#[test]
fn robust_many_logits_near_minus_ten_need_an_accurate_exp() {
    // Each row: its target at 0 and 31,999 logits in [-10.5, -9.5). Their
    // exps (about 4.7e-5 each) add up to half the row's sum, so an `exp`
    // off by a few parts in a million there (a range reduction with the
    // wrong sign on its small term, a polynomial of too low a degree) moves
    // the loss past the tolerance.
    let mut rng = rng_for("robust_many_logits_near_minus_ten");
    let mut logits = uniform_logits(&mut rng, 2, 32_000, 0.5) - 10.0;
    logits.column_mut(0).fill(0.0);
    assert_loss_and_grad(logits, vec![0, 0]);
}

// ---------------------------------------------------------------- scale

#[test]
fn scale_a_language_model_batch_in_time_and_accurate() {
    let mut rng = rng_for("scale_language_model_batch");
    let (rows, vocabulary) = (256, 32_000);
    let logits = uniform_logits(&mut rng, rows, vocabulary, 20.0);
    let targets: Vec<usize> = (0..rows).map(|r| (r * 7_919) % vocabulary).collect();
    let (loss, grad) = oracle::cross_entropy_with_grad(logits.view(), &targets).expect("valid logits");
    let (subject_logits, subject_targets) = (logits.clone(), targets.clone());
    let (actual_loss, actual_grad) = grade::run_within(EXERCISE, grade::SCALE_LIMIT, move || {
        cross_entropy_with_grad(subject_logits.view(), &subject_targets)
    })
    .expect("valid logits");
    check_loss(actual_loss, loss).unwrap_or_else(|m| panic!("{m}"));
    check_matrix("gradient", actual_grad.view(), grad.view()).unwrap_or_else(|m| panic!("{m}"));
}
