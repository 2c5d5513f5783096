//! Wrong: the crcs are compared without the TFRecord mask.

include!("../../answers/tfrecord/common.rs");

const MISTAKE: Mistake = Mistake::Unmasked;
