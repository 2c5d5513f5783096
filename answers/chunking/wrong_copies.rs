//! Wrong: returns copies of the chunks (leaked Strings) instead of slices borrowed from the text.

include!("../../answers/chunking/common.rs");

pub fn chunk_tokens(text: &str, size: usize, overlap: usize) -> Result<Vec<&str>, ChunkError> {
    chunk_with(text, size, overlap, Mistake::Copies)
}
