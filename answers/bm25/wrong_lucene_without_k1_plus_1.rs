//! Wrong: Lucene's variant, without the (k1 + 1) factor in the numerator.
//! Fails: examples_one_rare_term_scores_only_its_document: "(k1 + 1) factor"

const MISTAKE: Mistake = Mistake::LuceneWithoutK1Plus1;

include!("../../answers/bm25/common.rs");
