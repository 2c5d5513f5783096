//! Hidden tests for the `{name}` exercise (`exercises/src/{name}.rs`).
//!
//! Tiers, by name prefix: `examples_`, `edge_`, `property_`, `robust_`, `scale_`.

use kata::subject::{name}::{{Camel}Error, solve};
use kata::{grade, property};
use proptest::prelude::*;

const EXERCISE: &str = "{name}";

/// The subject's answer, under the time limit.
fn subject(values: Vec<u32>) -> Result<u64, {Camel}Error> {
    grade::run(EXERCISE, move || solve(&values))
}

#[test]
fn examples_one_two_three_add_up_to_six() {
    kata::expect_eq!(subject(vec![1, 2, 3]), Ok(6), "solve(&[1, 2, 3])");
}

#[test]
fn edge_no_values_is_an_error() {
    kata::expect_eq!(subject(vec![]), Err({Camel}Error::Empty), "solve(&[])");
}

#[test]
fn property_matches_a_plain_sum() {
    grade::run(EXERCISE, || {
        property::check(proptest::collection::vec(any::<u32>(), 1..64), 256, |values| {
            let expected: u64 = values.iter().map(|&value| u64::from(value)).sum();
            prop_assert_eq!(solve(&values), Ok(expected), "values = {:?}", values);
            Ok(())
        });
    });
}

#[test]
fn robust_the_largest_values_do_not_overflow() {
    let expected = 4 * u64::from(u32::MAX);
    kata::expect_eq!(subject(vec![u32::MAX; 4]), Ok(expected), "sum in u64: four u32::MAX overflow a u32");
}

#[test]
fn scale_a_million_values() {
    let answer = grade::run_within(EXERCISE, grade::SCALE_LIMIT, || solve(&vec![1; 1_000_000]));
    kata::expect_eq!(answer, Ok(1_000_000), "solve(&[1; 1_000_000])");
}
