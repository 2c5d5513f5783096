//! # Chunking: one pass over the bytes, 64 at a time, zero-copy
//!
//! A chunk is a slice of the input from the first byte of its first token to
//! the last byte of its last token, so the answer needs only two byte
//! offsets per chunk, never the tokens themselves: no token list, no copy,
//! and the only allocations are the output and one offset per chunk.
//!
//! **Why it is fast.** The scan classifies 64 bytes at once into a bit mask
//! `ws` (bit `i` set when byte `i` belongs to a whitespace char): on x86-64
//! with SSE2 compares and `movemask` (16 bytes per instruction, part of
//! every x86-64 CPU), elsewhere with the same compares done 8 bytes at a
//! time inside a `u64`. Token boundaries are then bit operations on the
//! mask: a token starts where a whitespace byte is followed by another
//! byte (`!ws & (ws << 1 | carry)`), and ends where the reverse happens.
//! One popcount tells how many tokens start in the block; with a stride of
//! hundreds of tokens, almost every block is done after that, and only the
//! block that holds a chunk's first or last token is searched for that bit.
//! There is no branch per token, so no misprediction per token either: the
//! cost is a few instructions per 64 bytes, against a few per byte for a
//! loop over `char`s.
//!
//! **Why it is right.** ASCII whitespace (tab, line feed, vertical tab,
//! form feed, carriage return, space) is classified byte by byte. The other
//! whitespace chars of `char::is_whitespace` are 2 or 3 bytes long and start
//! with `C2`, `E1`, `E2` or `E3`: a block without those lead bytes (all
//! ASCII text, and most of any other script) needs nothing more. A block
//! with them decodes each such char exactly ([`multibyte_whitespace_len`])
//! and marks all its bytes, spilling into the next block when the char
//! straddles the boundary. Since every byte of a char gets the same mark,
//! token boundaries always fall on char boundaries. [`chunk_tokens_by_char`]
//! is the plain version of the same contract, one `char` at a time; tests
//! compare the two.
//!
//! ```
//! use solutions::chunking::{chunk_tokens, ChunkError};
//!
//! let text = "one two  three\tfour five";
//! assert_eq!(chunk_tokens(text, 3, 1), Ok(vec!["one two  three", "three\tfour five"]));
//! assert_eq!(chunk_tokens(text, 10, 2), Ok(vec![text]));
//! assert_eq!(chunk_tokens(" \u{3000}\n", 2, 0), Ok(vec![]));
//! assert_eq!(chunk_tokens("", 0, 0), Err(ChunkError::ZeroSize));
//! assert_eq!(chunk_tokens(text, 2, 2), Err(ChunkError::OverlapTooLarge { size: 2, overlap: 2 }));
//! ```

pub use kata_types::ChunkError;

/// Bytes classified at once: one bit of a `u64` mask each.
const BLOCK: usize = 64;

/// Splits `text` into chunks of `size` tokens, consecutive chunks sharing
/// `overlap` tokens; each chunk is borrowed from `text`.
///
/// A token is a maximal run of chars that are not `char::is_whitespace`.
/// Chunk `i` holds tokens `[i * stride, i * stride + size)` with
/// `stride = size - overlap`; the last chunk may hold fewer, and it is the
/// first chunk that holds the final token. O(n) time for n bytes.
///
/// # Errors
/// [`ChunkError::ZeroSize`] when `size == 0`, else
/// [`ChunkError::OverlapTooLarge`] when `overlap >= size`, whatever the text.
pub fn chunk_tokens(text: &str, size: usize, overlap: usize) -> Result<Vec<&str>, ChunkError> {
    let mut windows = Windows::new(text, size, overlap)?;
    let bytes = text.as_bytes();
    let mut scan = Scan::default();
    let (blocks, tail) = bytes.as_chunks::<BLOCK>();
    for (index, block) in blocks.iter().enumerate() {
        scan.block(bytes, index * BLOCK, block, &mut windows);
    }
    // The tail, padded with spaces: they end a final token like any
    // whitespace would. It runs even when empty, for that reason.
    let mut padded = [b' '; BLOCK];
    padded[..tail.len()].copy_from_slice(tail);
    scan.block(bytes, bytes.len() - tail.len(), &padded, &mut windows);
    Ok(windows.finish(scan.tokens))
}

