//! Wrong: does not cut text into pieces, so merges cross whitespace boundaries.

const CHOICES: Choices = Choices { merges_across_pieces: true, ..Choices::PLAIN };

include!("../../answers/bpe/common.rs");
