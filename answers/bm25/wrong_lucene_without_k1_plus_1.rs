//! Wrong: Lucene's variant, without the (k1 + 1) factor in the numerator.

const MISTAKE: Mistake = Mistake::LuceneWithoutK1Plus1;

include!("../../answers/bm25/common.rs");