/// [`chunk_tokens`] the plain way, one `char` at a time with
/// `char::is_whitespace`: slower, obviously right, the same contract.
///
/// ```
/// use solutions::chunking::{chunk_tokens, chunk_tokens_by_char};
///
/// let text = "été\u{2009}à  東京 🦀\u{3000}fin";
/// assert_eq!(chunk_tokens_by_char(text, 2, 1), Ok(vec!["été\u{2009}à", "à  東京", "東京 🦀", "🦀\u{3000}fin"]));
/// assert_eq!(chunk_tokens_by_char(text, 2, 1), chunk_tokens(text, 2, 1));
/// ```
///
/// # Errors
/// As [`chunk_tokens`].
pub fn chunk_tokens_by_char(text: &str, size: usize, overlap: usize) -> Result<Vec<&str>, ChunkError> {
    let mut windows = Windows::new(text, size, overlap)?;
    let mut tokens = 0;
    let mut inside = false;
    for (offset, c) in text.char_indices() {
        if c.is_whitespace() == inside {
            if inside {
                windows.end_of_token(tokens - 1, offset);
            } else {
                windows.start_of_token(tokens, offset);
                tokens += 1;
            }
            inside = !inside;
        }
    }
    if inside {
        windows.end_of_token(tokens - 1, text.len());
    }
    Ok(windows.finish(tokens))
}

/// The length in bytes of the whitespace char at the start of `bytes`,
/// when it is one of the multi-byte whitespace chars (U+0085, U+00A0,
/// U+1680, U+2000 to U+200A, U+2028, U+2029, U+202F, U+205F, U+3000); 0
/// otherwise.
///
/// ```
/// use solutions::chunking::multibyte_whitespace_len;
/// assert_eq!(multibyte_whitespace_len("\u{3000}x".as_bytes()), 3);
/// assert_eq!(multibyte_whitespace_len("\u{A0}".as_bytes()), 2);
/// assert_eq!(multibyte_whitespace_len("’".as_bytes()), 0);
/// assert_eq!(multibyte_whitespace_len(b" "), 0); // ASCII is classified elsewhere
/// ```
pub fn multibyte_whitespace_len(bytes: &[u8]) -> usize {
    match bytes {
        [0xC2, 0x85 | 0xA0, ..] => 2,
        [0xE1, 0x9A, 0x80, ..]
        | [0xE2, 0x80, 0x80..=0x8A | 0xA8 | 0xA9 | 0xAF, ..]
        | [0xE2, 0x81, 0x9F, ..]
        | [0xE3, 0x80, 0x80, ..] => 3,
        _ => 0,
    }
}

/// The state of the block scan between blocks.
#[derive(Debug)]
struct Scan {
    /// Tokens started before the current block.
    tokens: usize,
    /// Tokens ended before the current block.
    ended: usize,
    /// 1 when the byte before the block is whitespace (or there is none).
    previous_whitespace: u64,
    /// Bytes of the block that continue a whitespace char of the previous block.
    spill: u64,
}

impl Default for Scan {
    fn default() -> Scan {
        Scan { tokens: 0, ended: 0, previous_whitespace: 1, spill: 0 }
    }
}

impl Scan {
    /// Classifies the block at `base` and opens or closes the chunks whose
    /// first or last token it holds.
    #[inline]
    fn block(&mut self, bytes: &[u8], base: usize, block: &[u8; BLOCK], windows: &mut Windows<'_>) {
        let (ascii, leads) = classify(block);
        let mut whitespace = ascii | self.spill;
        self.spill = 0;
        if leads != 0 {
            let (marks, spill) = multibyte_marks(bytes, base, leads);
            whitespace |= marks;
            self.spill = spill;
        }
        let before = (whitespace << 1) | self.previous_whitespace;
        self.previous_whitespace = whitespace >> (BLOCK - 1);
        let starts = !whitespace & before;
        let ends = whitespace & !before;

        let started = self.tokens + starts.count_ones() as usize;
        while windows.next_start < started {
            let token = windows.next_start;
            windows.start_of_token(token, base + nth_bit(starts, token - self.tokens));
        }
        self.tokens = started;
        // Every token started so far has ended, but one still open at the block's end.
        let ended = started - (1 - self.previous_whitespace) as usize;
        while windows.next_end < ended {
            let token = windows.next_end;
            windows.end_of_token(token, base + nth_bit(ends, token - self.ended));
        }
        self.ended = ended;
    }
}

