//! A vectorised `exp` for softmax-shaped work: `exp(x − shift)` over a slice,
//! where `shift` is at least every `x` (the row's maximum), so every argument
//! is `≤ 0` and every result is in `[0, 1]`.
//!
//! `f32::exp` is a call into libm per element, which no compiler vectorises.
//! Here `exp` is a few multiply-adds on 16 lanes at once: split
//! `x = n·ln 2 + r` with `|r| ≤ ln 2 / 2`, take `eʳ` from a degree-6
//! polynomial (Cephes' `expf` coefficients, about 1 ulp), and build `2ⁿ`
//! directly in the exponent bits. Arguments below `−87.3` (where `eˣ` is
//! below the smallest normal f32) give exactly 0, `−inf` included; NaN stays
//! NaN, so a NaN logit shows up in the sum.
//!
//! Sums run in f32 lanes and are folded into f64 every [`BLOCK`] elements,
//! which bounds the rounding error of a sum of any length by that of one
//! block.
//!
//! Plain multiplies and adds, no `mul_add`: without FMA in the baseline
//! target, `mul_add` is a libm call per element.
//!
//! The loops are written once, as plain Rust over `[f32; LANES]`, and
//! compiled three times: for the build's baseline target (portable), and
//! with AVX2+FMA or AVX-512F enabled, picked at run time
//! ([`Kernel::best`]; `KATA_KERNEL=portable|avx2|avx512` pins one).

use std::sync::OnceLock;

/// Lanes per step: one AVX-512 register, two AVX2 registers.
const LANES: usize = 16;

/// Elements summed in f32 before the lane sums are folded into f64.
const BLOCK: usize = 1024;

/// Below this argument `eˣ` is under `f32::MIN_POSITIVE`: the result is 0.
const UNDERFLOW: f32 = -87.3;

/// The environment variable that pins [`Kernel::best`] to one kernel.
const KERNEL_VARIABLE: &str = "KATA_KERNEL";

/// A compilation of the loops below.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kernel {
    /// The build's baseline target: runs everywhere.
    Portable,
    /// x86-64 with AVX2 and FMA.
    Avx2,
    /// x86-64 with AVX-512F.
    Avx512,
}

