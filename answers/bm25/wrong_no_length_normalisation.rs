//! Wrong: no length normalisation (as if b were 0).

const MISTAKE: Mistake = Mistake::NoLengthNormalisation;

include!("../../answers/bm25/common.rs");
