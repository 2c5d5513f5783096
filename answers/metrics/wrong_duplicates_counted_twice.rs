//! Wrong: no duplicate check, so a repeated document counts twice.

include!("../../answers/metrics/common.rs");

const MISTAKES: Mistakes = Mistakes { duplicates_allowed: true, ..NONE };
