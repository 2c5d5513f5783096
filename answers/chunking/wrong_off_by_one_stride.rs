//! Wrong: the stride is size - overlap + 1, so consecutive chunks share one token too few.

include!("../../answers/chunking/common.rs");

pub fn chunk_tokens(text: &str, size: usize, overlap: usize) -> Result<Vec<&str>, ChunkError> {
    chunk_with(text, size, overlap, Mistake::OffByOneStride)
}
