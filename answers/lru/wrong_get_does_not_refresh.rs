//! Wrong: get returns the value but leaves the entry where it is in the recency order.

include!("../../answers/lru/common.rs");

const MISTAKE: Mistake = Mistake::GetDoesNotRefresh;
