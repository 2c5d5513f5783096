//! Wrong: colliding points go to the node added first, not to the name that sorts first.

const MISTAKE: Mistake = Mistake::InsertionOrderCollisions;

include!("../../answers/hash_ring/common.rs");
