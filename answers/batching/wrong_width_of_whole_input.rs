//! Wrong: every batch as wide as the longest sequence of the whole input.
//! Fails: examples_input_order_groups_consecutive_sequences: "longest sequence in this batch"

const MISTAKES: Mistakes = Mistakes { width_of_whole_input: true, ..Mistakes::NONE };

include!("../../answers/batching/common.rs");
