//! Wrong: the streaming reader takes a short `read` for the end of the input.

include!("../../answers/tfrecord/common.rs");

const MISTAKE: Mistake = Mistake::AssumesFullReads;
