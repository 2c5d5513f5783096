//! Right: a std HashMap into an index-linked list in one Vec.

include!("../../answers/lru/common.rs");

const MISTAKE: Mistake = Mistake::None;
