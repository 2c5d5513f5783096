//! Wrong: b checked with b < 0.0 || b > 1.0, which lets NaN through.

const MISTAKE: Mistake = Mistake::NanBAccepted;

include!("../../answers/bm25/common.rs");
