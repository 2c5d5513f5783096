//! Wrong: split_whitespace instead of the given tokenize (punctuation stays in terms).

const MISTAKE: Mistake = Mistake::WhitespaceTokenizer;

include!("../../answers/bm25/common.rs");
