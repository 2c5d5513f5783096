//! Bytes classified a block at a time: where a string's plain run ends,
//! which bytes start a code point, and from those, code points to byte
//! offsets.
//!
//! Two widths. Where the CPU has AVX-512BW (checked at run time), a block
//! is 64 bytes: one masked load (the lanes past the text's end read as
//! zeros, and are not read at all), one compare per class into a 64-bit
//! mask, and the n-th code point of a block found by one `pdep`; a
//! 200-byte text is four blocks. Elsewhere a block is 16 bytes, classified
//! with SSE2 (every x86-64) or in plain Rust, and copied into a zero-padded
//! array at the end of the text. Both widths give the same answers; the
//! tests compare them on random bytes.

/// Bytes classified at once: 16, one SSE2 register.
const BLOCK: usize = 16;

/// One bit per byte of a block.
const BLOCK_BITS: u32 = (1 << BLOCK) - 1;

/// The block of `bytes` at `at`; past their end, zeros.
#[inline]
fn block_at(bytes: &[u8], at: usize) -> [u8; BLOCK] {
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
fn classify(block: &[u8; BLOCK]) -> (u32, u32) {
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

/// A plain run of string bytes from `from`: where it ends (the first `"`,
/// `\` or control character, or the length) and, when `COUNT`, how many
/// chars start in it.
///
/// The zeros past the end of the last block end a run like any control
/// character, so a run that reaches them ends at the length.
#[inline]
pub(super) fn plain_run<const COUNT: bool>(bytes: &[u8], from: usize) -> (usize, u64) {
    #[cfg(target_arch = "x86_64")]
    if let Some(wide) = avx512::Avx512::detect() {
        return wide.plain_run::<COUNT>(bytes, from);
    }
    plain_run_narrow::<COUNT>(bytes, from)
}

/// `plain_run` 16 bytes at a time.
fn plain_run_narrow<const COUNT: bool>(bytes: &[u8], from: usize) -> (usize, u64) {
    let mut at = from;
    let mut chars = 0;
    loop {
        let (ends, continuations) = classify(&block_at(bytes, at));
        if COUNT {
            let starts = !continuations & BLOCK_BITS;
            chars += u64::from((u64::from(starts) & below_lowest(u64::from(ends))).count_ones());
        }
        if ends != 0 {
            return ((at + ends.trailing_zeros() as usize).min(bytes.len()), chars);
        }
        at += BLOCK;
    }
}

/// The bits below the lowest set bit of `bits` (all of them if none is set).
#[inline]
fn below_lowest(bits: u64) -> u64 {
    (bits & bits.wrapping_neg()).wrapping_sub(1)
}

/// Converts code-point offsets (in increasing order, none past the
/// text's length in code points) into byte offsets within `text`, in
/// place: one call per document, whichever width the CPU runs.
pub(super) fn code_points_to_bytes(text: &str, offsets: &mut [usize]) {
    #[cfg(target_arch = "x86_64")]
    if let Some(wide) = avx512::Avx512::detect() {
        return wide.code_points_to_bytes(text.as_bytes(), offsets);
    }
    let mut cursor = ByteOffsets::new(text);
    for offset in offsets {
        *offset = cursor.byte(*offset);
    }
}

/// Converts code-point offsets, asked in increasing order, into byte
/// offsets within one text, in one forward walk over it, 16 bytes at a
/// time while the code point sought lies beyond the block (its code
/// points counted as the bytes that are not continuations), then straight
/// to it within the block.
struct ByteOffsets<'t> {
    bytes: &'t [u8],
    /// The block the walk stands at.
    block: usize,
    /// The code points that start before it.
    chars: usize,
}

impl<'t> ByteOffsets<'t> {
    fn new(text: &'t str) -> Self {
        ByteOffsets { bytes: text.as_bytes(), block: 0, chars: 0 }
    }

    /// The byte offset of code point `index`: where its first byte is, or
    /// the text's length for `index` = its length in code points. `index`
    /// must be at least the previous one asked and at most the length.
    fn byte(&mut self, index: usize) -> usize {
        loop {
            // The zeros that pad the last block start code points of their
            // own, the first at the text's length: the length is found as
            // the position of code point `chars` like any other.
            let (_, continuations) = classify(&block_at(self.bytes, self.block));
            let starts = !continuations & BLOCK_BITS;
            let count = starts.count_ones() as usize;
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
fn nth_bit(mut bits: u32, n: usize) -> usize {
    for _ in 0..n {
        bits &= bits - 1;
    }
    bits.trailing_zeros() as usize
}

/// The 64-byte blocks: AVX-512BW compares into 64-bit masks, BMI2 for
/// the n-th bit, POPCNT to count code points.
#[cfg(target_arch = "x86_64")]
mod avx512 {
    use std::arch::x86_64::{
        __m512i, _bzhi_u64, _mm512_cmpeq_epi8_mask, _mm512_cmplt_epi8_mask, _mm512_cmplt_epu8_mask,
        _mm512_maskz_loadu_epi8, _mm512_set1_epi8, _pdep_u64,
    };

    use super::below_lowest;

    /// Bytes in a block.
    pub(super) const WIDE: usize = 64;

    /// Proof that the CPU runs AVX-512BW, BMI2 and POPCNT: only
    /// [`Avx512::detect`] makes one.
    #[derive(Debug, Clone, Copy)]
    pub(super) struct Avx512(());

    // SAFETY (both methods): the functions called enable AVX-512BW, BMI2
    // and POPCNT, nothing else, and an `Avx512` exists only where `detect`
    // found all three; their other requirements are those of safe code.
    impl Avx512 {
        /// A token if this CPU runs the 64-byte blocks (std caches the
        /// answer: a load and a test per call).
        #[inline]
        pub(super) fn detect() -> Option<Avx512> {
            let runs = is_x86_feature_detected!("avx512bw")
                && is_x86_feature_detected!("bmi2")
                && is_x86_feature_detected!("popcnt");
            runs.then_some(Avx512(()))
        }

        /// `super::plain_run`, 64 bytes at a time.
        #[inline]
        pub(super) fn plain_run<const COUNT: bool>(self, bytes: &[u8], from: usize) -> (usize, u64) {
            // SAFETY: see the impl.
            unsafe { plain_run::<COUNT>(bytes, from) }
        }

        /// `super::code_points_to_bytes`, 64 bytes at a time.
        #[inline]
        pub(super) fn code_points_to_bytes(self, bytes: &[u8], offsets: &mut [usize]) {
            // SAFETY: see the impl.
            unsafe { code_points_to_bytes(bytes, offsets) }
        }
    }

    /// The block of `bytes` at `at` (at most their length); past their
    /// end, zeros.
    #[target_feature(enable = "avx512bw,bmi2,popcnt")]
    fn block_at(bytes: &[u8], at: usize) -> __m512i {
        let at = at.min(bytes.len());
        // One bit per byte present, up to 64 (`bzhi` keeps all 64 bits for
        // an index of 64 or more).
        let present = _bzhi_u64(u64::MAX, (bytes.len() - at).min(WIDE) as u32);
        // SAFETY: `at` is at most the length, so the pointer is in the
        // slice or one past it; the load reads only the lanes whose mask
        // bit is set, the bytes from `at` to the end, at most 64, and
        // suppresses faults on the others; it needs no alignment.
        unsafe { _mm512_maskz_loadu_epi8(present, bytes.as_ptr().add(at).cast()) }
    }

    /// The bytes of a block that end a plain run: `"`, `\` and control
    /// characters (the zeros past the end among them).
    #[target_feature(enable = "avx512bw,bmi2,popcnt")]
    fn run_ends(block: __m512i) -> u64 {
        _mm512_cmpeq_epi8_mask(block, _mm512_set1_epi8(b'"' as i8))
            | _mm512_cmpeq_epi8_mask(block, _mm512_set1_epi8(b'\\' as i8))
            | _mm512_cmplt_epu8_mask(block, _mm512_set1_epi8(0x20))
    }

    /// The bytes of a block that start a code point: all but the UTF-8
    /// continuation bytes `0x80..=0xbf`, the signed bytes below `0xc0`
    /// (-64); the zeros past the end start code points of their own.
    #[target_feature(enable = "avx512bw,bmi2,popcnt")]
    fn starts(block: __m512i) -> u64 {
        !_mm512_cmplt_epi8_mask(block, _mm512_set1_epi8(0xc0_u8 as i8))
    }

    #[target_feature(enable = "avx512bw,bmi2,popcnt")]
    fn plain_run<const COUNT: bool>(bytes: &[u8], from: usize) -> (usize, u64) {
        let mut at = from;
        let mut chars = 0;
        loop {
            let block = block_at(bytes, at);
            let ends = run_ends(block);
            if COUNT {
                chars += u64::from((starts(block) & below_lowest(ends)).count_ones());
            }
            if ends != 0 {
                return ((at + ends.trailing_zeros() as usize).min(bytes.len()), chars);
            }
            at += WIDE;
        }
    }

    /// Texts shorter than this many blocks take `short_text_offsets`.
    const SHORT_BLOCKS: usize = 4;

    /// One walk over the text for all the offsets, the current block's
    /// code-point starts kept from one offset to the next.
    #[target_feature(enable = "avx512bw,bmi2,popcnt")]
    fn code_points_to_bytes(bytes: &[u8], offsets: &mut [usize]) {
        if bytes.len() < SHORT_BLOCKS * WIDE {
            return short_text_offsets(bytes, offsets);
        }
        let (mut block, mut chars_before) = (0, 0);
        // As in `ByteOffsets::byte`, the zeros past the end start the code
        // point at the text's length.
        let mut block_starts = starts(block_at(bytes, block));
        for offset in offsets {
            let index = *offset;
            *offset = loop {
                let count = block_starts.count_ones() as usize;
                if index < chars_before + count {
                    // The n-th set bit: `pdep` deposits a lone bit n onto them.
                    let nth = _pdep_u64(1 << (index - chars_before), block_starts);
                    break block + nth.trailing_zeros() as usize;
                }
                if block + WIDE >= bytes.len() {
                    break bytes.len();
                }
                chars_before += count;
                block += WIDE;
                block_starts = starts(block_at(bytes, block));
            };
        }
    }

    /// `code_points_to_bytes` for a text shorter than `SHORT_BLOCKS`
    /// blocks (a few hundred bytes, the usual): every block's code-point
    /// starts up front, and each offset's block picked by comparing it with
    /// the code points before each block, instead of by a loop whose exit
    /// depends on the offset (a branch that mispredicts about once an
    /// offset). Blocks past the end are zeros: each byte starts a code
    /// point, so none is picked for an offset up to the text's length.
    #[target_feature(enable = "avx512bw,bmi2,popcnt")]
    fn short_text_offsets(bytes: &[u8], offsets: &mut [usize]) {
        let mut block_starts = [0; SHORT_BLOCKS];
        let mut chars_before = [0; SHORT_BLOCKS];
        let mut chars = 0;
        for block in 0..SHORT_BLOCKS {
            block_starts[block] = starts(block_at(bytes, block * WIDE));
            chars_before[block] = chars;
            chars += block_starts[block].count_ones() as usize;
        }
        for offset in offsets {
            let index = *offset;
            let block = chars_before[1..].iter().filter(|&&before| index >= before).count();
            // Below 64 for an offset up to the length; past it, no bit.
            let n = u32::try_from(index - chars_before[block]).unwrap_or(u32::MAX);
            let lone = 1_u64.checked_shl(n).unwrap_or(0);
            let nth = _pdep_u64(lone, block_starts[block]);
            *offset = (block * WIDE + nth.trailing_zeros() as usize).min(bytes.len());
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

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
                let indices: Vec<usize> = (0..expected.len()).step_by(step).collect();
                let wanted: Vec<usize> = indices.iter().map(|&index| expected[index]).collect();
                let mut narrow = ByteOffsets::new(text);
                let narrow: Vec<usize> = indices.iter().map(|&index| narrow.byte(index)).collect();
                assert_eq!(narrow, wanted, "{text:?}, every {step}");
                let mut chosen = indices.clone();
                code_points_to_bytes(text, &mut chosen);
                assert_eq!(chosen, wanted, "{text:?}, every {step}");
            }
            let mut last_only = [expected.len() - 1];
            code_points_to_bytes(text, &mut last_only);
            assert_eq!(last_only, [text.len()], "{text:?}");
            assert_eq!(ByteOffsets::new(text).byte(expected.len() - 1), text.len(), "{text:?}");
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

    /// Bytes weighted towards the ones a block tells apart: run ends,
    /// continuations, UTF-8 leads, zeros.
    fn block_bytes() -> impl Strategy<Value = Vec<u8>> {
        let byte = prop_oneof![
            8 => Just(b'x'),
            1 => Just(b'"'),
            1 => Just(b'\\'),
            1 => 0..0x20_u8,
            2 => 0x80..0xc0_u8,
            1 => 0xc0..=u8::MAX,
            1 => any::<u8>(),
        ];
        prop::collection::vec(byte, 0..300)
    }

    /// Texts of mixed widths, and increasing code-point offsets into them
    /// (the length now and then).
    fn text_and_offsets() -> impl Strategy<Value = (String, Vec<usize>)> {
        let chars =
            prop::collection::vec(prop::sample::select(&['x', 'a', ' ', 'é', 'ß', '東', '🦀'][..]), 0..300);
        chars.prop_flat_map(|chars| {
            let text: String = chars.iter().collect();
            let len = chars.len();
            let offsets = prop::collection::vec(0..=len, 0..8).prop_map(|mut offsets| {
                offsets.sort_unstable();
                offsets
            });
            (Just(text), offsets)
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig { failure_persistence: None, ..ProptestConfig::with_cases(2_000) })]

        #[test]
        fn plain_runs_agree_on_both_widths(bytes in block_bytes(), from in any::<prop::sample::Index>()) {
            let from = from.index(bytes.len() + 1);
            let narrow = (plain_run_narrow::<true>(&bytes, from), plain_run_narrow::<false>(&bytes, from).0);
            let end = bytes[from..].iter().position(|&byte| byte == b'"' || byte == b'\\' || byte < 0x20);
            let end = end.map_or(bytes.len(), |end| from + end);
            let chars = bytes[from..end].iter().filter(|&&byte| byte & 0xc0 != 0x80).count() as u64;
            prop_assert_eq!(narrow, ((end, chars), end));
            prop_assert_eq!(plain_run::<true>(&bytes, from), (end, chars));
            #[cfg(target_arch = "x86_64")]
            if let Some(wide) = avx512::Avx512::detect() {
                prop_assert_eq!(wide.plain_run::<true>(&bytes, from), (end, chars));
                prop_assert_eq!(wide.plain_run::<false>(&bytes, from).0, end);
            }
        }

        #[test]
        fn byte_offsets_agree_on_both_widths((text, offsets) in text_and_offsets()) {
            let expected = std_offsets(&text);
            let wanted: Vec<usize> = offsets.iter().map(|&offset| expected[offset]).collect();
            let mut narrow = ByteOffsets::new(&text);
            let narrow: Vec<usize> = offsets.iter().map(|&offset| narrow.byte(offset)).collect();
            prop_assert_eq!(&narrow, &wanted);
            let mut chosen = offsets.clone();
            code_points_to_bytes(&text, &mut chosen);
            prop_assert_eq!(&chosen, &wanted);
            #[cfg(target_arch = "x86_64")]
            if let Some(wide) = avx512::Avx512::detect() {
                let mut wide_offsets = offsets.clone();
                wide.code_points_to_bytes(text.as_bytes(), &mut wide_offsets);
                prop_assert_eq!(&wide_offsets, &wanted);
            }
        }
    }
}
