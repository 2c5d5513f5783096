//! Wrong: average precision divides by the retrieved relevant documents, not all relevant.
//! Fails: examples_average_precision_over_all_relevant_documents: "not only the retrieved ones"

include!("../../answers/metrics/common.rs");

const MISTAKES: Mistakes = Mistakes { ap_over_retrieved: true, ..NONE };
