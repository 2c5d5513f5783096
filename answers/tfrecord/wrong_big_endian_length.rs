//! Wrong: the length field is read big-endian.

include!("../../answers/tfrecord/common.rs");

const MISTAKE: Mistake = Mistake::BigEndian;
