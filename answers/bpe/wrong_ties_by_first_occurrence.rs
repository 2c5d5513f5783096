//! Wrong: breaks ties between equally frequent pairs by first occurrence, not by the smallest pair.

const CHOICES: Choices = Choices { ties_by_first_occurrence: true, ..Choices::PLAIN };

include!("../../answers/bpe/common.rs");
