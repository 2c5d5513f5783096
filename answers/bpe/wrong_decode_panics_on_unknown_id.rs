//! Wrong: decode indexes the vocabulary with any id and panics on one outside it.
//! Fails: examples_decoding_an_unknown_id_is_an_error: "panicked"

const CHOICES: Choices = Choices { decode_panics_on_unknown: true, ..Choices::PLAIN };

include!("../../answers/bpe/common.rs");
