//! Wrong: every batch as wide as the longest sequence of the whole input.

const MISTAKES: Mistakes = Mistakes { width_of_whole_input: true, ..Mistakes::NONE };

include!("../../answers/batching/common.rs");
