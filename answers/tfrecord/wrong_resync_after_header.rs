//! Wrong: resynchronising starts at o + 12, past the bad header, instead of scanning from o + 1.
//! Fails: edge_resynchronising_scans_from_the_next_byte: "starts at o + 1"

include!("../../answers/tfrecord/common.rs");

const MISTAKE: Mistake = Mistake::ResyncAfterHeader;
