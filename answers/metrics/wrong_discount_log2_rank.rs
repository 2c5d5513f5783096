//! Wrong: the discount 1/log2(rank) (off by one: rank 1 divides by zero).
//! Fails: examples_ndcg_with_linear_gain_and_the_ideal_from_every_judgement: "division by"

include!("../../answers/metrics/common.rs");

const MISTAKES: Mistakes = Mistakes { discount_log2_rank: true, ..NONE };
