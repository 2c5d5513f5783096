//! Wrong: nDCG with the exponential gain 2^grade − 1 instead of the grade.
//! Fails: examples_ndcg_with_linear_gain_and_the_ideal_from_every_judgement: "not 2^grade"

include!("../../answers/metrics/common.rs");

const MISTAKES: Mistakes = Mistakes { exponential_gain: true, ..NONE };
