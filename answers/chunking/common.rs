// Shared by the answers in this folder: chunking by token spans, with one
// switch per mistake candidates make (each answer turns one on).

pub use kata_types::ChunkError;

/// The mistakes an answer can make.
#[allow(dead_code)]
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mistake {
    None,
    /// The stride is size - overlap + 1.
    OffByOneStride,
    /// Keeps chunking past the final token: a last chunk made only of overlap.
    TrailingOverlapChunk,
    /// Splits on ASCII whitespace only.
    AsciiWhitespace,
    /// Finds each chunk's first token with `find` (the first occurrence of its text).
    FindOffsets,
    /// Returns copies (leaked Strings), not slices of the text.
    Copies,
    /// Re-tokenises the whole text for every chunk (quadratic).
    RescanPerChunk,
}

/// The byte span of every token.
#[allow(dead_code)]
fn token_spans(text: &str, ascii_only: bool) -> Vec<(usize, usize)> {
    let is_space = |c: char| if ascii_only { c.is_ascii_whitespace() } else { c.is_whitespace() };
    let mut spans = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        match (is_space(c), start) {
            (true, Some(s)) => {
                spans.push((s, i));
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    if let Some(s) = start {
        spans.push((s, text.len()));
    }
    spans
}

#[allow(dead_code)]
fn chunk_with(text: &str, size: usize, overlap: usize, mistake: Mistake) -> Result<Vec<&str>, ChunkError> {
    if size == 0 {
        return Err(ChunkError::ZeroSize);
    }
    if overlap >= size {
        return Err(ChunkError::OverlapTooLarge { size, overlap });
    }
    let spans = token_spans(text, mistake == Mistake::AsciiWhitespace);
    let stride = if mistake == Mistake::OffByOneStride { size - overlap + 1 } else { size - overlap };
    let mut chunks = Vec::new();
    let mut first = 0;
    while first < spans.len() {
        let rescanned;
        let spans_now = if mistake == Mistake::RescanPerChunk {
            rescanned = token_spans(text, false);
            &rescanned
        } else {
            &spans
        };
        let last = (first + size).min(spans_now.len()) - 1;
        let (start, end) = (spans_now[first].0, spans_now[last].1);
        let chunk = &text[start..end];
        chunks.push(match mistake {
            Mistake::FindOffsets => {
                let found = text.find(chunk).unwrap_or(start);
                &text[found..found + chunk.len()]
            }
            Mistake::Copies => &*Box::leak(chunk.to_owned().into_boxed_str()),
            _ => chunk,
        });
        let holds_final_token = last + 1 == spans_now.len();
        if holds_final_token && mistake != Mistake::TrailingOverlapChunk {
            break;
        }
        first += stride;
    }
    Ok(chunks)
}
