//! Wrong: replica points hashed from "{node}-{i}" instead of "{node}#{i}".

const MISTAKE: Mistake = Mistake::PointFormat;

include!("../../answers/hash_ring/common.rs");
