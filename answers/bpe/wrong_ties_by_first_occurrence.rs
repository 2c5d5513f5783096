//! Wrong: breaks ties between equally frequent pairs by first occurrence, not by the smallest pair.
//! Fails: examples_ties_go_to_the_smallest_pair: "not the first seen"

const CHOICES: Choices = Choices { ties_by_first_occurrence: true, ..Choices::PLAIN };

include!("../../answers/bpe/common.rs");
