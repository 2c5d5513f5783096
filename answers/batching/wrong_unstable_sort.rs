//! Wrong: sorts lengths with an unstable sort, so equal lengths lose input order.

const MISTAKES: Mistakes = Mistakes { unstable_sort: true, ..Mistakes::NONE };

include!("../../answers/batching/common.rs");
