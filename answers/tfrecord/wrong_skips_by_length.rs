//! Wrong: a header whose crc fails is skipped by its own (corrupted) length instead of resynchronising.
//! Fails: edge_a_bad_header_is_never_skipped_by_its_length: "never_skipped_by_its_length"

include!("../../answers/tfrecord/common.rs");

const MISTAKE: Mistake = Mistake::SkipsByLength;
