//! Wrong: `unwrap` on a document's fields, which panics when one is missing.
//! Fails: edge_document_fields_are_checked_in_order: "panicked"

include!("../../answers/entities/common.rs");

const MISTAKE: Mistake = Mistake::UnwrapsFields;
