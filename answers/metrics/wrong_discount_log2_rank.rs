//! Wrong: the discount 1/log2(rank) (off by one: rank 1 divides by zero).

include!("../../answers/metrics/common.rs");

const MISTAKES: Mistakes = Mistakes { discount_log2_rank: true, ..NONE };
