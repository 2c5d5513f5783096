//! Wrong: nDCG with the exponential gain 2^grade − 1 instead of the grade.

include!("../../answers/metrics/common.rs");

const MISTAKES: Mistakes = Mistakes { exponential_gain: true, ..NONE };
