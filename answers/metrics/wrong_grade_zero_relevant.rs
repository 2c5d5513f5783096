//! Wrong: judged documents of grade 0 count as relevant.
//! Fails: examples_precision_counts_relevant_among_the_first_k: "grade 0 is not relevant"

include!("../../answers/metrics/common.rs");

const MISTAKES: Mistakes = Mistakes { grade_zero_relevant: true, ..NONE };
