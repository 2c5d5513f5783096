//! Wrong: an error envelope reads as a response with no documents.

include!("../../answers/entities/common.rs");

const MISTAKE: Mistake = Mistake::ErrorIsEmpty;
