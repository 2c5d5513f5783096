//! Wrong: a header whose crc fails is skipped by its own (corrupted) length instead of resynchronising.

include!("../../answers/tfrecord/common.rs");

const MISTAKE: Mistake = Mistake::SkipsByLength;
