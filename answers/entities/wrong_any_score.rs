//! Wrong: any score is accepted, 1.5 included (only [0, 1] is a confidence).

include!("../../answers/entities/common.rs");

const MISTAKE: Mistake = Mistake::AnyScore;
