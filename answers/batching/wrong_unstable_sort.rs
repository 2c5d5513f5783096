//! Wrong: sorts lengths with an unstable sort, so equal lengths lose input order.
//! Fails: examples_longest_first_groups_by_length_with_ties_in_input_order: "ties_in_input_order"

const MISTAKES: Mistakes = Mistakes { unstable_sort: true, ..Mistakes::NONE };

include!("../../answers/batching/common.rs");
