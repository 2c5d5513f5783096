//! Property tests driven by the run's seed.
//!
//! [`check`] is `proptest` with two changes that matter for grading: cases
//! come from `KATA_SEED` (so a reviewer's secret seed draws new ones and a
//! failure can be replayed), and a stub fails at once on the first case
//! instead of being shrunk through hundreds of panics.

use std::fmt::Debug;

use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestRng, TestRunner};
use rand::Rng;

use crate::seed;

/// Runs `property` on `cases` inputs drawn from `strategy`; on failure,
/// shrinks to a smallest failing input and panics with it and the seed.
///
/// Call it inside [`crate::grade::run`] so that the time limit covers it.
///
/// # Panics
/// When the property fails: that is how it fails the test.
pub fn check<S>(strategy: S, cases: u32, property: impl Fn(S::Value) -> Result<(), TestCaseError>)
where
    S: Strategy,
    S::Value: Debug,
{
    let label = seed::current_label();
    let mut runner = runner(&label, cases);
    smoke_test(&strategy, &mut runner, &property);
    if let Err(error) = runner.run(&strategy, property) {
        panic!("{}\n({})", shorten(&error.to_string(), MAX_MESSAGE), seed::replay_hint());
    }
}

/// The longest failure message shown, in bytes: a shrunk input can still
/// be a long document, and one screen of it says enough.
const MAX_MESSAGE: usize = 1_500;

/// `text`, with its middle cut out when it is longer than `max` bytes.
///
/// ```
/// let long = "a".repeat(50) + &"b".repeat(50);
/// let short = kata::property::shorten(&long, 20);
/// assert!(short.starts_with("aaaaaaaaaa") && short.ends_with("bbbbbbbbbb"));
/// assert!(short.contains("80 bytes cut"));
/// assert_eq!(kata::property::shorten("short", 20), "short");
/// ```
pub fn shorten(text: &str, max: usize) -> String {
    if text.len() <= max {
        return text.to_owned();
    }
    let mut head = max / 2;
    while !text.is_char_boundary(head) {
        head -= 1;
    }
    let mut tail = text.len() - max / 2;
    while !text.is_char_boundary(tail) {
        tail += 1;
    }
    format!("{} [... {} bytes cut ...] {}", &text[..head], tail - head, &text[tail..])
}

/// A runner whose random stream comes from the seed and the test's label.
fn runner(label: &str, cases: u32) -> TestRunner {
    let mut seed_bytes = [0_u8; 32];
    seed::rng_for(label).fill_bytes(&mut seed_bytes);
    let config = Config { cases, failure_persistence: None, max_shrink_time: 20_000, ..Config::default() };
    TestRunner::new_with_rng(config, TestRng::from_seed(RngAlgorithm::ChaCha, &seed_bytes))
}

/// Calls the property once, outside proptest's panic catching, so that a
/// stub's `todo!()` reaches the grader directly (proptest would shrink it).
fn smoke_test<S: Strategy>(
    strategy: &S,
    runner: &mut TestRunner,
    property: &impl Fn(S::Value) -> Result<(), TestCaseError>,
) {
    // A case that fails here is reported again, shrunk, by the full run.
    if let Ok(tree) = strategy.new_tree(runner) {
        let _ = property(tree.current());
    }
}
