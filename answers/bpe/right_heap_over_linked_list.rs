//! Right: encodes each piece with a min-heap of (rank, position) over a linked list of symbols.

const CHOICES: Choices = Choices { encoder: Encoder::HeapOverLinkedList, ..Choices::PLAIN };

include!("../../answers/bpe/common.rs");
