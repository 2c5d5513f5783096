//! Cutting text into pieces: maximal runs of whitespace or of other chars.

/// How an ASCII byte classifies: whitespace for `char::is_whitespace`
/// (tab, line feed, vertical tab, form feed, carriage return, space), or not.
const fn ascii_whitespace_table() -> [bool; 128] {
    let mut table = [false; 128];
    table[b'\t' as usize] = true;
    table[b'\n' as usize] = true;
    table[0x0B] = true;
    table[0x0C] = true;
    table[b'\r' as usize] = true;
    table[b' ' as usize] = true;
    table
}

const ASCII_WHITESPACE: [bool; 128] = ascii_whitespace_table();

/// The pieces of `text`, in order: each a maximal run of whitespace chars
/// or of non-whitespace chars. ASCII bytes are classified with a table;
/// only non-ASCII chars are decoded.
pub(crate) fn pieces(text: &str) -> impl Iterator<Item = &str> {
    let mut start = 0;
    std::iter::from_fn(move || {
        if start >= text.len() {
            return None;
        }
        let (whitespace, first_len) = classify(text, start);
        let mut end = start + first_len;
        while end < text.len() {
            let (next_whitespace, len) = classify(text, end);
            if next_whitespace != whitespace {
                break;
            }
            end += len;
        }
        let piece = &text[start..end];
        start = end;
        Some(piece)
    })
}

/// Whether the char starting at byte `at` is whitespace, and its length.
/// `at` is always a char boundary: it advances by whole chars.
fn classify(text: &str, at: usize) -> (bool, usize) {
    let byte = text.as_bytes()[at];
    if byte < 0x80 {
        return (ASCII_WHITESPACE[usize::from(byte)], 1);
    }
    match text[at..].chars().next() {
        Some(c) => (c.is_whitespace(), c.len_utf8()),
        None => (false, 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_of_each_class() {
        let cut: Vec<&str> = pieces(" hi  you\u{3000}日本\n").collect();
        assert_eq!(cut, [" ", "hi", "  ", "you", "\u{3000}", "日本", "\n"]);
        assert_eq!(pieces("").count(), 0);
    }
}
