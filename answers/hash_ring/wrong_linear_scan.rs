//! Wrong: right answers, but every lookup scans the whole ring: O(points).

const MISTAKE: Mistake = Mistake::LinearScan;

include!("../../answers/hash_ring/common.rs");
