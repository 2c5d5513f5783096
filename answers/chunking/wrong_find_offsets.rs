//! Wrong: locates each chunk with find(), which returns the first occurrence of repeated text.
//! Fails: examples_repeated_words_are_borrowed_at_their_own_offsets: "borrow each chunk from where its tokens are"

include!("../../answers/chunking/common.rs");

pub fn chunk_tokens(text: &str, size: usize, overlap: usize) -> Result<Vec<&str>, ChunkError> {
    chunk_with(text, size, overlap, Mistake::FindOffsets)
}
