//! Wrong: drops the last, smaller batch (as chunks_exact would).
//! Fails: examples_input_order_groups_consecutive_sequences: "last, smaller batch dropped"

const MISTAKES: Mistakes = Mistakes { drop_last_batch: true, ..Mistakes::NONE };

include!("../../answers/batching/common.rs");
