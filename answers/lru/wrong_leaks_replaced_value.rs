//! Wrong: put of a present key forgets (leaks) the old value instead of dropping it.
//! Fails: robust_every_value_is_dropped_exactly_once: "it leaked"

include!("../../answers/lru/common.rs");

const MISTAKE: Mistake = Mistake::LeaksReplacedValue;
