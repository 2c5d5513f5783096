//! Wrong: document lengths (and avgdl) counted in distinct terms, not tokens.

const MISTAKE: Mistake = Mistake::AvgdlOverUniqueTerms;

include!("../../answers/bm25/common.rs");
