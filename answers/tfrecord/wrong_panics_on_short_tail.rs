//! Wrong: the header is sliced before checking that 12 bytes are left, so a short tail panics.

include!("../../answers/tfrecord/common.rs");

const MISTAKE: Mistake = Mistake::PanicsOnShortTail;
