//! Token sequences of varied lengths, as a tokenizer hands them to a batcher.
//!
//! Real token counts are skewed: most texts are short, a few are long.
//! [`skewed_lengths`] draws lengths from a clamped log-normal, which is what
//! makes padding policy matter (one long sequence in a batch of short ones
//! pads them all). The proptest strategies draw from few distinct lengths so
//! that ties, which `LongestFirst` must keep in input order, are common.

use proptest::prelude::*;
use rand::{Rng, RngExt};

/// The vocabulary size token ids are drawn below (GPT-2's).
pub const VOCABULARY: u32 = 50_257;

/// `count` lengths from 1 to `longest`, skewed short like real token counts:
/// a log-normal with median `longest / 8` and shape 0.9, clamped, so the
/// mean is near `longest / 6` and about one length in a hundred reaches
/// `longest`.
pub fn skewed_lengths(rng: &mut impl Rng, count: usize, longest: usize) -> Vec<usize> {
    let median = (longest as f64 / 8.0).max(1.0);
    (0..count)
        .map(|_| {
            let length = median * (0.9 * standard_normal(rng)).exp();
            (length.round() as usize).clamp(1, longest.max(1))
        })
        .collect()
}

/// `count` lengths drawn uniformly from `range` (inclusive).
pub fn uniform_lengths(
    rng: &mut impl Rng,
    count: usize,
    range: std::ops::RangeInclusive<usize>,
) -> Vec<usize> {
    (0..count).map(|_| rng.random_range(range.clone())).collect()
}

/// One sequence of random token ids (below [`VOCABULARY`]) per length.
pub fn sequences_of_lengths(rng: &mut impl Rng, lengths: &[usize]) -> Vec<Vec<u32>> {
    lengths.iter().map(|&length| (0..length).map(|_| rng.random_range(0..VOCABULARY)).collect()).collect()
}

/// `count` sequences with [`skewed_lengths`] from 1 to `longest`.
pub fn skewed_sequences(rng: &mut impl Rng, count: usize, longest: usize) -> Vec<Vec<u32>> {
    let lengths = skewed_lengths(rng, count, longest);
    sequences_of_lengths(rng, &lengths)
}

/// A standard normal sample (Box-Muller), so no extra distribution crate is needed.
fn standard_normal(rng: &mut impl Rng) -> f64 {
    let u: f64 = rng.random_range(f64::EPSILON..1.0);
    let v: f64 = rng.random_range(0.0..1.0);
    (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
}

/// A proptest strategy for up to `max_count` sequences of at most
/// `max_len` tokens (empty ones included). Lengths come from a handful of
/// values per case, so equal lengths are common; tokens are small ids, with
/// `0` and `u32::MAX` now and then so a pad id can collide with a real token.
pub fn sequences(max_count: usize, max_len: usize) -> impl Strategy<Value = Vec<Vec<u32>>> {
    prop::collection::vec(0..=max_len, 1..=4).prop_flat_map(move |palette| {
        let token = prop_oneof![8 => 1_u32..100, 1 => Just(0_u32), 1 => Just(u32::MAX)];
        let sequence = prop::sample::select(palette)
            .prop_flat_map(move |length| prop::collection::vec(token.clone(), length));
        prop::collection::vec(sequence, 0..=max_count)
    })
}

/// A proptest strategy for a whole `padded_batches` case: sequences (as
/// [`sequences`]), a batch size from 1 to `max_batch`, and a pad id (often
/// `0`, a real token id in [`sequences`]).
pub fn batching_case(
    max_count: usize,
    max_len: usize,
    max_batch: usize,
) -> impl Strategy<Value = (Vec<Vec<u32>>, usize, u32)> {
    let pad_id = prop_oneof![2 => Just(0_u32), 1 => any::<u32>()];
    (sequences(max_count, max_len), 1..=max_batch.max(1), pad_id)
}