/// Two masks of the block: its ASCII whitespace bytes, and the bytes that
/// may start a multi-byte whitespace char.
#[inline]
fn classify(block: &[u8; BLOCK]) -> (u64, u64) {
    #[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
    // SAFETY: the only requirement of `classify_sse2` is the SSE2 feature,
    // and this build enables it statically (the cfg above); every x86-64
    // CPU has it.
    return unsafe { x86::classify_sse2(block) };
    #[cfg(not(all(target_arch = "x86_64", target_feature = "sse2")))]
    return classify_portable(block);
}

/// [`classify`] in plain Rust, 8 bytes per `u64` (SWAR): the path for CPUs
/// other than x86-64, tested against the SSE2 one everywhere.
#[cfg(any(test, not(all(target_arch = "x86_64", target_feature = "sse2"))))]
fn classify_portable(block: &[u8; BLOCK]) -> (u64, u64) {
    let (mut ascii, mut leads) = (0_u64, 0_u64);
    for (index, word) in block.as_chunks::<8>().0.iter().enumerate() {
        let word = u64::from_le_bytes(*word);
        let space = swar::equal(word, b' ');
        let controls = swar::in_range(word, b'\t', b'\r');
        let lead = swar::equal(word, 0xC2) | swar::in_range(word, 0xE1, 0xE3);
        ascii |= swar::pack(space | controls) << (8 * index);
        leads |= swar::pack(lead) << (8 * index);
    }
    (ascii, leads)
}

/// Byte-wise comparisons inside a `u64` ("SIMD within a register"): each
/// returns `0x80` in the bytes that match and `0` elsewhere, exactly (no
/// carry crosses a byte).
#[cfg(any(test, not(all(target_arch = "x86_64", target_feature = "sse2"))))]
mod swar {
    const ONES: u64 = u64::from_le_bytes([0x01; 8]);
    const HIGH: u64 = u64::from_le_bytes([0x80; 8]);
    const LOW: u64 = !HIGH;

    /// The bytes of `word` equal to `byte`.
    pub fn equal(word: u64, byte: u8) -> u64 {
        let zero_where_equal = word ^ (u64::from(byte) * ONES);
        // The high bit of `low + LOW` is set when the low 7 bits are not all zero.
        !(((zero_where_equal & LOW) + LOW) | zero_where_equal) & HIGH
    }

    /// The bytes of `word` in `first..=last`; both bounds in one half
    /// (`00..=7F` or `80..=FF`).
    pub fn in_range(word: u64, first: u8, last: u8) -> u64 {
        let low = word & LOW;
        // Adding `0x80 - bound` to a 7-bit value sets its high bit when it is >= bound.
        let at_least_first = low + u64::from(0x80 - (first & 0x7F)) * ONES;
        let above_last = low + u64::from(0x80 - (last & 0x7F) - 1) * ONES;
        let same_half = if first & 0x80 == 0 { !word } else { word };
        at_least_first & !above_last & same_half & HIGH
    }

    /// The high bits of the 8 bytes, gathered into the low 8 bits, byte 0 first.
    pub fn pack(flags: u64) -> u64 {
        ((flags >> 7) & ONES).wrapping_mul(0x0102_0408_1020_4080) >> 56
    }
}

/// The SSE2 classifier: 16 bytes per compare, `movemask` to bits.
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
mod x86 {
    use std::arch::x86_64::{
        __m128i, _mm_add_epi8, _mm_cmpeq_epi8, _mm_cmplt_epi8, _mm_movemask_epi8, _mm_or_si128,
        _mm_set_epi64x, _mm_set1_epi8,
    };

    use super::BLOCK;

