//! Wrong: pads on the left.
//! Fails: examples_pad_batch_pads_on_the_right_to_the_longest: "pad on the right"

const MISTAKES: Mistakes = Mistakes { left_padding: true, ..Mistakes::NONE };

include!("../../answers/batching/common.rs");
