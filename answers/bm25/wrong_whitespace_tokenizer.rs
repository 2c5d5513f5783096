//! Wrong: split_whitespace instead of the given tokenize (punctuation stays in terms).
//! Fails: examples_queries_are_tokenized_like_documents: "tokenized_like_documents"

const MISTAKE: Mistake = Mistake::WhitespaceTokenizer;

include!("../../answers/bm25/common.rs");
