//! Wrong: get returns the value but leaves the entry where it is in the recency order.
//! Fails: edge_get_refreshes_and_peek_does_not: "get and put refresh"

include!("../../answers/lru/common.rs");

const MISTAKE: Mistake = Mistake::GetDoesNotRefresh;
