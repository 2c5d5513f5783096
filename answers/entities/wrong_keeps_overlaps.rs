//! Wrong: overlapping spans are all kept, not the best of them.
//! Fails: examples_the_higher_score_wins_an_overlap: "only the best is kept"

include!("../../answers/entities/common.rs");

const MISTAKE: Mistake = Mistake::KeepsOverlaps;
