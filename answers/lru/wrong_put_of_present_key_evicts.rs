//! Wrong: makes room before looking the key up, so a put of a present key
//! into a full cache evicts the least recent entry (and returns it).
//! Fails: edge_put_of_a_present_key_in_a_full_cache_evicts_nothing: "only replaces its value"

const EVICT_BEFORE_LOOKUP: bool = true;

include!("../../answers/lru/move_to_front.rs");
