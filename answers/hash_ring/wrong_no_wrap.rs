//! Wrong: a key past the last point gets None instead of wrapping to the first.
//! Fails: robust_keys_past_the_last_point_wrap_to_the_first: "wraps around"

const MISTAKE: Mistake = Mistake::NoWrap;

include!("../../answers/hash_ring/common.rs");
