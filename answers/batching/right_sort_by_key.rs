//! Right: a stable sort_by_key, then each batch padded to its own longest row.

const MISTAKES: Mistakes = Mistakes::NONE;

include!("../../answers/batching/common.rs");
