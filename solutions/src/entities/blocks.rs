//! Bytes classified 16 at a time: where a string's plain run ends, which
//! bytes start a code point, and from those, code points to byte offsets.

/// Bytes classified at once: 16, one SSE2 register.
pub(super) const BLOCK: usize = 16;

/// One bit per byte of a block.
pub(super) const BLOCK_BITS: u32 = (1 << BLOCK) - 1;

/// The block of `bytes` at `at`; past their end, zeros.
#[inline]
pub(super) fn block_at(bytes: &[u8], at: usize) -> [u8; BLOCK] {
    if let Some(block) = bytes.get(at..).and_then(<[u8]>::first_chunk::<BLOCK>) {
        return *block;
    }
    let mut padded = [0; BLOCK];
    let tail = bytes.get(at..).unwrap_or_default();
    padded[..tail.len()].copy_from_slice(tail);
    padded
}

/// Two bit masks of a block, bit `i` for byte `i`: the bytes that end a
/// plain run of string bytes (`"`, `\` and control characters), and the
/// UTF-8 continuation bytes (`0b10xx_xxxx`).
#[inline]
pub(super) fn classify(block: &[u8; BLOCK]) -> (u32, u32) {
    #[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
    // SAFETY: the only requirement of `classify_sse2` is the SSE2 feature,
    // and this build enables it statically (the cfg above); every x86-64
    // CPU has it.
    return unsafe { x86::classify_sse2(block) };
    #[cfg(not(all(target_arch = "x86_64", target_feature = "sse2")))]
    return classify_portable(block);
}

/// `classify` in plain Rust, a byte at a time: the path for CPUs other
/// than x86-64, tested against the SSE2 one everywhere.
#[cfg(any(test, not(all(target_arch = "x86_64", target_feature = "sse2"))))]
fn classify_portable(block: &[u8; BLOCK]) -> (u32, u32) {
    block.iter().enumerate().fold((0, 0), |(ends, continuations), (index, &byte)| {
        let ends_run = byte == b'"' || byte == b'\\' || byte < 0x20;
        let continues = byte & 0xc0 == 0x80;
        (ends | (u32::from(ends_run) << index), continuations | (u32::from(continues) << index))
    })
}

/// The SSE2 classifier: 16 bytes per compare, `movemask` to bits.
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
mod x86 {
    use std::arch::x86_64::{
        _mm_cmpeq_epi8, _mm_cmplt_epi8, _mm_movemask_epi8, _mm_or_si128, _mm_set_epi64x, _mm_set1_epi8,
        _mm_xor_si128,
    };

    use super::BLOCK;

    /// `super::classify` with SSE2.
    #[target_feature(enable = "sse2")]
    pub fn classify_sse2(block: &[u8; BLOCK]) -> (u32, u32) {
        let (halves, _) = block.as_chunks::<8>();
        // Two plain loads: no pointer cast, and the compiler fuses them.
        let bytes = _mm_set_epi64x(i64::from_le_bytes(halves[1]), i64::from_le_bytes(halves[0]));
        let quote = _mm_cmpeq_epi8(bytes, _mm_set1_epi8(b'"' as i8));
        let backslash = _mm_cmpeq_epi8(bytes, _mm_set1_epi8(b'\\' as i8));
        // SSE2 compares signed bytes: flipping the top bit makes "below
        // 0x20, unsigned" a signed "below 0x20 - 0x80".
        let flipped = _mm_xor_si128(bytes, _mm_set1_epi8(i8::MIN));
        let control = _mm_cmplt_epi8(flipped, _mm_set1_epi8((0x20_u8 ^ 0x80) as i8));
        // 0x80..=0xbf are the signed bytes below 0xc0 = -64.
        let continuation = _mm_cmplt_epi8(bytes, _mm_set1_epi8(0xc0_u8 as i8));
        let ends = _mm_or_si128(_mm_or_si128(quote, backslash), control);
        (_mm_movemask_epi8(ends) as u32, _mm_movemask_epi8(continuation) as u32)
    }
}

