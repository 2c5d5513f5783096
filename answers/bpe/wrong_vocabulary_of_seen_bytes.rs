//! Wrong: the vocabulary starts with the bytes seen in the corpus (ids 0..k), not all 256 bytes.
//! Fails: examples_overlapping_pairs_count_twice: "the bytes themselves"

const CHOICES: Choices = Choices { vocabulary_of_seen_bytes: true, ..Choices::PLAIN };

include!("../../answers/bpe/common.rs");
