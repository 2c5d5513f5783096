//! Right: the plain answer: recount every pair after each merge; encode a piece by merging its lowest-ranked pair, again and again.

const CHOICES: Choices = Choices::PLAIN;

include!("../../answers/bpe/common.rs");
