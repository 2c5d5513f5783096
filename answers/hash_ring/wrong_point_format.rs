//! Wrong: replica points hashed from "{node}-{i}" instead of "{node}#{i}".
//! Fails: edge_the_empty_key_and_the_empty_node_name: "node n owns ring_hash"

const MISTAKE: Mistake = Mistake::PointFormat;

include!("../../answers/hash_ring/common.rs");
