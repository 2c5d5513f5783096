//! Wrong: overlapping spans are all kept, not the best of them.

include!("../../answers/entities/common.rs");

const MISTAKE: Mistake = Mistake::KeepsOverlaps;
