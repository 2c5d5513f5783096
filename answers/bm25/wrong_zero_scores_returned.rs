//! Wrong: search returns documents that score 0.
//! Fails: edge_b_zero_ignores_length_and_b_one_normalises_fully: "only documents with a score > 0"

const MISTAKE: Mistake = Mistake::ZeroScoresReturned;

include!("../../answers/bm25/common.rs");
