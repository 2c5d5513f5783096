//! Wrong: the streaming reader takes a short `read` for the end of the input.
//! Fails: examples_an_intact_file_gives_every_record: "a short read is not the end"

include!("../../answers/tfrecord/common.rs");

const MISTAKE: Mistake = Mistake::AssumesFullReads;
