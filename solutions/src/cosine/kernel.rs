//! The three sums of a cosine, `a·b`, `a·a` and `b·b`, in one pass, and the
//! dot product of a query with many rows.
//!
//! Each instruction set has its own loop; [`Kernel`] picks one at run time.
//! All of them share the same plan: f32 lanes in four independent
//! accumulators per sum, folded into f64 every [`BLOCK`] elements.

use std::sync::OnceLock;

/// Elements summed in f32 before the partial sums are folded into f64: it
/// bounds the rounding error of a sum of any length by that of one block.
const BLOCK: usize = 4096;

/// The environment variable that pins [`Kernel::best`] to one kernel.
pub const KERNEL_VARIABLE: &str = "KATA_KERNEL";

/// Below this squared norm the f32 sums may have lost terms to underflow.
const MIN_TRUSTED_SQUARED_NORM: f64 = 1.0 / (1_u64 << 60) as f64;

/// An implementation of the inner loops.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kernel {
    /// Plain Rust over 8-lane arrays, vectorised by the compiler for the
    /// build's baseline target. Runs everywhere.
    Portable,
    /// x86-64 AVX2 with FMA: 8 lanes, fused multiply-add.
    Avx2,
    /// x86-64 AVX-512F: 16 lanes, and masked loads for the tail.
    Avx512,
}

impl Kernel {
    /// The kernel every public function uses: the fastest this CPU runs,
    /// detected once, unless the environment variable `KATA_KERNEL`
    /// (`portable`, `avx2` or `avx512`) names another one this CPU runs, so
    /// that the whole test suite can be run through each path.
    pub fn best() -> Kernel {
        static BEST: OnceLock<Kernel> = OnceLock::new();
        *BEST.get_or_init(|| {
            let requested = std::env::var(KERNEL_VARIABLE).ok().and_then(|name| Kernel::from_name(&name));
            requested.filter(|kernel| kernel.is_available()).unwrap_or_else(|| {
                [Kernel::Avx512, Kernel::Avx2]
                    .into_iter()
                    .find(|kernel| kernel.is_available())
                    .unwrap_or(Kernel::Portable)
            })
        })
    }

    /// The kernel named `portable`, `avx2` or `avx512` (any case).
    pub fn from_name(name: &str) -> Option<Kernel> {
        match name.trim().to_ascii_lowercase().as_str() {
            "portable" => Some(Kernel::Portable),
            "avx2" => Some(Kernel::Avx2),
            "avx512" => Some(Kernel::Avx512),
            _ => None,
        }
    }

    /// Every kernel this CPU runs, the portable one first.
    pub fn available() -> Vec<Kernel> {
        [Kernel::Portable, Kernel::Avx2, Kernel::Avx512]
            .into_iter()
            .filter(|kernel| kernel.is_available())
            .collect()
    }

    /// Whether this CPU has the instructions the kernel needs.
    pub fn is_available(self) -> bool {
        match self {
            Kernel::Portable => true,
            #[cfg(target_arch = "x86_64")]
            Kernel::Avx2 => is_x86_feature_detected!("avx2") && is_x86_feature_detected!("fma"),
            #[cfg(target_arch = "x86_64")]
            Kernel::Avx512 => is_x86_feature_detected!("avx512f"),
            #[cfg(not(target_arch = "x86_64"))]
            _ => false,
        }
    }

    /// `a·b`, `a·a` and `b·b` of two slices of one length.
    ///
    /// A kernel this CPU lacks falls back to [`Kernel::Portable`].
    pub(crate) fn sums(self, a: &[f32], b: &[f32]) -> Sums {
        debug_assert_eq!(a.len(), b.len());
        let mut total = Sums::default();
        for (a, b) in a.chunks(BLOCK).zip(b.chunks(BLOCK)) {
            total.add(self.block_sums(a, b));
        }
        total
    }

    /// The cosine of two slices of one length, when a single f32 pass can
    /// be trusted with it: at most one block long, every sum finite, and
    /// both squared norms in `[2⁻⁶⁰, 2¹⁰⁰]`, so that nothing underflowed and
    /// `‖a‖ ‖b‖` cannot overflow. Everything stays in f32 registers: this is
    /// the path embedding-sized vectors take.
    #[inline]
    pub(crate) fn short_cosine(self, a: &[f32], b: &[f32]) -> Option<f32> {
        const LOW: f32 = 1.0 / (1_u64 << 60) as f32;
        const HIGH: f32 = (1_u128 << 100) as f32;
        if a.len() > BLOCK {
            return None;
        }
        let [dot, aa, bb] = self.block_sums(a, b);
        let in_range = |x: f32| (LOW..=HIGH).contains(&x);
        (dot.is_finite() && in_range(aa) && in_range(bb))
            .then(|| (dot / (aa.sqrt() * bb.sqrt())).clamp(-1.0, 1.0))
    }

