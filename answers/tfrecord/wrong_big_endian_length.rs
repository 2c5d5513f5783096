//! Wrong: the length field is read big-endian.
//! Fails: examples_an_intact_file_gives_every_record: "little-endian u64"

include!("../../answers/tfrecord/common.rs");

const MISTAKE: Mistake = Mistake::BigEndian;
