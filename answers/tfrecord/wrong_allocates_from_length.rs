//! Wrong: the streaming reader reserves 16 + length bytes as soon as the header is valid, before any of them arrived (a length of 2^60 aborts the process).
//! Fails: robust_a_verified_length_of_2_pow_60_is_never_allocated: "a length field was trusted"

include!("../../answers/tfrecord/common.rs");

const MISTAKE: Mistake = Mistake::AllocatesFromLength;