    /// `a·b` of two slices of one length, in f32 lanes folded into f64.
    pub(crate) fn dot(self, a: &[f32], b: &[f32]) -> f64 {
        debug_assert_eq!(a.len(), b.len());
        a.chunks(BLOCK).zip(b.chunks(BLOCK)).map(|(a, b)| f64::from(self.block_dot(a, b))).sum()
    }

    /// `query·row` for each row of `rows` (consecutive runs of
    /// `query.len()` floats) into `out`, with one dispatch for all of them.
    pub(crate) fn dots(self, query: &[f32], rows: &[f32], out: &mut [f32]) {
        let rows_iter = rows.chunks_exact(query.len().max(1));
        debug_assert_eq!(rows_iter.len(), out.len());
        match self {
            _ if query.len() > BLOCK || query.is_empty() => {
                for (row, out) in rows_iter.zip(out) {
                    *out = self.dot(query, row) as f32;
                }
            }
            #[cfg(target_arch = "x86_64")]
            // SAFETY: `is_available` checked that the CPU has AVX-512F.
            Kernel::Avx512 if self.is_available() => unsafe { x86::dots_avx512(query, rows, out) },
            #[cfg(target_arch = "x86_64")]
            // SAFETY: `is_available` checked that the CPU has AVX2 and FMA.
            Kernel::Avx2 if self.is_available() => unsafe { x86::dots_avx2(query, rows, out) },
            _ => {
                for (row, out) in rows_iter.zip(out) {
                    *out = portable::dot(query, row);
                }
            }
        }
    }

    /// [`Kernel::sums`] of `query` with each row of `rows` into `out`, with
    /// one dispatch for all of them.
    pub(crate) fn row_sums(self, query: &[f32], rows: &[f32], out: &mut [Sums]) {
        let rows_iter = rows.chunks_exact(query.len().max(1));
        debug_assert_eq!(rows_iter.len(), out.len());
        match self {
            _ if query.len() > BLOCK || query.is_empty() => {
                for (row, out) in rows_iter.zip(out) {
                    *out = self.sums(query, row);
                }
            }
            #[cfg(target_arch = "x86_64")]
            // SAFETY: `is_available` checked that the CPU has AVX-512F.
            Kernel::Avx512 if self.is_available() => unsafe { x86::row_sums_avx512(query, rows, out) },
            #[cfg(target_arch = "x86_64")]
            // SAFETY: `is_available` checked that the CPU has AVX2 and FMA.
            Kernel::Avx2 if self.is_available() => unsafe { x86::row_sums_avx2(query, rows, out) },
            _ => {
                for (row, out) in rows_iter.zip(out) {
                    *out = Sums::from_block(portable::sums(query, row));
                }
            }
        }
    }

    #[inline]
    fn block_sums(self, a: &[f32], b: &[f32]) -> [f32; 3] {
        match self {
            #[cfg(target_arch = "x86_64")]
            // SAFETY: `is_available` checked that the CPU has AVX-512F.
            Kernel::Avx512 if self.is_available() => unsafe { x86::sums_avx512(a, b) },
            #[cfg(target_arch = "x86_64")]
            // SAFETY: `is_available` checked that the CPU has AVX2 and FMA.
            Kernel::Avx2 if self.is_available() => unsafe { x86::sums_avx2(a, b) },
            _ => portable::sums(a, b),
        }
    }

    fn block_dot(self, a: &[f32], b: &[f32]) -> f32 {
        match self {
            #[cfg(target_arch = "x86_64")]
            // SAFETY: `is_available` checked that the CPU has AVX-512F.
            Kernel::Avx512 if self.is_available() => unsafe { x86::dot_avx512(a, b) },
            #[cfg(target_arch = "x86_64")]
            // SAFETY: `is_available` checked that the CPU has AVX2 and FMA.
            Kernel::Avx2 if self.is_available() => unsafe { x86::dot_avx2(a, b) },
            _ => portable::dot(a, b),
        }
    }
}

