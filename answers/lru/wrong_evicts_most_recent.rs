//! Wrong: a full cache evicts the most recently used entry, not the least.
//! Fails: edge_get_refreshes_and_peek_does_not: "evict the least recently used entry"

include!("../../answers/lru/common.rs");

const MISTAKE: Mistake = Mistake::EvictsMostRecent;
