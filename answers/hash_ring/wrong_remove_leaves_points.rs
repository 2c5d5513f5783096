//! Wrong: remove forgets the node's name but leaves its points on the ring.

const MISTAKE: Mistake = Mistake::RemoveLeavesPoints;

include!("../../answers/hash_ring/common.rs");