/// The three sums of a cosine.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct Sums {
    pub dot: f64,
    pub aa: f64,
    pub bb: f64,
}

impl Sums {
    /// The sums in f64, one term at a time: slow, and exact enough for any
    /// finite f32 input (a squared f32 never overflows or underflows f64).
    pub fn exact(a: &[f32], b: &[f32]) -> Sums {
        let mut sums = Sums::default();
        for (&x, &y) in a.iter().zip(b) {
            let (x, y) = (f64::from(x), f64::from(y));
            sums.dot += x * y;
            sums.aa += x * x;
            sums.bb += y * y;
        }
        sums
    }

    /// Whether sums taken in f32 can be trusted: nothing was NaN, infinite
    /// or overflowed, and neither norm is small enough to have underflowed.
    pub fn trusted(&self) -> bool {
        self.dot.is_finite()
            && self.aa.is_finite()
            && self.bb.is_finite()
            && self.aa >= MIN_TRUSTED_SQUARED_NORM
            && self.bb >= MIN_TRUSTED_SQUARED_NORM
    }

    /// The cosine these sums give, clamped to `[-1, 1]` against rounding.
    pub fn cosine(&self) -> f32 {
        // aa * bb stays in f64's range for any f32 input: one square root.
        (self.dot / (self.aa * self.bb).sqrt()).clamp(-1.0, 1.0) as f32
    }

    /// The sums of one block, widened to f64.
    pub fn from_block([dot, aa, bb]: [f32; 3]) -> Sums {
        Sums { dot: f64::from(dot), aa: f64::from(aa), bb: f64::from(bb) }
    }

    fn add(&mut self, [dot, aa, bb]: [f32; 3]) {
        self.dot += f64::from(dot);
        self.aa += f64::from(aa);
        self.bb += f64::from(bb);
    }
}

/// The reference loops: 8 lanes in plain arrays, which the compiler turns
/// into vector registers of the baseline target (SSE2 on x86-64).
mod portable {
    const LANES: usize = 8;

    type Lane = [f32; LANES];
    type Blocks<'a> = std::iter::Zip<std::slice::Iter<'a, Lane>, std::slice::Iter<'a, Lane>>;

    /// Splits two slices into 8-lane blocks (arrays, so every index is
    /// known in bounds) and their zero-padded tails.
    fn split<'a>(a: &'a [f32], b: &'a [f32]) -> (Blocks<'a>, (Lane, Lane)) {
        let (a_blocks, a_tail) = a.as_chunks::<LANES>();
        let (b_blocks, b_tail) = b.as_chunks::<LANES>();
        let (mut a_rest, mut b_rest) = ([0.0; LANES], [0.0; LANES]);
        a_rest[..a_tail.len()].copy_from_slice(a_tail);
        b_rest[..b_tail.len()].copy_from_slice(b_tail);
        (a_blocks.iter().zip(b_blocks), (a_rest, b_rest))
    }

    pub fn sums(a: &[f32], b: &[f32]) -> [f32; 3] {
        let mut acc = [[0.0_f32; LANES]; 3];
        let step = |[dot, aa, bb]: &mut [Lane; 3], x: &Lane, y: &Lane| {
            for lane in 0..LANES {
                dot[lane] += x[lane] * y[lane];
                aa[lane] += x[lane] * x[lane];
                bb[lane] += y[lane] * y[lane];
            }
        };
        let (blocks, (a_rest, b_rest)) = split(a, b);
        for (x, y) in blocks {
            step(&mut acc, x, y);
        }
        step(&mut acc, &a_rest, &b_rest);
        acc.map(|sum| sum.iter().sum())
    }

    pub fn dot(a: &[f32], b: &[f32]) -> f32 {
        let mut acc = [0.0_f32; LANES];
        let step = |acc: &mut Lane, x: &Lane, y: &Lane| {
            for lane in 0..LANES {
                acc[lane] += x[lane] * y[lane];
            }
        };
        let (blocks, (a_rest, b_rest)) = split(a, b);
        for (x, y) in blocks {
            step(&mut acc, x, y);
        }
        step(&mut acc, &a_rest, &b_rest);
        acc.iter().sum()
    }
}

#[cfg(target_arch = "x86_64")]
mod x86 {
    use std::arch::x86_64::*;

    use super::Sums;

