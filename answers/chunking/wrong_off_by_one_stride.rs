//! Wrong: the stride is size - overlap + 1, so consecutive chunks share one token too few.
//! Fails: examples_windows_of_three_overlapping_by_one: "expected 2 chunks"

include!("../../answers/chunking/common.rs");

pub fn chunk_tokens(text: &str, size: usize, overlap: usize) -> Result<Vec<&str>, ChunkError> {
    chunk_with(text, size, overlap, Mistake::OffByOneStride)
}
