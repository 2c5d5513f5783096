//! Tolerant comparisons: when is a float answer right?
//!
//! Exact float equality would reject correct answers that sum in another
//! order, use FMA, or accumulate in f64. These checks accept every answer
//! within the contract's tolerance and say precisely why one is not.

use kata_types::Hit;

/// Whether `actual` is within `abs` absolute or `rel` relative error of
/// `expected` (approx's `relative_eq`: relative to the larger magnitude of
/// the two; equal infinities are close, NaN is close to nothing).
///
/// ```
/// use kata::tolerance::is_close;
/// assert!(is_close(1.000_001, 1.0, 1e-5, 0.0));
/// assert!(is_close(1000.1, 1000.0, 0.0, 1e-3));
/// assert!(is_close(f64::INFINITY, f64::INFINITY, 0.0, 0.0));
/// assert!(!is_close(f64::NAN, 1.0, 1e-5, 1e-5));
/// assert!(!is_close(1.1, 1.0, 1e-5, 1e-5));
/// ```
pub fn is_close(actual: f64, expected: f64, abs: f64, rel: f64) -> bool {
    approx::relative_eq!(actual, expected, epsilon = abs, max_relative = rel)
}

/// [`is_close`], or a message naming `what` and both values.
pub fn check_close(what: &str, actual: f64, expected: f64, abs: f64, rel: f64) -> Result<(), String> {
    if is_close(actual, expected, abs, rel) {
        Ok(())
    } else {
        Err(format!(
            "{what}: got {actual:e}, expected {expected:e} (off by {:e}; tolerance {abs:e} absolute, {rel:e} \
             relative){}",
            (actual - expected).abs(),
            non_finite_cause(actual)
        ))
    }
}

/// What a NaN or an infinity in an answer usually comes from, or "".
fn non_finite_cause(actual: f64) -> &'static str {
    if actual.is_nan() {
        ": NaN comes from 0 / 0, inf - inf or inf / inf: look for a division by a count, length or norm that \
         can be zero, or an intermediate that overflowed"
    } else if actual.is_infinite() {
        ": an infinity comes from an overflow or a division by zero"
    } else {
        ""
    }
}

/// Checks that `hits` is a valid top-`expected_len` of items whose exact
/// scores are `exact`, within `tolerance`:
///
/// 1. exactly `expected_len` hits, each a distinct index in range;
/// 2. each reported score within `tolerance` of its item's exact score;
/// 3. best first: reported scores never increase, and hits with bit-identical
///    scores come lower index first;
/// 4. the right items: no item left out is better, by more than twice the
///    tolerance (once for each side's rounding), than an item picked.
///
/// The caller decides which items may appear at all (for BM25, only those
/// with a positive score) through `expected_len` and its own checks.
pub fn check_top_k(hits: &[Hit], exact: &[f64], expected_len: usize, tolerance: f64) -> Result<(), String> {
    if hits.len() != expected_len {
        return Err(format!("expected {expected_len} hits, got {}: {hits:?}", hits.len()));
    }
    let mut picked = vec![false; exact.len()];
    for hit in hits {
        let Some(slot) = picked.get_mut(hit.index) else {
            return Err(format!("hit index {} is out of range: there are {} items", hit.index, exact.len()));
        };
        if std::mem::replace(slot, true) {
            return Err(format!("item {} is returned twice: {hits:?}", hit.index));
        }
        check_close(
            &format!("score of item {}", hit.index),
            f64::from(hit.score),
            exact[hit.index],
            tolerance,
            0.0,
        )?;
    }
    check_order(hits)?;
    check_selection(hits, exact, &picked, tolerance)
}

/// Best first, and bit-identical scores by lower index first.
fn check_order(hits: &[Hit]) -> Result<(), String> {
    for pair in hits.windows(2) {
        let (first, second) = (pair[0], pair[1]);
        let descending = first.score >= second.score;
        let tie_broken = first.score.to_bits() != second.score.to_bits() || first.index < second.index;
        if !descending {
            return Err(format!("hits are not best first: {first:?} comes before {second:?}"));
        }
        if !tie_broken {
            return Err(format!("equal scores must go lower index first: {first:?} comes before {second:?}"));
        }
    }
    Ok(())
}

/// No item left out beats an item picked by more than the rounding allows.
fn check_selection(hits: &[Hit], exact: &[f64], picked: &[bool], tolerance: f64) -> Result<(), String> {
    let Some(weakest) = hits.iter().min_by(|a, b| exact[a.index].total_cmp(&exact[b.index])) else {
        return Ok(());
    };
    let best_left_out =
        (0..exact.len()).filter(|&index| !picked[index]).max_by(|&a, &b| exact[a].total_cmp(&exact[b]));
    match best_left_out {
        Some(index) if exact[index] > exact[weakest.index] + 2.0 * tolerance => Err(format!(
            "item {index} (exact score {:e}) was left out, but item {} (exact score {:e}) was picked",
            exact[index], weakest.index, exact[weakest.index]
        )),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_nan_or_infinite_answer_says_where_such_values_come_from() {
        let nan = check_close("score", f64::NAN, 1.0, 1e-5, 0.0).expect_err("NaN is never close");
        assert!(nan.contains("NaN comes from 0 / 0"), "{nan}");
        let inf = check_close("score", f64::INFINITY, 1.0, 1e-5, 0.0).expect_err("inf is not close to 1");
        assert!(inf.contains("overflow or a division by zero"), "{inf}");
        let plain = check_close("score", 2.0, 1.0, 1e-5, 0.0).expect_err("2 is not close to 1");
        assert!(!plain.contains("comes from"), "{plain}");
    }

    fn hits(pairs: &[(usize, f32)]) -> Vec<Hit> {
        pairs.iter().map(|&(index, score)| Hit { index, score }).collect()
    }

    #[test]
    fn accepts_a_valid_top_k() {
        let exact = [0.1, 0.9, 0.5, 0.9];
        assert_eq!(check_top_k(&hits(&[(1, 0.9), (3, 0.9)]), &exact, 2, 1e-5), Ok(()));
    }

    #[test]
    fn accepts_either_item_at_a_cut_within_tolerance() {
        let exact = [0.5, 0.500_001, 0.1];
        assert_eq!(check_top_k(&hits(&[(0, 0.5)]), &exact, 1, 1e-5), Ok(()));
    }

    #[test]
    fn rejects_each_kind_of_wrong_answer() {
        let exact = [0.1, 0.9, 0.5, 0.9];
        let wrong = [
            hits(&[(1, 0.9)]),           // too few
            hits(&[(1, 0.9), (1, 0.9)]), // duplicate
            hits(&[(1, 0.9), (7, 0.9)]), // out of range
            hits(&[(1, 0.9), (3, 0.8)]), // wrong score
            hits(&[(2, 0.5), (1, 0.9)]), // ascending
            hits(&[(3, 0.9), (1, 0.9)]), // tie order
            hits(&[(1, 0.9), (2, 0.5)]), // missed item 3
        ];
        for answer in wrong {
            assert!(check_top_k(&answer, &exact, 2, 1e-5).is_err(), "{answer:?} was accepted");
        }
    }
}
