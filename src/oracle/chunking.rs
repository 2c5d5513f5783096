//! Chunks of tokens, the slow and obvious way: collect every token, then
//! take windows. Also the naive baseline of the benchmark, and the check
//! that an answer borrows its chunks from the input.

use std::ops::Range;

use kata_types::ChunkError;

/// The byte range of every token of `text`: maximal runs of chars that are
/// not `char::is_whitespace`.
///
/// ```
/// assert_eq!(kata::oracle::chunking::token_spans(" ab\u{3000}c "), [1..3, 6..7]);
/// ```
pub fn token_spans(text: &str) -> Vec<Range<usize>> {
    let mut spans = Vec::new();
    let mut start = None;
    for (index, c) in text.char_indices() {
        match (c.is_whitespace(), start) {
            (true, Some(first)) => {
                spans.push(first..index);
                start = None;
            }
            (false, None) => start = Some(index),
            _ => {}
        }
    }
    if let Some(first) = start {
        spans.push(first..text.len());
    }
    spans
}

/// The parameter checks of the contract, in its order; the stride on success.
///
/// # Errors
/// [`ChunkError::ZeroSize`] when `size == 0`, else
/// [`ChunkError::OverlapTooLarge`] when `overlap >= size`.
pub fn stride(size: usize, overlap: usize) -> Result<usize, ChunkError> {
    if size == 0 {
        Err(ChunkError::ZeroSize)
    } else if overlap >= size {
        Err(ChunkError::OverlapTooLarge { size, overlap })
    } else {
        Ok(size - overlap)
    }
}

/// The byte range of every chunk: chunk `i` runs from the first byte of
/// token `i * stride` to the last byte of token `min(i * stride + size, n) - 1`,
/// and the first chunk that holds the final token is the last one.
///
/// ```
/// use kata::oracle::chunking::chunk_spans;
/// assert_eq!(chunk_spans("a b c d e", 3, 1), Ok(vec![0..5, 4..9]));
/// ```
///
/// # Errors
/// As [`stride`], before the text is looked at.
pub fn chunk_spans(text: &str, size: usize, overlap: usize) -> Result<Vec<Range<usize>>, ChunkError> {
    let stride = stride(size, overlap)?;
    let tokens = token_spans(text);
    let mut chunks = Vec::new();
    let mut first = 0;
    while first < tokens.len() {
        let end = first.saturating_add(size).min(tokens.len());
        chunks.push(tokens[first].start..tokens[end - 1].end);
        if end == tokens.len() {
            break;
        }
        first += stride;
    }
    Ok(chunks)
}

/// [`chunk_spans`] as slices of `text`: the answer the exercise expects.
///
/// # Errors
/// As [`stride`].
pub fn chunk_tokens(text: &str, size: usize, overlap: usize) -> Result<Vec<&str>, ChunkError> {
    Ok(chunk_spans(text, size, overlap)?.into_iter().map(|span| &text[span]).collect())
}

/// The naive baseline of the benchmark, as candidates often first write it:
/// `split_whitespace`, collect the tokens, and `join(" ")` each window into
/// a new `String`. It allocates per chunk, copies every byte about
/// `size / stride` times, and replaces the original whitespace with single
/// spaces, so its chunks are not slices of the input.
///
/// # Errors
/// As [`stride`].
pub fn joined_chunks(text: &str, size: usize, overlap: usize) -> Result<Vec<String>, ChunkError> {
    let stride = stride(size, overlap)?;
    let tokens: Vec<&str> = text.split_whitespace().collect();
    let mut chunks = Vec::new();
    let mut first = 0;
    while first < tokens.len() {
        let end = first.saturating_add(size).min(tokens.len());
        chunks.push(tokens[first..end].join(" "));
        if end == tokens.len() {
            break;
        }
        first += stride;
    }
    Ok(chunks)
}

/// The byte range in `text` of each chunk, or a message when a chunk is not
/// a slice of `text` (it was copied, or comes from another string).
///
/// ```
/// use kata::oracle::chunking::spans_in;
/// let text = "alpha beta";
/// assert_eq!(spans_in(text, &[&text[6..]]), Ok(vec![6..10]));
/// let copy = String::from("beta");
/// assert!(spans_in(text, &[copy.as_str()]).is_err());
/// ```
///
/// # Errors
/// A message naming the first chunk that does not point into `text`.
pub fn spans_in(text: &str, chunks: &[&str]) -> Result<Vec<Range<usize>>, String> {
    let text_start = text.as_ptr() as usize;
    chunks
        .iter()
        .enumerate()
        .map(|(index, chunk)| {
            let start = (chunk.as_ptr() as usize).wrapping_sub(text_start);
            if start <= text.len() && chunk.len() <= text.len() - start {
                Ok(start..start + chunk.len())
            } else {
                Err(format!(
                    "chunk {index} ({chunk:?}) is not a slice of the input text: return `&text[start..end]`, \
                     borrowed from the input, not a copy"
                ))
            }
        })
        .collect()
}
