//! Wrong: Vec::with_capacity(k) panics for a huge k.

const MISTAKE: Mistake = Mistake::CapacityOfK;

include!("../../answers/bm25/common.rs");
