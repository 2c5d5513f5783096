//! Wrong: k1 = 0 (and -0.0) rejected.
//! Fails: edge_k1_zero_counts_each_present_term_once_without_nan: "k1_zero_counts"

const MISTAKE: Mistake = Mistake::ZeroK1Rejected;

include!("../../answers/bm25/common.rs");
