//! Wrong: a full cache evicts the most recently used entry, not the least.

include!("../../answers/lru/common.rs");

const MISTAKE: Mistake = Mistake::EvictsMostRecent;
