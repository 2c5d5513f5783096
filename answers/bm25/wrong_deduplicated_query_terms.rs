//! Wrong: a repeated query term counted once.

const MISTAKE: Mistake = Mistake::DeduplicatedQueryTerms;

include!("../../answers/bm25/common.rs");