impl Kernel {
    /// The fastest kernel this CPU runs, detected once, unless
    /// `KATA_KERNEL` names another one it runs or
    /// [`with_kernel`](crate::kernels::with_kernel) pinned one on this thread.
    pub(crate) fn best() -> Kernel {
        if let Some(pinned) = crate::kernels::pinned() {
            return match pinned {
                crate::kernels::Kernel::Portable => Kernel::Portable,
                crate::kernels::Kernel::Avx2 => Kernel::Avx2,
                crate::kernels::Kernel::Avx512 => Kernel::Avx512,
            };
        }
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

    fn from_name(name: &str) -> Option<Kernel> {
        match name.trim().to_ascii_lowercase().as_str() {
            "portable" => Some(Kernel::Portable),
            "avx2" => Some(Kernel::Avx2),
            "avx512" => Some(Kernel::Avx512),
            _ => None,
        }
    }

    /// Whether this CPU has the instructions the kernel needs.
    pub(crate) fn is_available(self) -> bool {
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
}

/// Defines a public function that dispatches on [`Kernel`] to the same
/// body compiled for each instruction set.
macro_rules! dispatch {
    ($(#[$doc:meta])* fn $name:ident($($arg:ident: $ty:ty),*) -> $ret:ty = $body:path;) => {
        $(#[$doc])*
        pub(crate) fn $name(kernel: Kernel, $($arg: $ty),*) -> $ret {
            #[cfg(target_arch = "x86_64")]
            {
                #[target_feature(enable = "avx512f")]
                fn avx512($($arg: $ty),*) -> $ret { $body($($arg),*) }
                #[target_feature(enable = "avx2,fma")]
                fn avx2($($arg: $ty),*) -> $ret { $body($($arg),*) }
                match kernel {
                    // SAFETY: `is_available` checked that the CPU has AVX-512F.
                    Kernel::Avx512 if kernel.is_available() => unsafe { avx512($($arg),*) },
                    // SAFETY: `is_available` checked that the CPU has AVX2 and FMA.
                    Kernel::Avx2 if kernel.is_available() => unsafe { avx2($($arg),*) },
                    _ => $body($($arg),*),
                }
            }
            #[cfg(not(target_arch = "x86_64"))]
            {
                let _ = kernel;
                $body($($arg),*)
            }
        }
    };
}

dispatch! {
    /// The largest element of `x`, NaN ignored; `-inf` for an empty slice
    /// or one of only NaN and `-inf`.
    fn max(x: &[f32]) -> f32 = lanes::max;
}

dispatch! {
    /// `Σ exp(xᵢ − shift)`, for `shift ≥` every `xᵢ`; NaN if any `xᵢ` is NaN.
    fn exp_sum(x: &[f32], shift: f32) -> f64 = lanes::exp_sum;
}

dispatch! {
    /// `out[i] = exp(x[i] − shift)` for `shift ≥` every `x[i]`, and the sum
    /// of `out`. The slices have one length.
    fn exp_store_sum(x: &[f32], shift: f32, out: &mut [f32]) -> f64 = lanes::exp_store_sum;
}

dispatch! {
    /// [`exp_store_sum`] in place: `x[i] = exp(x[i] − shift)`, and the sum.
    fn exp_in_place_sum(x: &mut [f32], shift: f32) -> f64 = lanes::exp_in_place_sum;
}

dispatch! {
    /// `x[i] *= factor`.
    fn scale(x: &mut [f32], factor: f32) -> () = lanes::scale;
}

/// `eˣ` for `x ≤ 0`, in plain f32 arithmetic: the formula every lane runs.
///
/// Exact to about 1 ulp; 0 below `−87.3` (and for `−inf`); NaN for NaN.
#[inline(always)]
pub(crate) fn exp_nonpositive(x: f32) -> f32 {
    const LOG2_E: f32 = std::f32::consts::LOG2_E;
    // ln 2 split in two so that n·LN2_HI is exact for |n| < 2⁹.
    const LN2_HI: f32 = 0.693_359_4;
    const LN2_LO: f32 = -2.121_944_4e-4;
    // 1.5·2²³: adding it rounds to an integer, which lands in the low
    // mantissa bits.
    const ROUND: f32 = 12_582_912.0;
    let clamped = x.max(UNDERFLOW);
    let shifted = clamped * LOG2_E + ROUND;
    let n = shifted - ROUND;
    let r = (clamped - n * LN2_HI) - n * LN2_LO;
    let p = ((((1.987_569_2e-4_f32 * r + 1.398_2e-3) * r + 8.333_452e-3) * r + 4.166_579_6e-2) * r
        + 1.666_666_5e-1)
        * r
        + 0.5; // Cephes: 5.0000001201e-1, which rounds to 0.5 in f32
    let e_r = p * (r * r) + r + 1.0;
    // n is in [-126, 0]: 2ⁿ is the normal float with biased exponent n + 127.
    let biased = shifted.to_bits().wrapping_sub(ROUND.to_bits()).wrapping_add(127);
    let two_n = f32::from_bits(biased << 23);
    let value = e_r * two_n;
    // `max` above turned NaN into UNDERFLOW: give it back.
    if x < UNDERFLOW {
        0.0
    } else if x.is_nan() {
        x
    } else {
        value
    }
}

/// The loop bodies, generic over nothing: inlined into each compilation.
mod lanes {
    use super::{BLOCK, LANES, exp_nonpositive};

    #[inline(always)]
    pub(super) fn max(x: &[f32]) -> f32 {
        let mut acc = [f32::NEG_INFINITY; LANES];
        let mut chunks = x.chunks_exact(LANES);
        for chunk in &mut chunks {
            for (a, &v) in acc.iter_mut().zip(chunk) {
                *a = if v > *a { v } else { *a };
            }
        }
        let tail = chunks.remainder().iter().copied();
        acc.into_iter().chain(tail).fold(f32::NEG_INFINITY, |m, v| if v > m { v } else { m })
    }

    #[inline(always)]
    pub(super) fn exp_sum(x: &[f32], shift: f32) -> f64 {
        // The exps go to a scratch block that stays in L1: with nowhere to
        // store them the compiler rewrote the loop into a slower one (the
        // loss alone ran slower than the loss with its gradient).
        let mut scratch = [0.0_f32; BLOCK];
        let mut total = 0.0;
        for block in x.chunks(BLOCK) {
            total += block_exp_sum(block, shift, |i, e| scratch[i] = e);
        }
        std::hint::black_box(&scratch);
        total
    }

    #[inline(always)]
    pub(super) fn exp_store_sum(x: &[f32], shift: f32, out: &mut [f32]) -> f64 {
        debug_assert_eq!(x.len(), out.len());
        let mut total = 0.0;
        for (block, out) in x.chunks(BLOCK).zip(out.chunks_mut(BLOCK)) {
            total += block_exp_sum(block, shift, |i, e| out[i] = e);
        }
        total
    }

    #[inline(always)]
    pub(super) fn exp_in_place_sum(x: &mut [f32], shift: f32) -> f64 {
        let mut total = 0.0;
        for block in x.chunks_mut(BLOCK) {
            let mut lanes = [0.0_f32; LANES];
            let mut chunks = block.chunks_exact_mut(LANES);
            for chunk in &mut chunks {
                for (sum, v) in lanes.iter_mut().zip(chunk.iter_mut()) {
                    *v = exp_nonpositive(*v - shift);
                    *sum += *v;
                }
            }
            for v in chunks.into_remainder() {
                *v = exp_nonpositive(*v - shift);
                lanes[0] += *v;
            }
            total += lanes.iter().map(|&s| f64::from(s)).sum::<f64>();
        }
        total
    }

    #[inline(always)]
    pub(super) fn scale(x: &mut [f32], factor: f32) {
        for v in x {
            *v *= factor;
        }
    }

    /// The f64 sum of `exp(v − shift)` over one block, handing each value
    /// and its index to `store`.
    #[inline(always)]
    fn block_exp_sum(block: &[f32], shift: f32, mut store: impl FnMut(usize, f32)) -> f64 {
        let mut lanes = [0.0_f32; LANES];
        let mut chunks = block.chunks_exact(LANES);
        let mut index = 0;
        for chunk in &mut chunks {
            let mut values = [0.0_f32; LANES];
            for ((value, sum), &v) in values.iter_mut().zip(lanes.iter_mut()).zip(chunk) {
                *value = exp_nonpositive(v - shift);
                *sum += *value;
            }
            for (offset, &value) in values.iter().enumerate() {
                store(index + offset, value);
            }
            index += LANES;
        }
        for &v in chunks.remainder() {
            let value = exp_nonpositive(v - shift);
            lanes[0] += value;
            store(index, value);
            index += 1;
        }
        lanes.iter().map(|&s| f64::from(s)).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kernels() -> Vec<Kernel> {
        [Kernel::Portable, Kernel::Avx2, Kernel::Avx512].into_iter().filter(|k| k.is_available()).collect()
    }

    #[test]
    fn exp_is_within_two_ulp_of_f64_over_its_range() {
        let mut x = 0.0_f32;
        while x > -87.0 {
            let exact = f64::from(x).exp();
            let got = f64::from(exp_nonpositive(x));
            assert!((got - exact).abs() <= 2.5e-7 * exact, "exp({x}) = {got}, exact {exact}");
            x -= 0.001_37;
        }
    }

    #[test]
    fn exp_edges() {
        assert_eq!(exp_nonpositive(0.0), 1.0);
        assert_eq!(exp_nonpositive(-100.0), 0.0);
        assert_eq!(exp_nonpositive(f32::NEG_INFINITY), 0.0);
        assert!(exp_nonpositive(f32::NAN).is_nan());
        assert!(exp_nonpositive(-87.0) > 0.0);
    }

    #[test]
    fn every_kernel_agrees_with_the_portable_one() {
        let x: Vec<f32> = (0..5000).map(|i| ((i * 7919) % 1013) as f32 * -0.05).collect();
        let reference_sum: f64 = x.iter().map(|&v| f64::from(v).exp()).sum();
        for kernel in kernels() {
            assert_eq!(max(kernel, &x), 0.0, "{kernel:?}");
            let sum = exp_sum(kernel, &x, 0.0);
            assert!(
                (sum - reference_sum).abs() <= 1e-6 * reference_sum,
                "{kernel:?}: {sum} vs {reference_sum}"
            );
            let mut out = vec![0.0; x.len()];
            let stored = exp_store_sum(kernel, &x, 0.0, &mut out);
            assert_eq!(stored, sum, "{kernel:?}");
            let portable: Vec<f32> = x.iter().map(|&v| exp_nonpositive(v)).collect();
            assert_eq!(out, portable, "{kernel:?}");
            let mut in_place = x.clone();
            assert_eq!(exp_in_place_sum(kernel, &mut in_place, 0.0), sum, "{kernel:?}");
            assert_eq!(in_place, portable, "{kernel:?}");
            scale(kernel, &mut in_place, 2.0);
            assert_eq!(in_place[0], 2.0 * portable[0]);
        }
    }

    #[test]
    fn max_ignores_nan_and_handles_tails() {
        for kernel in kernels() {
            assert_eq!(max(kernel, &[]), f32::NEG_INFINITY);
            assert_eq!(max(kernel, &[f32::NAN, f32::NEG_INFINITY]), f32::NEG_INFINITY);
            let mut x = vec![-1.0_f32; 37];
            x[36] = 3.0;
            x[5] = f32::NAN;
            assert_eq!(max(kernel, &x), 3.0, "{kernel:?}");
            assert!(exp_sum(kernel, &x, 3.0).is_nan(), "{kernel:?}: a NaN must reach the sum");
        }
    }
}
