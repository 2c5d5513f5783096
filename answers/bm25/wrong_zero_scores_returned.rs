//! Wrong: search returns documents that score 0.

const MISTAKE: Mistake = Mistake::ZeroScoresReturned;

include!("../../answers/bm25/common.rs");
