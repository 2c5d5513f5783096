//! Wrong: no duplicate check, so a repeated document counts twice.
//! Fails: examples_a_repeated_document_is_an_error: "DuplicateDocument"

include!("../../answers/metrics/common.rs");

const MISTAKES: Mistakes = Mistakes { duplicates_allowed: true, ..NONE };
