//! Wrong: the fraction computed for absent terms too (0 / 0 = NaN when k1 = 0).
//! Fails: edge_k1_zero_counts_each_present_term_once_without_nan: "NaN comes from 0 / 0"

const MISTAKE: Mistake = Mistake::FractionForAbsentTerms;

include!("../../answers/bm25/common.rs");
