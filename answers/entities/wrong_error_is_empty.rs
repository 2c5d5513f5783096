//! Wrong: an error envelope reads as a response with no documents.
//! Fails: examples_an_error_envelope_is_an_error: "not an empty response"

include!("../../answers/entities/common.rs");

const MISTAKE: Mistake = Mistake::ErrorIsEmpty;
