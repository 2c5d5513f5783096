//! Wrong: k1 = 0 (and -0.0) rejected.

const MISTAKE: Mistake = Mistake::ZeroK1Rejected;

include!("../../answers/bm25/common.rs");
