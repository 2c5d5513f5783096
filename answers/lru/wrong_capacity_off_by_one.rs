//! Wrong: evicts only when the cache already holds capacity + 1 entries.

include!("../../answers/lru/common.rs");

const MISTAKE: Mistake = Mistake::HoldsOneTooMany;
