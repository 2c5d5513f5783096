//! Wrong: a repeated query term counted once.
//! Fails: examples_a_repeated_query_term_counts_each_time: "counts n times"

const MISTAKE: Mistake = Mistake::DeduplicatedQueryTerms;

include!("../../answers/bm25/common.rs");
