//! Wrong: right answers, but every lookup scans the whole ring: O(points).
//! Fails: scale_a_million_lookups_on_400_nodes_of_160_replicas: "far slower"

const MISTAKE: Mistake = Mistake::LinearScan;

include!("../../answers/hash_ring/common.rs");
