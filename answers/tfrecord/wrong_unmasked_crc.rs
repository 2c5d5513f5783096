//! Wrong: the crcs are compared without the TFRecord mask.
//! Fails: edge_unmasked_crcs_are_not_valid: "unmasked_crcs"

include!("../../answers/tfrecord/common.rs");

const MISTAKE: Mistake = Mistake::Unmasked;
