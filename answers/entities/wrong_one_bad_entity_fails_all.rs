//! Wrong: one malformed entity fails the whole response instead of becoming a Problem.
//! Fails: examples_a_missing_end_is_reported: "must not fail the response"

include!("../../answers/entities/common.rs");

const MISTAKE: Mistake = Mistake::OneBadEntityFailsAll;
