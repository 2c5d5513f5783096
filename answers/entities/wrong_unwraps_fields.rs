//! Wrong: `unwrap` on a document's fields, which panics when one is missing.

include!("../../answers/entities/common.rs");

const MISTAKE: Mistake = Mistake::UnwrapsFields;
