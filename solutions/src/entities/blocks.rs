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
    /// The 64-byte blocks, where the CPU has them.
    #[cfg(target_arch = "x86_64")]
    wide: Option<avx512::Avx512>,
}

impl<'t> ByteOffsets<'t> {
    pub(super) fn new(text: &'t str) -> Self {
        ByteOffsets {
            bytes: text.as_bytes(),
            block: 0,
            chars: 0,
            #[cfg(target_arch = "x86_64")]
            wide: avx512::Avx512::detect(),
        }
    }

    /// The byte offset of code point `index`: where its first byte is, or
    /// the text's length for `index` = its length in code points. `index`
    /// must be at least the previous one asked and at most the length.
    #[inline]
    pub(super) fn byte(&mut self, index: u64) -> usize {
        #[cfg(target_arch = "x86_64")]
        if let Some(wide) = self.wide {
            return wide.byte(self, index);
        }
        self.byte_narrow(index)
    }

    /// `byte` 16 bytes at a time.
    fn byte_narrow(&mut self, index: u64) -> usize {
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

/// The 64-byte blocks: AVX-512BW compares into 64-bit masks, BMI2 for
/// the n-th bit, POPCNT to count code points.
#[cfg(target_arch = "x86_64")]
mod avx512 {
    use std::arch::x86_64::{
        __m512i, _bzhi_u64, _mm512_cmpeq_epi8_mask, _mm512_cmplt_epi8_mask, _mm512_cmplt_epu8_mask,
        _mm512_maskz_loadu_epi8, _mm512_set1_epi8, _pdep_u64,
    };

    use super::{ByteOffsets, below_lowest};

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

        /// `ByteOffsets::byte`, 64 bytes at a time.
        #[inline]
        pub(super) fn byte(self, offsets: &mut ByteOffsets<'_>, index: u64) -> usize {
            // SAFETY: see the impl.
            unsafe { byte(offsets, index) }
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

    #[target_feature(enable = "avx512bw,bmi2,popcnt")]
    fn byte(offsets: &mut ByteOffsets<'_>, index: u64) -> usize {
        loop {
            // As in `byte_narrow`, the zeros past the end start the code
            // point at the text's length.
            let starts = starts(block_at(offsets.bytes, offsets.block));
            let count = u64::from(starts.count_ones());
            if index < offsets.chars + count {
                // The n-th set bit of `starts`: `pdep` deposits a lone bit
                // n onto it.
                let nth = _pdep_u64(1 << (index - offsets.chars), starts);
                return offsets.block + nth.trailing_zeros() as usize;
            }
            if offsets.block + WIDE >= offsets.bytes.len() {
                return offsets.bytes.len();
            }
            offsets.chars += count;
            offsets.block += WIDE;
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

    /// `ByteOffsets` on the 16-byte blocks, whatever the CPU has.
    fn narrow(text: &str) -> ByteOffsets<'_> {
        ByteOffsets {
            #[cfg(target_arch = "x86_64")]
            wide: None,
            ..ByteOffsets::new(text)
        }
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
    fn text_and_offsets() -> impl Strategy<Value = (String, Vec<u64>)> {
        let chars =
            prop::collection::vec(prop::sample::select(&['x', 'a', ' ', 'é', 'ß', '東', '🦀'][..]), 0..300);
        chars.prop_flat_map(|chars| {
            let text: String = chars.iter().collect();
            let len = chars.len() as u64;
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
            let mut narrow = narrow(&text);
            let mut chosen = ByteOffsets::new(&text);
            for &offset in &offsets {
                prop_assert_eq!(narrow.byte(offset), expected[offset as usize]);
                prop_assert_eq!(chosen.byte(offset), expected[offset as usize]);
            }
        }
    }

    /// The tests above ran the wide blocks only if this CPU has them.
    #[test]
    fn the_wide_blocks_are_chosen_where_the_cpu_has_them() {
        #[cfg(target_arch = "x86_64")]
        assert_eq!(
            ByteOffsets::new("").wide.is_some(),
            is_x86_feature_detected!("avx512bw")
                && is_x86_feature_detected!("bmi2")
                && is_x86_feature_detected!("popcnt")
        );
    }
}
