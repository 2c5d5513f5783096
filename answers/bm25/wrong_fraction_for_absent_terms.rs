//! Wrong: the fraction computed for absent terms too (0 / 0 = NaN when k1 = 0).

const MISTAKE: Mistake = Mistake::FractionForAbsentTerms;

include!("../../answers/bm25/common.rs");
