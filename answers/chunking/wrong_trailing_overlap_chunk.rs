//! Wrong: keeps going after the chunk that holds the final token, adding a chunk made only of overlap.
//! Fails: edge_no_trailing_chunk_made_only_of_overlap: "only tokens the one before"

include!("../../answers/chunking/common.rs");

pub fn chunk_tokens(text: &str, size: usize, overlap: usize) -> Result<Vec<&str>, ChunkError> {
    chunk_with(text, size, overlap, Mistake::TrailingOverlapChunk)
}
