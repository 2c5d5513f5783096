//! Wrong: counts pairs without overlap in training ("aaa" holds (a, a) once, not twice).
//! Fails: examples_overlapping_pairs_count_twice: "overlapping pairs count"

const CHOICES: Choices = Choices { non_overlapping_counts: true, ..Choices::PLAIN };

include!("../../answers/bpe/common.rs");
