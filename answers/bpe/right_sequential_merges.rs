//! Right: encodes each piece by applying the merges it meets in rank order, each to all its occurrences left to right.

const CHOICES: Choices = Choices { encoder: Encoder::SequentialMerges, ..Choices::PLAIN };

include!("../../answers/bpe/common.rs");
