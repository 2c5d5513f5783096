//! Wrong: the header is sliced before checking that 12 bytes are left, so a short tail panics.
//! Fails: examples_seven_bytes_of_garbage_are_truncated: "panicked"

include!("../../answers/tfrecord/common.rs");

const MISTAKE: Mistake = Mistake::PanicsOnShortTail;
