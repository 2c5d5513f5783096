//! Wrong: put of a present key forgets (leaks) the old value instead of dropping it.

include!("../../answers/lru/common.rs");

const MISTAKE: Mistake = Mistake::LeaksReplacedValue;
