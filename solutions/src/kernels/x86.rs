//! The x86-64 kernels: [`Lanes`] for `__m256` (AVX2 + FMA) and `__m512`
//! (AVX-512F), and the tokens that prove the CPU runs them.

use std::arch::x86_64::*;

use super::Functions;
use super::loops::Lanes;

/// Proof that the CPU runs AVX2 and FMA: only [`Avx2::detect`] makes one.
#[derive(Debug, Clone, Copy)]
pub(super) struct Avx2(());

impl Avx2 {
    /// A token if this CPU runs AVX2 and FMA.
    pub fn detect() -> Option<Avx2> {
        (is_x86_feature_detected!("avx2") && is_x86_feature_detected!("fma")).then_some(Avx2(()))
    }

    /// The AVX2 loops, safe to call: the token proves the CPU runs them.
    pub fn functions(self) -> &'static Functions {
        &avx2::FUNCTIONS
    }
}

/// Proof that the CPU runs AVX-512F: only [`Avx512::detect`] makes one.
#[derive(Debug, Clone, Copy)]
pub(super) struct Avx512(());

impl Avx512 {
    /// A token if this CPU runs AVX-512F.
    pub fn detect() -> Option<Avx512> {
        is_x86_feature_detected!("avx512f").then_some(Avx512(()))
    }

    /// The AVX-512 loops, safe to call: the token proves the CPU runs them.
    pub fn functions(self) -> &'static Functions {
        &avx512::FUNCTIONS
    }
}

mod avx2 {
    super::super::loops::instantiate!(std::arch::x86_64::__m256, "avx2,fma");
}

mod avx512 {
    super::super::loops::instantiate!(std::arch::x86_64::__m512, "avx512f");
}

// SAFETY (every method of both impls): each is one or a few intrinsics of
// the instruction set the caller guarantees; loads read only the floats
// the caller guarantees readable (the masked loads of a tail read no lane
// past `len`, and fault on none).
impl Lanes for __m256 {
    const WIDTH: usize = 8;

    #[inline(always)]
    unsafe fn zero() -> Self {
        unsafe { _mm256_setzero_ps() }
    }

    #[inline(always)]
    unsafe fn load(ptr: *const f32) -> Self {
        unsafe { _mm256_loadu_ps(ptr) }
    }

    #[inline(always)]
    unsafe fn load_tail(ptr: *const f32, len: usize) -> Self {
        unsafe {
            let lane = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
            let mask = _mm256_cmpgt_epi32(_mm256_set1_epi32(len as i32), lane);
            _mm256_maskload_ps(ptr, mask)
        }
    }

    #[inline(always)]
    unsafe fn mul_add(a: Self, b: Self, acc: Self) -> Self {
        unsafe { _mm256_fmadd_ps(a, b, acc) }
    }

    #[inline(always)]
    unsafe fn add(a: Self, b: Self) -> Self {
        unsafe { _mm256_add_ps(a, b) }
    }

    #[inline(always)]
    unsafe fn sum(self) -> f32 {
        unsafe {
            let half = _mm_add_ps(_mm256_castps256_ps128(self), _mm256_extractf128_ps(self, 1));
            let quarter = _mm_add_ps(half, _mm_movehl_ps(half, half));
            _mm_cvtss_f32(_mm_add_ss(quarter, _mm_shuffle_ps(quarter, quarter, 1)))
        }
    }

    #[inline(always)]
    unsafe fn sum3(x: Self, y: Self, z: Self) -> [f32; 3] {
        unsafe {
            let half = |v: __m256| _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
            sum3_of_quarters(half(x), half(y), half(z))
        }
    }
}

/// `[Σx, Σy, Σz]` of three 4-lane registers: two rounds of horizontal adds
/// shared by the three sums.
///
/// # Safety
/// The CPU must run SSE3 (implied by AVX2 and AVX-512F).
#[inline(always)]
unsafe fn sum3_of_quarters(x: __m128, y: __m128, z: __m128) -> [f32; 3] {
    // SAFETY: the caller's guarantee; `out` has room for the 4 lanes stored.
    unsafe {
        let pairs = _mm_hadd_ps(x, y); // [x0+x1, x2+x3, y0+y1, y2+y3]
        let sums = _mm_hadd_ps(pairs, _mm_hadd_ps(z, z)); // [Σx, Σy, Σz, Σz]
        let mut out = [0.0_f32; 4];
        _mm_storeu_ps(out.as_mut_ptr(), sums);
        [out[0], out[1], out[2]]
    }
}

impl Lanes for __m512 {
    const WIDTH: usize = 16;

    #[inline(always)]
    unsafe fn zero() -> Self {
        unsafe { _mm512_setzero_ps() }
    }

    #[inline(always)]
    unsafe fn load(ptr: *const f32) -> Self {
        unsafe { _mm512_loadu_ps(ptr) }
    }

    #[inline(always)]
    unsafe fn load_tail(ptr: *const f32, len: usize) -> Self {
        unsafe { _mm512_maskz_loadu_ps(((1_u32 << len) - 1) as __mmask16, ptr) }
    }

    #[inline(always)]
    unsafe fn mul_add(a: Self, b: Self, acc: Self) -> Self {
        unsafe { _mm512_fmadd_ps(a, b, acc) }
    }

    #[inline(always)]
    unsafe fn add(a: Self, b: Self) -> Self {
        unsafe { _mm512_add_ps(a, b) }
    }

    #[inline(always)]
    unsafe fn sum(self) -> f32 {
        unsafe { _mm512_reduce_add_ps(self) }
    }

    // `sum3` is the default, three independent reductions: sharing their
    // last steps, as AVX2 does, makes the three sums wait for each other,
    // and was measured ~0.45 ns slower per cosine at d = 384 (Zen 5).
}
