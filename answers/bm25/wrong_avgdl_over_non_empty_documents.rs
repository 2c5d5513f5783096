//! Wrong: avgdl averaged over the non-empty documents only.
//! Fails: edge_empty_documents_score_zero_and_count_in_the_average_length: "empty ones too"

const MISTAKE: Mistake = Mistake::AvgdlOverNonEmptyDocuments;

include!("../../answers/bm25/common.rs");