/// Converts code-point offsets, asked in increasing order, into byte
/// offsets within one text, in one forward walk over it: a block at a
/// time while the code point sought lies beyond it (its code points
/// counted as the bytes that are not continuations), then straight to it
/// within the block.
pub(super) struct ByteOffsets<'t> {
    bytes: &'t [u8],
    /// The block the walk stands at.
    block: usize,
    /// The code points that start before it.
    chars: u64,
}

impl<'t> ByteOffsets<'t> {
    pub(super) fn new(text: &'t str) -> Self {
        ByteOffsets { bytes: text.as_bytes(), block: 0, chars: 0 }
    }

    /// The byte offset of code point `index`: where its first byte is, or
    /// the text's length for `index` = its length in code points. `index`
    /// must be at least the previous one asked and at most the length.
    pub(super) fn byte(&mut self, index: u64) -> usize {
        loop {
            // The zeros that pad the last block start code points of their
            // own, the first at the text's length: the length is found as
            // the position of code point `chars` like any other.
            let (_, continuations) = classify(&block_at(self.bytes, self.block));
            let starts = !continuations & BLOCK_BITS;
            let count = u64::from(starts.count_ones());
            if index < self.chars + count {
                return self.block + nth_bit(starts, index - self.chars);
            }
            if self.block + BLOCK >= self.bytes.len() {
                return self.bytes.len();
            }
            self.chars += count;
            self.block += BLOCK;
        }
    }
}

/// The position of the `n`-th set bit of `bits`, from the lowest (`n`
/// below their count).
fn nth_bit(mut bits: u32, n: u64) -> usize {
    for _ in 0..n {
        bits &= bits - 1;
    }
    bits.trailing_zeros() as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every code point's byte offset, and the length, as std finds them.
    fn std_offsets(text: &str) -> Vec<usize> {
        text.char_indices().map(|(byte, _)| byte).chain([text.len()]).collect()
    }

    #[test]
    fn byte_offsets_agree_with_char_indices_asked_in_any_increasing_order() {
        let texts = [
            "",
            "x",
            "plain ascii text longer than a word",
            "é",
            "Zoë met Ada in 東京 🦀🦀 ok",
            &"aé東🦀".repeat(9),
            &"x".repeat(BLOCK),
            &"é".repeat(BLOCK),
        ];
        for text in texts {
            let expected = std_offsets(text);
            for step in 1..=5 {
                let mut offsets = ByteOffsets::new(text);
                for index in (0..expected.len()).step_by(step) {
                    assert_eq!(offsets.byte(index as u64), expected[index], "{text:?}, code point {index}");
                }
            }
            let mut last_only = ByteOffsets::new(text);
            assert_eq!(last_only.byte(expected.len() as u64 - 1), text.len(), "{text:?}");
        }
    }

    #[test]
    fn the_classifier_agrees_with_the_bytewise_definition() {
        // Every byte value at every position of a block.
        for value in 0..=u8::MAX {
            for position in 0..BLOCK {
                let mut block: [u8; BLOCK] =
                    std::array::from_fn(|index| b"ab\xc3\xa9x\"\\\x01\xf0\x9f\xa6\x80 z]\x7f"[index]);
                block[position] = value;
                assert_eq!(classify(&block), classify_portable(&block), "{block:?}");
            }
        }
    }

    #[test]
    fn blocks_past_the_end_are_padded_with_zeros() {
        assert_eq!(block_at(b"abc", 1), *b"bc\0\0\0\0\0\0\0\0\0\0\0\0\0\0");
        assert_eq!(block_at(b"abc", 3), [0; BLOCK]);
        assert_eq!(&block_at(&[7; 40], 20), &[7; BLOCK]);
    }

    #[test]
    fn nth_bit_counts_from_the_lowest() {
        assert_eq!(nth_bit(0b1011_0000, 0), 4);
        assert_eq!(nth_bit(0b1011_0000, 2), 7);
    }
}
