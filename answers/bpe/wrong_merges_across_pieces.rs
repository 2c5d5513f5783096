//! Wrong: does not cut text into pieces, so merges cross whitespace boundaries.
//! Fails: examples_no_pair_crosses_a_piece: "no pair at all"

const CHOICES: Choices = Choices { merges_across_pieces: true, ..Choices::PLAIN };

include!("../../answers/bpe/common.rs");
