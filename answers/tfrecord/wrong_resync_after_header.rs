//! Wrong: resynchronising starts at o + 12, past the bad header, instead of scanning from o + 1.

include!("../../answers/tfrecord/common.rs");

const MISTAKE: Mistake = Mistake::ResyncAfterHeader;
