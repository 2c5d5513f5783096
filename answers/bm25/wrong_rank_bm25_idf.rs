//! Wrong: rank_bm25's IDF, ln((N - df + 0.5) / (df + 0.5)) with negative values floored at 0.25 x the average.
//! Fails: examples_one_rare_term_scores_only_its_document: "never negative"

const MISTAKE: Mistake = Mistake::RankBm25Idf;

include!("../../answers/bm25/common.rs");
