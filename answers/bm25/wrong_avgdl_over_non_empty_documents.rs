//! Wrong: avgdl averaged over the non-empty documents only.

const MISTAKE: Mistake = Mistake::AvgdlOverNonEmptyDocuments;

include!("../../answers/bm25/common.rs");