    /// Sums of one block with AVX-512F: 4 x 16 lanes per sum, masked tail.
    ///
    /// # Safety
    /// The CPU must support AVX-512F, and `a.len() == b.len()`.
    #[target_feature(enable = "avx512f")]
    pub unsafe fn sums_avx512(a: &[f32], b: &[f32]) -> [f32; 3] {
        let n = a.len().min(b.len());
        let (pa, pb) = (a.as_ptr(), b.as_ptr());
        let mut dot = [_mm512_setzero_ps(); 4];
        let mut aa = [_mm512_setzero_ps(); 4];
        let mut bb = [_mm512_setzero_ps(); 4];
        let mut i = 0;
        while i + 64 <= n {
            for j in 0..4 {
                // SAFETY: i + 16 * j + 16 <= i + 64 <= n, in bounds of both.
                let (x, y) =
                    unsafe { (_mm512_loadu_ps(pa.add(i + 16 * j)), _mm512_loadu_ps(pb.add(i + 16 * j))) };
                dot[j] = _mm512_fmadd_ps(x, y, dot[j]);
                aa[j] = _mm512_fmadd_ps(x, x, aa[j]);
                bb[j] = _mm512_fmadd_ps(y, y, bb[j]);
            }
            i += 64;
        }
        while i < n {
            let mask: __mmask16 = if n - i >= 16 { 0xFFFF } else { (1 << (n - i)) - 1 };
            // SAFETY: the mask enables only lanes i..n, in bounds of both.
            let (x, y) =
                unsafe { (_mm512_maskz_loadu_ps(mask, pa.add(i)), _mm512_maskz_loadu_ps(mask, pb.add(i))) };
            dot[0] = _mm512_fmadd_ps(x, y, dot[0]);
            aa[0] = _mm512_fmadd_ps(x, x, aa[0]);
            bb[0] = _mm512_fmadd_ps(y, y, bb[0]);
            i += 16;
        }
        [reduce512(dot), reduce512(aa), reduce512(bb)]
    }

    /// `a·b` of one block with AVX-512F.
    ///
    /// # Safety
    /// The CPU must support AVX-512F, and `a.len() == b.len()`.
    #[target_feature(enable = "avx512f")]
    pub unsafe fn dot_avx512(a: &[f32], b: &[f32]) -> f32 {
        let n = a.len().min(b.len());
        let (pa, pb) = (a.as_ptr(), b.as_ptr());
        let mut dot = [_mm512_setzero_ps(); 4];
        let mut i = 0;
        while i + 64 <= n {
            for (j, acc) in dot.iter_mut().enumerate() {
                // SAFETY: i + 16 * j + 16 <= i + 64 <= n, in bounds of both.
                let (x, y) =
                    unsafe { (_mm512_loadu_ps(pa.add(i + 16 * j)), _mm512_loadu_ps(pb.add(i + 16 * j))) };
                *acc = _mm512_fmadd_ps(x, y, *acc);
            }
            i += 64;
        }
        while i < n {
            let mask: __mmask16 = if n - i >= 16 { 0xFFFF } else { (1 << (n - i)) - 1 };
            // SAFETY: the mask enables only lanes i..n, in bounds of both.
            let (x, y) =
                unsafe { (_mm512_maskz_loadu_ps(mask, pa.add(i)), _mm512_maskz_loadu_ps(mask, pb.add(i))) };
            dot[0] = _mm512_fmadd_ps(x, y, dot[0]);
            i += 16;
        }
        reduce512(dot)
    }

    /// Sums of one block with AVX2 and FMA: 4 x 8 lanes per sum, scalar tail.
    ///
    /// # Safety
    /// The CPU must support AVX2 and FMA, and `a.len() == b.len()`.
    #[target_feature(enable = "avx2,fma")]
    pub unsafe fn sums_avx2(a: &[f32], b: &[f32]) -> [f32; 3] {
        let n = a.len().min(b.len());
        let (pa, pb) = (a.as_ptr(), b.as_ptr());
        let mut dot = [_mm256_setzero_ps(); 4];
        let mut aa = [_mm256_setzero_ps(); 4];
        let mut bb = [_mm256_setzero_ps(); 4];
        let mut i = 0;
        while i + 32 <= n {
            for j in 0..4 {
                // SAFETY: i + 8 * j + 8 <= i + 32 <= n, in bounds of both.
                let (x, y) =
                    unsafe { (_mm256_loadu_ps(pa.add(i + 8 * j)), _mm256_loadu_ps(pb.add(i + 8 * j))) };
                dot[j] = _mm256_fmadd_ps(x, y, dot[j]);
                aa[j] = _mm256_fmadd_ps(x, x, aa[j]);
                bb[j] = _mm256_fmadd_ps(y, y, bb[j]);
            }
            i += 32;
        }
        while i + 8 <= n {
            // SAFETY: i + 8 <= n, in bounds of both.
            let (x, y) = unsafe { (_mm256_loadu_ps(pa.add(i)), _mm256_loadu_ps(pb.add(i))) };
            dot[0] = _mm256_fmadd_ps(x, y, dot[0]);
            aa[0] = _mm256_fmadd_ps(x, x, aa[0]);
            bb[0] = _mm256_fmadd_ps(y, y, bb[0]);
            i += 8;
        }
        let [mut d, mut sa, mut sb] = [reduce256(dot), reduce256(aa), reduce256(bb)];
        for (&x, &y) in a[i..n].iter().zip(&b[i..n]) {
            d = x.mul_add(y, d);
            sa = x.mul_add(x, sa);
            sb = y.mul_add(y, sb);
        }
        [d, sa, sb]
    }

