//! Wrong: rank_bm25's IDF, ln((N - df + 0.5) / (df + 0.5)) with negative values floored at 0.25 x the average.

const MISTAKE: Mistake = Mistake::RankBm25Idf;

include!("../../answers/bm25/common.rs");
