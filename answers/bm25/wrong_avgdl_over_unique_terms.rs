//! Wrong: document lengths (and avgdl) counted in distinct terms, not tokens.
//! Fails: examples_one_rare_term_scores_only_its_document: "avgdl is the mean token count"

const MISTAKE: Mistake = Mistake::AvgdlOverUniqueTerms;

include!("../../answers/bm25/common.rs");
