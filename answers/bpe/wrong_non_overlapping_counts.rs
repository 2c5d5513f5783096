//! Wrong: counts pairs without overlap in training ("aaa" holds (a, a) once, not twice).

const CHOICES: Choices = Choices { non_overlapping_counts: true, ..Choices::PLAIN };

include!("../../answers/bpe/common.rs");
