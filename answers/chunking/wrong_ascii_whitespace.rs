//! Wrong: splits on ASCII whitespace only (U+00A0, U+3000 and the other Unicode spaces separate tokens too).
//! Fails: examples_unicode_whitespace_and_multibyte_tokens: "char::is_whitespace"

include!("../../answers/chunking/common.rs");

pub fn chunk_tokens(text: &str, size: usize, overlap: usize) -> Result<Vec<&str>, ChunkError> {
    chunk_with(text, size, overlap, Mistake::AsciiWhitespace)
}
