//! Wrong: equal scores higher index first.

const MISTAKE: Mistake = Mistake::TiesHigherIndexFirst;

include!("../../answers/bm25/common.rs");
