//! Wrong: correct, but a Vec kept in recency order: every hit searches for
//! its key and moves it to the front, O(n) per operation.

const EVICT_BEFORE_LOOKUP: bool = false;

include!("../../answers/lru/move_to_front.rs");
