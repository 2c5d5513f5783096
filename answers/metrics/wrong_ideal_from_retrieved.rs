//! Wrong: the ideal DCG sorts only the retrieved documents' grades, not every judged grade.
//! Fails: examples_ndcg_with_linear_gain_and_the_ideal_from_every_judgement: "ideal DCG from every judged grade"

include!("../../answers/metrics/common.rs");

const MISTAKES: Mistakes = Mistakes { ideal_from_retrieved: true, ..NONE };
