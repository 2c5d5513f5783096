//! Wrong: decode indexes the vocabulary with any id and panics on one outside it.

const CHOICES: Choices = Choices { decode_panics_on_unknown: true, ..Choices::PLAIN };

include!("../../answers/bpe/common.rs");
