//! Rankings and relevance judgements for the `metrics` exercise.
//!
//! A query draws its documents from a small pool of ids, so rankings and
//! judgements overlap: some judged documents are retrieved, some are not,
//! some retrieved documents were never judged, and some judgements are
//! grade 0 (judged not relevant).

use std::collections::HashMap;

use proptest::prelude::*;
use rand::seq::SliceRandom;
use rand::{Rng, RngExt};

/// One query: a ranking of distinct ids and graded judgements (0 to 3).
pub fn query(rng: &mut impl Rng, pool: u64, ranked: usize, judged: usize) -> (Vec<u64>, HashMap<u64, u32>) {
    let mut ids: Vec<u64> = (0..pool.max((ranked + judged) as u64)).collect();
    ids.shuffle(rng);
    let ranking = ids[..ranked].to_vec();
    ids.shuffle(rng);
    let relevance = ids[..judged].iter().map(|&id| (id, rng.random_range(0..4_u32))).collect();
    (ranking, relevance)
}

/// Random queries for property tests: up to `max_ranked` distinct ids in
/// the ranking and up to `max_judged` judgements, over a pool of ids that
/// makes them overlap, sometimes spread over the whole `u64` range.
pub fn query_case(
    max_ranked: usize,
    max_judged: usize,
) -> impl Strategy<Value = (Vec<u64>, HashMap<u64, u32>)> {
    let ranking = proptest::collection::hash_set(0_u64..40, 0..=max_ranked);
    let judgements = proptest::collection::hash_map(0_u64..40, 0_u32..4, 0..=max_judged);
    (ranking, judgements, any::<bool>(), any::<u64>()).prop_map(|(ranking, judgements, huge, offset)| {
        // HashSet order is arbitrary but fixed per value: a fine ranking order.
        let shift =
            |id: u64| if huge { id.wrapping_mul(0x9E37_79B9_7F4A_7C15).wrapping_add(offset) } else { id };
        let ranking = ranking.into_iter().map(shift).collect();
        let judgements = judgements.into_iter().map(|(id, grade)| (shift(id), grade)).collect();
        (ranking, judgements)
    })
}
