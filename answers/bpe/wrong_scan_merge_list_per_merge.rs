//! Wrong (too slow): encodes by scanning the whole text once per merge, in merge order: right, but O(merges × n).

const CHOICES: Choices = Choices { encoder: Encoder::ScanMergeListOverText, ..Choices::PLAIN };

include!("../../answers/bpe/common.rs");
