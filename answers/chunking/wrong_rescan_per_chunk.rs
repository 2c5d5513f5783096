//! Wrong: re-tokenises the whole text for every chunk: quadratic in the document.
//! Fails: scale_fifty_megabytes_in_linear_time: "far slower"

include!("../../answers/chunking/common.rs");

pub fn chunk_tokens(text: &str, size: usize, overlap: usize) -> Result<Vec<&str>, ChunkError> {
    chunk_with(text, size, overlap, Mistake::RescanPerChunk)
}
