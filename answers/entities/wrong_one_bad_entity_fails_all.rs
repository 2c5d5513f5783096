//! Wrong: one malformed entity fails the whole response instead of becoming a Problem.

include!("../../answers/entities/common.rs");

const MISTAKE: Mistake = Mistake::OneBadEntityFailsAll;
