//! The portable kernel: [`Lanes`] as plain `[f32; 8]` arrays, which the
//! compiler turns into vector registers of the baseline target (SSE2 on
//! x86-64, NEON on aarch64). Runs everywhere; the others are tested
//! against it.

use std::ptr;

use super::loops::{Lanes, instantiate};

/// Eight lanes in an array.
type Lane = [f32; 8];

impl Lanes for Lane {
    const WIDTH: usize = 8;

    #[inline(always)]
    unsafe fn zero() -> Self {
        [0.0; 8]
    }

    #[inline(always)]
    unsafe fn load(ptr: *const f32) -> Self {
        // SAFETY: the caller guarantees 8 readable floats at `ptr`; the
        // read makes no alignment assumption.
        unsafe { ptr.cast::<Lane>().read_unaligned() }
    }

    #[inline(always)]
    unsafe fn load_tail(ptr: *const f32, len: usize) -> Self {
        let mut lanes = [0.0; 8];
        // SAFETY: the caller guarantees `len < 8` readable floats at `ptr`,
        // and `lanes` has room for 8.
        unsafe { ptr::copy_nonoverlapping(ptr, lanes.as_mut_ptr(), len) };
        lanes
    }

    #[inline(always)]
    unsafe fn mul_add(a: Self, b: Self, acc: Self) -> Self {
        // Not `mul_add`: without FMA in the baseline target it is a call.
        std::array::from_fn(|lane| a[lane] * b[lane] + acc[lane])
    }

    #[inline(always)]
    unsafe fn add(a: Self, b: Self) -> Self {
        std::array::from_fn(|lane| a[lane] + b[lane])
    }

    #[inline(always)]
    unsafe fn sum(self) -> f32 {
        let [a, b, c, d, e, f, g, h] = self;
        ((a + e) + (c + g)) + ((b + f) + (d + h))
    }
}

instantiate!(Lane);
