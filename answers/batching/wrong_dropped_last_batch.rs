//! Wrong: drops the last, smaller batch (as chunks_exact would).

const MISTAKES: Mistakes = Mistakes { drop_last_batch: true, ..Mistakes::NONE };

include!("../../answers/batching/common.rs");