    /// `a·b` of one block with AVX2 and FMA.
    ///
    /// # Safety
    /// The CPU must support AVX2 and FMA, and `a.len() == b.len()`.
    #[target_feature(enable = "avx2,fma")]
    pub unsafe fn dot_avx2(a: &[f32], b: &[f32]) -> f32 {
        let n = a.len().min(b.len());
        let (pa, pb) = (a.as_ptr(), b.as_ptr());
        let mut dot = [_mm256_setzero_ps(); 4];
        let mut i = 0;
        while i + 32 <= n {
            for (j, acc) in dot.iter_mut().enumerate() {
                // SAFETY: i + 8 * j + 8 <= i + 32 <= n, in bounds of both.
                let (x, y) =
                    unsafe { (_mm256_loadu_ps(pa.add(i + 8 * j)), _mm256_loadu_ps(pb.add(i + 8 * j))) };
                *acc = _mm256_fmadd_ps(x, y, *acc);
            }
            i += 32;
        }
        let mut d = reduce256(dot);
        for (&x, &y) in a[i..n].iter().zip(&b[i..n]) {
            d = x.mul_add(y, d);
        }
        d
    }

    /// [`dot_avx512`] of `query` with each row of `rows`.
    ///
    /// # Safety
    /// The CPU must support AVX-512F; `query` is not empty.
    #[target_feature(enable = "avx512f")]
    pub unsafe fn dots_avx512(query: &[f32], rows: &[f32], out: &mut [f32]) {
        for (row, out) in rows.chunks_exact(query.len()).zip(out) {
            // SAFETY: this function has the same target features; equal lengths.
            *out = unsafe { dot_avx512(query, row) };
        }
    }

    /// [`sums_avx512`] of `query` with each row of `rows`.
    ///
    /// # Safety
    /// The CPU must support AVX-512F; `query` is not empty.
    #[target_feature(enable = "avx512f")]
    pub unsafe fn row_sums_avx512(query: &[f32], rows: &[f32], out: &mut [Sums]) {
        for (row, out) in rows.chunks_exact(query.len()).zip(out) {
            // SAFETY: this function has the same target features; equal lengths.
            *out = Sums::from_block(unsafe { sums_avx512(query, row) });
        }
    }

    /// [`dot_avx2`] of `query` with each row of `rows`.
    ///
    /// # Safety
    /// The CPU must support AVX2 and FMA; `query` is not empty.
    #[target_feature(enable = "avx2,fma")]
    pub unsafe fn dots_avx2(query: &[f32], rows: &[f32], out: &mut [f32]) {
        for (row, out) in rows.chunks_exact(query.len()).zip(out) {
            // SAFETY: this function has the same target features; equal lengths.
            *out = unsafe { dot_avx2(query, row) };
        }
    }

    /// [`sums_avx2`] of `query` with each row of `rows`.
    ///
    /// # Safety
    /// The CPU must support AVX2 and FMA; `query` is not empty.
    #[target_feature(enable = "avx2,fma")]
    pub unsafe fn row_sums_avx2(query: &[f32], rows: &[f32], out: &mut [Sums]) {
        for (row, out) in rows.chunks_exact(query.len()).zip(out) {
            // SAFETY: this function has the same target features; equal lengths.
            *out = Sums::from_block(unsafe { sums_avx2(query, row) });
        }
    }

