//! Wrong: Vec::with_capacity(k) panics for a huge k.
//! Fails: edge_k_larger_than_the_corpus_returns_each_match_once: "sized by a huge number"

const MISTAKE: Mistake = Mistake::CapacityOfK;

include!("../../answers/bm25/common.rs");
