//! Wrong: locates each chunk with find(), which returns the first occurrence of repeated text.

include!("../../answers/chunking/common.rs");

pub fn chunk_tokens(text: &str, size: usize, overlap: usize) -> Result<Vec<&str>, ChunkError> {
    chunk_with(text, size, overlap, Mistake::FindOffsets)
}
