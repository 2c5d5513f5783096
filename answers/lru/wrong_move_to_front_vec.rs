//! Wrong: correct, but a Vec kept in recency order: every hit searches for
//! its key and moves it to the front, O(n) per operation.
//! Fails: scale_a_million_zipf_operations_at_capacity_100_000: "far slower"

const EVICT_BEFORE_LOOKUP: bool = false;

include!("../../answers/lru/move_to_front.rs");
