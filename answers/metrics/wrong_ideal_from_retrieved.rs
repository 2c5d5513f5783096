//! Wrong: the ideal DCG sorts only the retrieved documents' grades, not every judged grade.

include!("../../answers/metrics/common.rs");

const MISTAKES: Mistakes = Mistakes { ideal_from_retrieved: true, ..NONE };
