//! Wrong: no length normalisation (as if b were 0).
//! Fails: examples_one_rare_term_scores_only_its_document: "avgdl"

const MISTAKE: Mistake = Mistake::NoLengthNormalisation;

include!("../../answers/bm25/common.rs");
