//! Wrong: remove forgets the node's name but leaves its points on the ring.
//! Fails: edge_removing_the_last_node_empties_the_ring: "the ring is empty"

const MISTAKE: Mistake = Mistake::RemoveLeavesPoints;

include!("../../answers/hash_ring/common.rs");
