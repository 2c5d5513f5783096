//! Wrong: any score is accepted, 1.5 included (only [0, 1] is a confidence).
//! Fails: examples_bad_score_bad_span_and_null_label: "BadScore problem"

include!("../../answers/entities/common.rs");

const MISTAKE: Mistake = Mistake::AnyScore;
