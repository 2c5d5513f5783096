//! Wrong: returns copies of the chunks (leaked Strings) instead of slices borrowed from the text.
//! Fails: examples_a_document_shorter_than_size_is_one_chunk: "not a copy"

include!("../../answers/chunking/common.rs");

pub fn chunk_tokens(text: &str, size: usize, overlap: usize) -> Result<Vec<&str>, ChunkError> {
    chunk_with(text, size, overlap, Mistake::Copies)
}
