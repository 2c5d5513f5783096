//! Wrong: pads on the left.

const MISTAKES: Mistakes = Mistakes { left_padding: true, ..Mistakes::NONE };

include!("../../answers/batching/common.rs");
