//! Wrong: makes room before looking the key up, so a put of a present key
//! into a full cache evicts the least recent entry (and returns it).

const EVICT_BEFORE_LOOKUP: bool = true;

include!("../../answers/lru/move_to_front.rs");
