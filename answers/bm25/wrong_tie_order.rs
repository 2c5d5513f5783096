//! Wrong: equal scores higher index first.
//! Fails: edge_b_zero_ignores_length_and_b_one_normalises_fully: "lower index first"

const MISTAKE: Mistake = Mistake::TiesHigherIndexFirst;

include!("../../answers/bm25/common.rs");