    /// [`super::classify`] with SSE2.
    #[target_feature(enable = "sse2")]
    pub fn classify_sse2(block: &[u8; BLOCK]) -> (u64, u64) {
        let (mut ascii, mut leads) = (0_u64, 0_u64);
        for (index, lane) in block.as_chunks::<16>().0.iter().enumerate() {
            let (halves, _) = lane.as_chunks::<8>();
            // Two plain loads: no pointer cast, and the compiler fuses them.
            let bytes = _mm_set_epi64x(i64::from_le_bytes(halves[1]), i64::from_le_bytes(halves[0]));
            let space = _mm_cmpeq_epi8(bytes, _mm_set1_epi8(b' ' as i8));
            let controls = in_range(bytes, b'\t', b'\r');
            let lead = _mm_or_si128(
                _mm_cmpeq_epi8(bytes, _mm_set1_epi8(0xC2_u8 as i8)),
                in_range(bytes, 0xE1, 0xE3),
            );
            ascii |= u64::from(_mm_movemask_epi8(_mm_or_si128(space, controls)) as u16) << (16 * index);
            leads |= u64::from(_mm_movemask_epi8(lead) as u16) << (16 * index);
        }
        (ascii, leads)
    }

    /// The bytes in `first..=last`: SSE2 compares only signed bytes, so the
    /// range is shifted to start at -128, where "below" means "in range".
    #[target_feature(enable = "sse2")]
    fn in_range(bytes: __m128i, first: u8, last: u8) -> __m128i {
        let shifted = _mm_add_epi8(bytes, _mm_set1_epi8(0x80_u8.wrapping_sub(first) as i8));
        _mm_cmplt_epi8(shifted, _mm_set1_epi8((0x80_u8.wrapping_add(last - first + 1)) as i8))
    }
}

/// The bytes of the multi-byte whitespace chars that start at the `leads`
/// bits of the block at `base`, and those that spill into the next block.
fn multibyte_marks(bytes: &[u8], base: usize, mut leads: u64) -> (u64, u64) {
    let mut marks = 0_u128;
    while leads != 0 {
        let bit = leads.trailing_zeros() as usize;
        leads &= leads - 1;
        let len = multibyte_whitespace_len(&bytes[base + bit..]);
        marks |= ((1_u128 << len) - 1) << bit;
    }
    (marks as u64, (marks >> BLOCK) as u64)
}

/// The position of the `n`-th set bit of `mask` (from 0, lowest first).
#[inline]
fn nth_bit(mut mask: u64, n: usize) -> usize {
    for _ in 0..n {
        mask &= mask - 1;
    }
    mask.trailing_zeros() as usize
}

/// The chunks being built: which tokens open and close a chunk, where the
/// open chunks start, and the chunks closed so far.
#[derive(Debug)]
struct Windows<'a> {
    text: &'a str,
    size: usize,
    stride: usize,
    /// The token that opens the next chunk: a multiple of `stride`.
    next_start: usize,
    /// The token that closes the next chunk: `size - 1` plus a multiple of `stride`.
    next_end: usize,
    /// The first byte of every chunk opened so far.
    starts: Vec<usize>,
    chunks: Vec<&'a str>,
}