    #[target_feature(enable = "avx512f")]
    fn reduce512([a, b, c, d]: [__m512; 4]) -> f32 {
        _mm512_reduce_add_ps(_mm512_add_ps(_mm512_add_ps(a, b), _mm512_add_ps(c, d)))
    }

    #[target_feature(enable = "avx2,fma")]
    fn reduce256([a, b, c, d]: [__m256; 4]) -> f32 {
        let sum = _mm256_add_ps(_mm256_add_ps(a, b), _mm256_add_ps(c, d));
        let half = _mm_add_ps(_mm256_castps256_ps128(sum), _mm256_extractf128_ps(sum, 1));
        let quarter = _mm_add_ps(half, _mm_movehl_ps(half, half));
        let single = _mm_add_ss(quarter, _mm_shuffle_ps(quarter, quarter, 1));
        _mm_cvtss_f32(single)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Deterministic test data without a random crate: a linear congruential stream.
    fn vector(len: usize, seed: u32) -> Vec<f32> {
        let mut state = seed.wrapping_mul(2_654_435_761).wrapping_add(1);
        (0..len)
            .map(|_| {
                state = state.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
                (state >> 8) as f32 / (1 << 23) as f32 - 1.0
            })
            .collect()
    }

    #[test]
    fn every_kernel_agrees_with_the_exact_sums() {
        for len in (0..80).chain([255, 256, 257, 1000, 4095, 4096, 4097, 10_000]) {
            let (a, b) = (vector(len, 1), vector(len, 2));
            let exact = Sums::exact(&a, &b);
            for kernel in Kernel::available() {
                let fast = kernel.sums(&a, &b);
                let scale = (exact.aa * exact.bb).sqrt().max(1.0);
                for (got, want) in [(fast.dot, exact.dot), (fast.aa, exact.aa), (fast.bb, exact.bb)] {
                    assert!((got - want).abs() <= 1e-5 * scale, "{kernel:?}, len {len}: {got} vs {want}");
                }
                let dot = kernel.dot(&a, &b);
                assert!(
                    (dot - exact.dot).abs() <= 1e-5 * scale,
                    "{kernel:?} dot, len {len}: {dot} vs {}",
                    exact.dot
                );
            }
        }
    }

    #[test]
    fn row_kernels_agree_with_one_row_at_a_time() {
        for dim in [1, 5, 16, 63, 64, 65, 384, 4097] {
            let query = vector(dim, 3);
            let rows = vector(dim * 7, 4);
            for kernel in Kernel::available() {
                let mut dots = vec![0.0; 7];
                let mut sums = vec![Sums::default(); 7];
                kernel.dots(&query, &rows, &mut dots);
                kernel.row_sums(&query, &rows, &mut sums);
                for (i, row) in rows.chunks_exact(dim).enumerate() {
                    let exact = Sums::exact(&query, row);
                    let scale = (exact.aa * exact.bb).sqrt();
                    assert!(
                        (f64::from(dots[i]) - exact.dot).abs() <= 1e-5 * scale,
                        "{kernel:?} dots, dim {dim}"
                    );
                    assert!(
                        (sums[i].dot - exact.dot).abs() <= 1e-5 * scale,
                        "{kernel:?} row_sums, dim {dim}"
                    );
                    assert!(
                        (sums[i].bb - exact.bb).abs() <= 1e-5 * exact.bb,
                        "{kernel:?} row_sums, dim {dim}"
                    );
                }
            }
        }
    }

    #[test]
    fn kernels_are_named() {
        for kernel in [Kernel::Portable, Kernel::Avx2, Kernel::Avx512] {
            assert_eq!(Kernel::from_name(&format!("{kernel:?}")), Some(kernel));
        }
        assert_eq!(Kernel::from_name("sse9"), None);
    }

    #[test]
    fn the_best_kernel_is_available() {
        assert!(Kernel::best().is_available());
        assert_eq!(Kernel::available()[0], Kernel::Portable);
    }

    #[test]
    fn untrusted_sums_are_recognised() {
        let ordinary = Sums { dot: 0.5, aa: 1.0, bb: 1.0 };
        assert!(ordinary.trusted());
        for bad in [
            Sums { dot: f64::NAN, ..ordinary },
            Sums { aa: f64::INFINITY, ..ordinary },
            Sums { bb: 0.0, ..ordinary },
            Sums { aa: 1e-30, ..ordinary },
        ] {
            assert!(!bad.trusted(), "{bad:?}");
        }
    }
}
