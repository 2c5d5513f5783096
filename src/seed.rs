//! One seed for every random case: `KATA_SEED`.
//!
//! Runs repeat: without `KATA_SEED` every test draws the same cases. A
//! reviewer sets a secret seed to draw cases the candidate never saw, and a
//! failing test prints the seed so that anyone can replay it.
//!
//! Each test gets its own generator, derived from the seed and a label (the
//! test's name), so a case does not depend on which other tests ran first.

use std::sync::OnceLock;

use rand::SeedableRng;
use rand::rngs::StdRng;

/// The seed used when `KATA_SEED` is not set.
pub const DEFAULT_SEED: u64 = 0x4B41_5441; // "KATA"

/// The environment variable that overrides [`DEFAULT_SEED`].
pub const SEED_VARIABLE: &str = "KATA_SEED";

/// The run's seed: `KATA_SEED` (decimal, or hex with `0x`), else [`DEFAULT_SEED`].
///
/// # Panics
/// When `KATA_SEED` is set but is not a number: a mistyped secret seed must
/// not silently fall back to the public one.
pub fn seed() -> u64 {
    static SEED: OnceLock<u64> = OnceLock::new();
    *SEED.get_or_init(|| match std::env::var(SEED_VARIABLE) {
        Ok(text) => parse_seed(&text)
            .unwrap_or_else(|| panic!("{SEED_VARIABLE}={text:?} is not a number (decimal, or hex with 0x)")),
        Err(_) => DEFAULT_SEED,
    })
}

/// Parses a seed written in decimal or, with a `0x` prefix, in hex.
///
/// ```
/// assert_eq!(kata::seed::parse_seed("42"), Some(42));
/// assert_eq!(kata::seed::parse_seed(" 0xff "), Some(255));
/// assert_eq!(kata::seed::parse_seed("seven"), None);
/// ```
pub fn parse_seed(text: &str) -> Option<u64> {
    let text = text.trim();
    match text.strip_prefix("0x").or_else(|| text.strip_prefix("0X")) {
        Some(hex) => u64::from_str_radix(hex, 16).ok(),
        None => text.parse().ok(),
    }
}

/// A generator for one test, derived from the run's seed and `label`.
pub fn rng_for(label: &str) -> StdRng {
    StdRng::seed_from_u64(mix(seed(), label))
}

/// The label of the running test: the name of its thread, which the test
/// harness sets to the test's path (`examples_orthogonal_vectors`, ...).
pub fn current_label() -> String {
    let thread = std::thread::current();
    let name = thread.name().unwrap_or("kata");
    // The grader runs the code under test on a thread named after the test.
    name.strip_prefix(crate::grade::SUBJECT_THREAD).unwrap_or(name).to_owned()
}

/// How to replay a failure: the line a failing test prints.
pub fn replay_hint() -> String {
    format!("replay with {SEED_VARIABLE}={}", display(seed()))
}

/// A seed as people write it: hex, as reviewers' secret seeds are given.
///
/// ```
/// assert_eq!(kata::seed::display(0x5eed1234), "0x5eed1234");
/// assert_eq!(kata::seed::parse_seed(&kata::seed::display(42)), Some(42));
/// ```
pub fn display(seed: u64) -> String {
    format!("{seed:#x}")
}

/// Mixes a label into the seed with FNV-1a, stable across Rust versions
/// (unlike `DefaultHasher`), then through one splitmix64 round.
fn mix(seed: u64, label: &str) -> u64 {
    let hash = label.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    });
    let mut z = seed ^ hash;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_give_independent_streams() {
        assert_ne!(mix(1, "a"), mix(1, "b"));
        assert_ne!(mix(1, "a"), mix(2, "a"));
        assert_eq!(mix(7, "same"), mix(7, "same"));
    }
}
