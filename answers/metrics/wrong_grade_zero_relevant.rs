//! Wrong: judged documents of grade 0 count as relevant.

include!("../../answers/metrics/common.rs");

const MISTAKES: Mistakes = Mistakes { grade_zero_relevant: true, ..NONE };
