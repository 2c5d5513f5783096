//! Wrong: evicts only when the cache already holds capacity + 1 entries.
//! Fails: edge_holds_exactly_capacity_entries: "exactly_capacity_entries"

include!("../../answers/lru/common.rs");

const MISTAKE: Mistake = Mistake::HoldsOneTooMany;
