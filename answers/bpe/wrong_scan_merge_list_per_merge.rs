//! Wrong (too slow): encodes by scanning the whole text once per merge, in merge order: right, but O(merges × n).
//! Fails: scale_encode_two_megabytes_with_three_thousand_merges: "far slower"

const CHOICES: Choices = Choices { encoder: Encoder::ScanMergeListOverText, ..Choices::PLAIN };

include!("../../answers/bpe/common.rs");
