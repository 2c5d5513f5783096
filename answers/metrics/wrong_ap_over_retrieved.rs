//! Wrong: average precision divides by the retrieved relevant documents, not all relevant.

include!("../../answers/metrics/common.rs");

const MISTAKES: Mistakes = Mistakes { ap_over_retrieved: true, ..NONE };
