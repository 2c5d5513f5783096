//! Wrong: b checked with b < 0.0 || b > 1.0, which lets NaN through.
//! Fails: edge_b_outside_zero_one_or_nan_is_invalid: "NaN fails every comparison"

const MISTAKE: Mistake = Mistake::NanBAccepted;

include!("../../answers/bm25/common.rs");
