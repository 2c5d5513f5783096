//! Wrong: precision@k divides by min(k, ranking length) instead of k.

include!("../../answers/metrics/common.rs");

const MISTAKES: Mistakes = Mistakes { precision_over_min_k_len: true, ..NONE };
