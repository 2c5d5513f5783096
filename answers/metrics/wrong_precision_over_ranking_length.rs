//! Wrong: precision@k divides by min(k, ranking length) instead of k.
//! Fails: examples_precision_divides_by_k_beyond_the_ranking: "divide by k"

include!("../../answers/metrics/common.rs");

const MISTAKES: Mistakes = Mistakes { precision_over_min_k_len: true, ..NONE };
