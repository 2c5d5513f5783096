//! Wrong: colliding points go to the node added first, not to the name that sorts first.
//! Fails: robust_colliding_points_go_to_the_name_that_sorts_first: "whose name sorts first"

const MISTAKE: Mistake = Mistake::InsertionOrderCollisions;

include!("../../answers/hash_ring/common.rs");