impl<'a> Windows<'a> {
    /// Checks the parameters, in the contract's order, before the text.
    fn new(text: &'a str, size: usize, overlap: usize) -> Result<Windows<'a>, ChunkError> {
        if size == 0 {
            return Err(ChunkError::ZeroSize);
        }
        if overlap >= size {
            return Err(ChunkError::OverlapTooLarge { size, overlap });
        }
        let stride = size - overlap;
        Ok(Windows {
            text,
            size,
            stride,
            next_start: 0,
            next_end: size - 1,
            starts: Vec::new(),
            chunks: Vec::new(),
        })
    }

    /// Token number `token`, starting at byte `offset`: opens a chunk when
    /// it is the one [`Windows::next_start`] waits for.
    #[inline]
    fn start_of_token(&mut self, token: usize, offset: usize) {
        if token == self.next_start {
            self.starts.push(offset);
            // Saturates for huge strides: no later token ever gets there.
            self.next_start = self.next_start.saturating_add(self.stride);
        }
    }

    /// Token number `token`, ending before byte `offset`: closes a chunk
    /// when it is the one [`Windows::next_end`] waits for.
    #[inline]
    fn end_of_token(&mut self, token: usize, offset: usize) {
        if token == self.next_end {
            // The chunk's first token comes before its last: it is open.
            let start = self.starts[self.chunks.len()];
            self.chunks.push(&self.text[start..offset]);
            self.next_end = self.next_end.saturating_add(self.stride);
        }
    }

    /// The chunks of a text of `tokens` tokens. The chunk holding the final
    /// token is still open unless that token closed it; it ends where the
    /// trailing whitespace begins. Chunks opened after it are dropped: they
    /// would hold nothing but overlap.
    fn finish(mut self, tokens: usize) -> Vec<&'a str> {
        let closed_by_final_token = tokens >= self.size && (tokens - self.size).is_multiple_of(self.stride);
        if tokens > 0 && !closed_by_final_token {
            let start = self.starts[self.chunks.len()];
            let end = self.text.trim_end().len();
            self.chunks.push(&self.text[start..end]);
        }
        self.chunks
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What [`classify`] computes for one byte: ASCII whitespace (9 to 13,
    /// and space: unlike `u8::is_ascii_whitespace`, with the vertical tab)...
    fn is_ascii_whitespace(byte: u8) -> bool {
        byte == b' ' || (b'\t'..=b'\r').contains(&byte)
    }

    /// ... and the lead bytes of the multi-byte whitespace chars.
    fn is_whitespace_lead(byte: u8) -> bool {
        byte == 0xC2 || (0xE1..=0xE3).contains(&byte)
    }

    /// The masks [`classify`] should give, one byte at a time.
    fn classify_bytewise(block: &[u8; BLOCK]) -> (u64, u64) {
        let bit = |hit: bool, index: usize| u64::from(hit) << index;
        block.iter().enumerate().fold((0, 0), |(ascii, leads), (index, &byte)| {
            (ascii | bit(is_ascii_whitespace(byte), index), leads | bit(is_whitespace_lead(byte), index))
        })
    }

    #[test]
    fn classifiers_agree_with_the_bytewise_definition() {
        // Every byte value at every position, among neighbours of every value.
        for value in 0..=u8::MAX {
            for position in 0..BLOCK {
                let mut block: [u8; BLOCK] =
                    std::array::from_fn(|index| (index * 37 + usize::from(value)) as u8);
                block[position] = value;
                let expected = classify_bytewise(&block);
                assert_eq!(classify(&block), expected, "byte {value:#04x} at {position}");
                assert_eq!(classify_portable(&block), expected, "byte {value:#04x} at {position}");
            }
        }
    }

    /// Both classifiers together agree with `char::is_whitespace` on every char.
    #[test]
    fn byte_classification_matches_char_is_whitespace_for_every_char() {
        for c in (0..=u32::from(char::MAX)).filter_map(char::from_u32) {
            let mut buffer = [0_u8; 4];
            let bytes = c.encode_utf8(&mut buffer).as_bytes();
            let classified = if c.is_ascii() {
                is_ascii_whitespace(bytes[0])
            } else {
                is_whitespace_lead(bytes[0]) && multibyte_whitespace_len(bytes) == bytes.len()
            };
            assert_eq!(classified, c.is_whitespace(), "{c:?} (U+{:04X})", u32::from(c));
            assert!(multibyte_whitespace_len(bytes) == 0 || is_whitespace_lead(bytes[0]), "{c:?}");
        }
    }

    #[test]
    fn nth_bit_counts_from_the_lowest() {
        assert_eq!(nth_bit(0b1011_0000, 0), 4);
        assert_eq!(nth_bit(0b1011_0000, 2), 7);
        assert_eq!(nth_bit(1 << 63, 0), 63);
    }

    /// Every whitespace char and lookalike, at every offset around the
    /// first two block boundaries: the block scan and the plain scan agree.
    #[test]
    fn block_scan_matches_the_plain_scan_across_block_boundaries() {
        let specials =
            ['\t', '\u{0B}', ' ', '\u{85}', '\u{A0}', '\u{1680}', '\u{2000}', '\u{200A}', '\u{2028}']
                .into_iter()
                .chain([
                    '\u{2029}', '\u{202F}', '\u{205F}', '\u{3000}', '\u{A9}', '\u{2019}', '\u{200B}',
                    '\u{3001}',
                ]);
        for special in specials {
            for offset in 0..140 {
                let text: String =
                    "ab c".chars().cycle().take(offset).chain([special]).chain("dé f".chars()).collect();
                for (size, overlap) in [(1, 0), (2, 1), (3, 0), (5, 2)] {
                    assert_eq!(
                        chunk_tokens(&text, size, overlap),
                        chunk_tokens_by_char(&text, size, overlap),
                        "{text:?}, size {size}, overlap {overlap}"
                    );
                }
            }
        }
    }
}
