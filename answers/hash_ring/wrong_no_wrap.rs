//! Wrong: a key past the last point gets None instead of wrapping to the first.

const MISTAKE: Mistake = Mistake::NoWrap;

include!("../../answers/hash_ring/common.rs");
