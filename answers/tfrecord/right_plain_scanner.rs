//! Right: a plain reader: one header check per offset while resynchronising, and a streaming reader that buffers one record at a time, reading only the bytes it needs.

include!("../../answers/tfrecord/common.rs");

const MISTAKE: Mistake = Mistake::None;
