//! Wrong: the streaming reader reserves 16 + length bytes as soon as the header is valid, before any of them arrived (a length of 2^60 aborts the process).

include!("../../answers/tfrecord/common.rs");

const MISTAKE: Mistake = Mistake::AllocatesFromLength;
