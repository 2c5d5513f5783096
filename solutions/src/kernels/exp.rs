//! A vectorised `exp` for softmax-shaped work: `exp(x − shift)` over a slice,
//! where `shift` is at least every `x` (the row's maximum), so every argument
//! is `≤ 0` and every result is in `[0, 1]`.
//!
//! `f32::exp` is a call into libm per element, which no compiler vectorises.
//! Here `exp` is a few multiply-adds on 16 lanes at once: split
//! `x = n·ln 2 + r` with `|r| ≤ ln 2 / 2` (ln 2 in two parts, so `r` is
//! exact to a few ulps even at `n = −126`), take `eʳ = 1 + r·p(r)` from a
//! degree-4 minimax polynomial `p` (XNNPACK's coefficients for softmax:
//! within 1.6e-7 of exact, about 1 ulp), then `2ⁿ·eʳ`. The AVX-512 kernel
//! scales by `2ⁿ` with one `vscalefps`, which also rounds anything below
//! `2⁻¹⁴⁹` to 0 (so `-inf` needs only a clamp, no mask): eleven
//! instructions per 16 `exp`s. The AVX2 and portable kernels build `2ⁿ` in
//! the exponent bits and zero the arguments below `−87.3` with a compare,
//! fourteen. NaN stays NaN, so a NaN logit shows up in the sum.
//!
//! Multiply-adds are fused (one `vfmadd` instead of a multiply and an add)
//! in the AVX2 and AVX-512 compilations, and plain multiplies and adds in the
//! portable one: without FMA in the baseline target, `f32::mul_add` is a
//! libm call per element. The roundings differ in the last bit, so the
//! kernels agree to an ulp, not bit for bit.
//!
//! **Online max and sum.** A softmax needs the row's maximum before its
//! first `exp`, which naively costs two passes over the row, each reading it
//! from memory when the row does not fit in L1. [`max_exp_sum`] instead walks
//! the row in chunks of [`CHUNK`] floats, software-pipelined: one loop takes
//! the `exp`s of chunk `c` from L1, against the running maximum, and the
//! maximum of chunk `c + 1` as it streams in from memory (prefetched a chunk
//! ahead), so the loads overlap the arithmetic. When a chunk raises the
//! maximum, the running sum is rescaled once by `exp(old − new)` (in f64,
//! exact). Each logit is read from memory once, with one vector `exp` each.
//!
//! **Where the time goes.** At 256 × 32,000 logits the loss is bound by the
//! `exp`s, not by memory, so the loop is cut to what they need: two
//! registers per step (two independent sum chains and two maximum chains,
//! where one each kept the loop waiting on add and `max` latency), a `max`
//! that is one instruction (NaN ignored by operand order, not by a
//! compare and blend), no store of the `exp`s when only their sum is wanted,
//! and the lanes folded into f64 per chunk in halves (a chain of 5 adds, not
//! 32, on the path to the next chunk's shift). Sums run in f32 lanes folded
//! into f64 every [`CHUNK`] elements, which bounds the rounding error of a
//! sum of any length by that of one block.
//!
//! The loops are written once, as plain Rust over `[f32; LANES]`, and
//! compiled three times: for the build's baseline target (portable), and
//! with AVX2+FMA or AVX-512F enabled, picked at run time
//! ([`Kernel::best`]; `KATA_KERNEL=portable|avx2|avx512` pins one).

use std::mem::MaybeUninit;
use std::sync::OnceLock;

/// Lanes per step: one AVX-512 register, two AVX2 registers.
const LANES: usize = 16;

/// Floats per chunk of the online max-and-sum, and per f32 partial sum
/// folded into f64: 8 KiB, well inside L1, so the `exp` pass over a chunk
/// reads what its max pass just loaded.
pub(crate) const CHUNK: usize = 2048;

/// Below this argument `eˣ` is under `f32::MIN_POSITIVE`: the result is 0.
const UNDERFLOW: f32 = -87.3;

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

/// The kernel of the same name: `KATA_KERNEL` and [`with_kernel`](crate::kernels::with_kernel)
/// name kernels the cosine way, and the names mean the same instruction sets.
impl From<crate::kernels::Kernel> for Kernel {
    fn from(kernel: crate::kernels::Kernel) -> Kernel {
        match kernel {
            crate::kernels::Kernel::Portable => Kernel::Portable,
            crate::kernels::Kernel::Avx2 => Kernel::Avx2,
            crate::kernels::Kernel::Avx512 => Kernel::Avx512,
        }
    }
}

impl Kernel {
    /// The fastest kernel this CPU runs, detected once, unless
    /// `KATA_KERNEL` names another one it runs or
    /// [`with_kernel`](crate::kernels::with_kernel) pinned one on this thread.
    pub(crate) fn best() -> Kernel {
        if let Some(pinned) = crate::kernels::pinned() {
            return pinned.into();
        }
        static BEST: OnceLock<Kernel> = OnceLock::new();
        *BEST.get_or_init(|| {
            let requested = std::env::var(crate::kernels::KERNEL_VARIABLE)
                .ok()
                .and_then(|name| crate::kernels::Kernel::from_name(&name))
                .map(Kernel::from);
            requested.filter(|kernel| kernel.is_available()).unwrap_or_else(|| {
                [Kernel::Avx512, Kernel::Avx2]
                    .into_iter()
                    .find(|kernel| kernel.is_available())
                    .unwrap_or(Kernel::Portable)
            })
        })
    }

    /// Whether this CPU has the instructions the kernel needs.
    pub(crate) fn is_available(self) -> bool {
        match self {
            Kernel::Portable => true,
            #[cfg(target_arch = "x86_64")]
            Kernel::Avx2 => is_x86_feature_detected!("avx2") && is_x86_feature_detected!("fma"),
            #[cfg(target_arch = "x86_64")]
            Kernel::Avx512 => {
                is_x86_feature_detected!("avx512f")
                    && is_x86_feature_detected!("avx2")
                    && is_x86_feature_detected!("fma")
            }
            #[cfg(not(target_arch = "x86_64"))]
            _ => false,
        }
    }
}

/// How a loop body multiplies and adds, and takes `exp` of a register:
/// [`Avx512`] and [`Fused`] where the instruction set has FMA, [`Separate`]
/// for the baseline target.
pub(crate) trait MulAdd {
    /// `a · b + c`.
    fn mul_add(a: f32, b: f32, c: f32) -> f32;

    /// [`exp_with`] on every lane: `eˣ` for `x ≤ 0`, 0 for `-inf`, NaN for
    /// NaN.
    #[inline(always)]
    fn exp_lanes(x: [f32; LANES]) -> [f32; LANES] {
        let mut out = [0.0; LANES];
        for (out, &x) in out.iter_mut().zip(&x) {
            *out = exp_with::<Self>(x);
        }
        out
    }
}

/// One rounding: `vfmadd` (only where FMA is enabled, else a libm call).
pub(crate) struct Fused;

/// [`Fused`], and `2ⁿ·eʳ` in one `vscalefps`: only [`dispatch!`] names it,
/// in the arm that checked AVX-512F and inside a function compiled with it.
#[cfg(target_arch = "x86_64")]
pub(crate) struct Avx512;

/// Two roundings: a multiply, then an add.
pub(crate) struct Separate;

impl MulAdd for Fused {
    #[inline(always)]
    fn mul_add(a: f32, b: f32, c: f32) -> f32 {
        a.mul_add(b, c)
    }
}

#[cfg(target_arch = "x86_64")]
impl MulAdd for Avx512 {
    #[inline(always)]
    fn mul_add(a: f32, b: f32, c: f32) -> f32 {
        a.mul_add(b, c)
    }

    /// [`exp_with`]'s split and polynomial, with `2ⁿ·eʳ` taken by
    /// `vscalefps` (which also underflows to 0 below `2⁻¹⁴⁹`): no bit
    /// tricks on the exponent, no mask for the underflow, a third fewer
    /// instructions.
    #[inline(always)]
    fn exp_lanes(x: [f32; LANES]) -> [f32; LANES] {
        use std::arch::x86_64::{
            _mm512_fmadd_ps, _mm512_loadu_ps, _mm512_max_ps, _mm512_mul_ps, _mm512_roundscale_ps,
            _mm512_scalef_ps, _mm512_set1_ps, _mm512_storeu_ps,
        };
        // Below this, `n ≤ −159` and `2ⁿ·eʳ` rounds to 0; `-inf` becomes it
        // (so that `r` is not `inf − inf`).
        const FLOOR: f32 = -110.0;
        // Round to nearest, without exceptions.
        const NEAREST: i32 = 0x08;
        let mut out = [0.0; LANES];
        // SAFETY: `Avx512` is named only by `dispatch!`, in the arm that
        // checked that the CPU has AVX-512F, inside a function compiled with
        // it; `x` and `out` are 16 floats, one register.
        unsafe {
            // `max(x, FLOOR)` with `x` second keeps a NaN `x`.
            let x = _mm512_max_ps(_mm512_set1_ps(FLOOR), _mm512_loadu_ps(x.as_ptr()));
            let n = _mm512_roundscale_ps::<NEAREST>(_mm512_mul_ps(x, _mm512_set1_ps(LOG2_E)));
            let r = _mm512_fmadd_ps(n, _mm512_set1_ps(-LN2_HI), x);
            let r = _mm512_fmadd_ps(n, _mm512_set1_ps(-LN2_LO), r);
            let p = POLYNOMIAL[1..]
                .iter()
                .fold(_mm512_set1_ps(POLYNOMIAL[0]), |p, &c| _mm512_fmadd_ps(p, r, _mm512_set1_ps(c)));
            let e_r = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.0));
            _mm512_storeu_ps(out.as_mut_ptr(), _mm512_scalef_ps(e_r, n));
        }
        out
    }
}

impl MulAdd for Separate {
    #[inline(always)]
    fn mul_add(a: f32, b: f32, c: f32) -> f32 {
        a * b + c
    }
}

/// Defines a public function that dispatches on [`Kernel`] to the same
/// body compiled for each instruction set (the body is generic over
/// [`MulAdd`]: fused with AVX2, fused with `vscalefps` for AVX-512, separate
/// in the portable build).
macro_rules! dispatch {
    ($(#[$doc:meta])* $vis:vis fn $name:ident($($arg:ident: $ty:ty),*) -> $ret:ty = $module:ident::$body:ident;) => {
        $(#[$doc])*
        $vis fn $name(kernel: Kernel, $($arg: $ty),*) -> $ret {
            #[cfg(target_arch = "x86_64")]
            {
                #[target_feature(enable = "avx512f,avx2,fma")]
                fn avx512($($arg: $ty),*) -> $ret { $module::$body::<Avx512>($($arg),*) }
                #[target_feature(enable = "avx2,fma")]
                fn avx2($($arg: $ty),*) -> $ret { $module::$body::<Fused>($($arg),*) }
                match kernel {
                    // SAFETY: `is_available` checked that the CPU has
                    // AVX-512F, AVX2 and FMA.
                    Kernel::Avx512 if kernel.is_available() => unsafe { avx512($($arg),*) },
                    // SAFETY: `is_available` checked that the CPU has AVX2 and FMA.
                    Kernel::Avx2 if kernel.is_available() => unsafe { avx2($($arg),*) },
                    _ => $module::$body::<Separate>($($arg),*),
                }
            }
            #[cfg(not(target_arch = "x86_64"))]
            {
                let _ = kernel;
                $module::$body::<Separate>($($arg),*)
            }
        }
    };
}

dispatch! {
    /// The largest element of `x`, NaN ignored; `-inf` for an empty slice
    /// or one of only NaN and `-inf`.
    #[cfg(test)]
    pub(crate) fn max(x: &[f32]) -> f32 = lanes::max;
}

dispatch! {
    /// The online max-and-sum of `x`: `(m, Σ exp(xᵢ − m))` with `m` the
    /// largest element (NaN ignored), in one read of `x` from memory.
    ///
    /// The sum is NaN if any `xᵢ` is NaN (or if `m` is `+inf`); it is 0 when
    /// `m` is `-inf`.
    pub(crate) fn max_exp_sum(x: &[f32]) -> (f32, f64) = lanes::max_exp_sum;
}

dispatch! {
    /// [`max_exp_sum`], writing `out[i] = exp(x[i] − shifts[i / CHUNK])`:
    /// each chunk's `exp`s are taken against the running maximum when the
    /// chunk was read, which `shifts` records (one per chunk of [`CHUNK`]
    /// floats). [`rescale_chunks`] brings them to the final maximum.
    /// `out` is as long as `x`, `shifts` at least `x.len().div_ceil(CHUNK)`.
    pub(crate) fn max_exp_store_sum(x: &[f32], out: &mut [MaybeUninit<f32>], shifts: &mut [f32]) -> (f32, f64)
        = lanes::max_exp_store_sum;
}

dispatch! {
    /// `x[i] = exp(x[i] − shift)` for `shift ≥` every `x[i]`, and the sum.
    #[cfg(test)]
    pub(crate) fn exp_in_place_sum(x: &mut [f32], shift: f32) -> f64 = lanes::exp_in_place_sum;
}

dispatch! {
    /// `x[i] *= factor`.
    pub(crate) fn scale(x: &mut [f32], factor: f32) -> () = lanes::scale;
}

/// Multiplies each chunk `c` of `x` (chunks of [`CHUNK`] floats, as
/// [`max_exp_store_sum`] wrote them against `shifts[c]`) by
/// `exp(shifts[c] − max) · factor`: the exps then all share the shift `max`,
/// times `factor`.
pub(crate) fn rescale_chunks(kernel: Kernel, x: &mut [f32], shifts: &[f32], max: f32, factor: f64) {
    for (chunk, &shift) in x.chunks_mut(CHUNK).zip(shifts) {
        // f64 and exact: one scalar `exp` per chunk.
        let rescale = (f64::from(shift) - f64::from(max)).exp() * factor;
        scale(kernel, chunk, rescale as f32);
    }
}

pub(crate) use dispatch;

/// `eˣ` for `x ≤ 0`, in plain f32 arithmetic: the formula every lane runs,
/// with separate multiplies and adds.
///
/// Exact to about 1 ulp; 0 below `−87.3` (and for `−inf`); NaN for NaN.
#[cfg(test)]
#[inline(always)]
pub(crate) fn exp_nonpositive(x: f32) -> f32 {
    exp_with::<Separate>(x)
}

/// `log₂ e`.
const LOG2_E: f32 = std::f32::consts::LOG2_E;
/// ln 2 split in two so that `n·LN2_HI` is exact for `|n| < 2¹⁰`.
const LN2_HI: f32 = 0.693_145_75;
/// The rest of ln 2.
const LN2_LO: f32 = 1.428_606_8e-6;
/// `(eʳ − 1)/r` on `[−ln 2/2, ln 2/2]`, degree 4, minimax (XNNPACK's
/// `expminus` coefficients): within 1e-7 of exact.
const POLYNOMIAL: [f32; 5] = [8.289_291e-3, 4.189_782_2e-2, 1.666_765_2e-1, 4.999_915e-1, 9.999_997e-1];

/// [`exp_nonpositive`] with the multiply-adds of `M`.
#[inline(always)]
pub(crate) fn exp_with<M: MulAdd + ?Sized>(x: f32) -> f32 {
    // 1.5·2²³: adding it rounds to an integer, which lands in the low
    // mantissa bits.
    const ROUND: f32 = 12_582_912.0;
    // The exponent bias, in place: `(n << 23) + BIAS` are the bits of 2ⁿ.
    const BIAS: u32 = 127 << 23;
    // Written so that a NaN `x` passes through (one `max` instruction):
    // NaN then propagates to the result, and shows up in any sum.
    let clamped = if x < UNDERFLOW { UNDERFLOW } else { x };
    let shifted = M::mul_add(clamped, LOG2_E, ROUND);
    let n = shifted - ROUND;
    let r = M::mul_add(n, -LN2_LO, M::mul_add(n, -LN2_HI, clamped));
    let p = POLYNOMIAL[1..].iter().fold(POLYNOMIAL[0], |p, &c| M::mul_add(p, r, c));
    // n is in [-126, 0] and sits in the low bits of `shifted` (above ROUND's
    // bits, which the shift pushes out): 2ⁿ is the normal float with biased
    // exponent n + 127.
    let two_n = f32::from_bits((shifted.to_bits() << 23).wrapping_add(BIAS));
    // eˣ = 2ⁿ·eʳ = 2ⁿ + (r·2ⁿ)·(eʳ − 1)/r.
    let value = M::mul_add(r * two_n, p, two_n);
    if x < UNDERFLOW { 0.0 } else { value }
}

/// The loop bodies: inlined into each compilation. (The tiles of
/// `attention`, dispatched whole, take their `exp`s from [`MulAdd::exp_lanes`].)
mod lanes {
    use std::mem::MaybeUninit;

    use super::{CHUNK, LANES, MulAdd, exp_with};

    /// Lanes of the max loop: four registers of AVX-512, so that four
    /// independent `max` chains hide the instruction's latency.
    const MAX_LANES: usize = 4 * LANES;

    #[inline(always)]
    pub(crate) fn max<M: MulAdd>(x: &[f32]) -> f32 {
        // In the loop, one `max` instruction per register; in the folds,
        // `f32::max` (a compare-and-select there became masked stores to
        // memory, which the reduction then reloaded).
        let mut acc = [f32::NEG_INFINITY; MAX_LANES];
        let mut chunks = x.chunks_exact(MAX_LANES);
        for chunk in &mut chunks {
            for (a, &v) in acc.iter_mut().zip(chunk) {
                *a = max_ignoring_nan(*a, v);
            }
        }
        for (a, &v) in acc.iter_mut().zip(chunks.remainder()) {
            *a = a.max(v);
        }
        halving(acc, f32::max)
    }

    /// The running state of the online max-and-sum.
    struct Online {
        max: f32,
        sum: f64,
    }

    impl Online {
        /// Nothing seen yet.
        fn new() -> Online {
            Online { max: f32::NEG_INFINITY, sum: 0.0 }
        }

        /// Raises the running maximum to `max`, rescaling the sum: once per
        /// chunk, in f64, so exact (and 0 while the maximum is `-inf`).
        #[inline(always)]
        fn raise(&mut self, max: f32) {
            if max > self.max {
                self.sum *= (f64::from(self.max) - f64::from(max)).exp();
                self.max = max;
            }
        }

        /// Takes in `chunk`, whose maximum the running maximum already
        /// covers: adds its `exp`s (written to `out` when `STORE`, which is
        /// otherwise untouched), and returns the shift they used. Meanwhile
        /// takes the maximum of `next`, the chunk after
        /// (no longer than `chunk`), and raises the running maximum to it:
        /// `next` streams in from memory while `chunk`'s `exp`s are computed
        /// from L1.
        #[inline(always)]
        fn chunk<M: MulAdd, const STORE: bool>(
            &mut self,
            chunk: &[f32],
            out: &mut [MaybeUninit<f32>],
            next: &[f32],
        ) -> f32 {
            let shift = self.max;
            let next_max = if shift == f32::NEG_INFINITY {
                // Nothing finite yet: every exp is 0, but a NaN must still
                // reach the sum.
                if STORE {
                    out.fill(MaybeUninit::new(0.0));
                }
                if chunk.iter().any(|v| v.is_nan()) {
                    self.sum = f64::NAN;
                }
                max::<M>(next)
            } else {
                let (sum, next_max) = exp_sum_and_max::<M, STORE>(chunk, shift, out, next);
                self.sum += sum;
                next_max
            };
            self.raise(next_max);
            shift
        }
    }

    /// The chunks of `x`, each with the one after it (empty after the
    /// last), and the online state raised to the first chunk's maximum.
    #[inline(always)]
    fn chunks_with_next<M: MulAdd>(x: &[f32]) -> (Online, impl Iterator<Item = (&[f32], &[f32])>) {
        let mut online = Online::new();
        online.raise(max::<M>(&x[..x.len().min(CHUNK)]));
        let nexts = x.chunks(CHUNK).skip(1).chain(std::iter::once(&[][..]));
        (online, x.chunks(CHUNK).zip(nexts))
    }

    #[inline(always)]
    pub(super) fn max_exp_sum<M: MulAdd>(x: &[f32]) -> (f32, f64) {
        let (mut online, chunks) = chunks_with_next::<M>(x);
        for (chunk, next) in chunks {
            online.chunk::<M, false>(chunk, &mut [], next);
        }
        (online.max, online.sum)
    }

    #[inline(always)]
    pub(super) fn max_exp_store_sum<M: MulAdd>(
        x: &[f32],
        out: &mut [MaybeUninit<f32>],
        shifts: &mut [f32],
    ) -> (f32, f64) {
        debug_assert_eq!(x.len(), out.len());
        debug_assert!(shifts.len() >= x.len().div_ceil(CHUNK));
        let (mut online, chunks) = chunks_with_next::<M>(x);
        for (((chunk, next), out), shift) in chunks.zip(out.chunks_mut(CHUNK)).zip(shifts) {
            *shift = online.chunk::<M, true>(chunk, out, next);
        }
        (online.max, online.sum)
    }

    #[cfg(test)]
    #[inline(always)]
    pub(crate) fn exp_in_place_sum<M: MulAdd>(x: &mut [f32], shift: f32) -> f64 {
        let mut total = 0.0;
        for block in x.chunks_mut(CHUNK) {
            let mut lanes = [0.0_f32; LANES];
            let mut chunks = block.chunks_exact_mut(LANES);
            for chunk in &mut chunks {
                let values = M::exp_lanes(shifted::<LANES>(chunk, shift));
                chunk.copy_from_slice(&values);
                for (sum, &value) in lanes.iter_mut().zip(&values) {
                    *sum += value;
                }
            }
            for v in chunks.into_remainder() {
                *v = exp_with::<M>(*v - shift);
                lanes[0] += *v;
            }
            total += halving(lanes.map(f64::from), |a, b| a + b);
        }
        total
    }

    #[inline(always)]
    pub(crate) fn scale<M: MulAdd>(x: &mut [f32], factor: f32) {
        for v in x {
            *v *= factor;
        }
    }

    /// `x[i] − shift` for the first `N` elements of `x` (which has at least
    /// `N`), as an array the `exp` of a register takes.
    #[inline(always)]
    fn shifted<const N: usize>(x: &[f32], shift: f32) -> [f32; N] {
        let mut out = [0.0; N];
        for (out, &x) in out.iter_mut().zip(x) {
            *out = x - shift;
        }
        out
    }

    /// Elements per step of the pipelined loop: two registers of `exp`s, so
    /// that two independent sum chains and two maximum chains hide the
    /// latency of the adds and of `max` (one chain each left the loop
    /// waiting on them).
    const STEP: usize = 2 * LANES;

    /// The f64 sum of `exp(v − shift)` over `block` (at most [`CHUNK`]
    /// long, so that its f32 lanes stay exact enough), and in the same loop
    /// the maximum of `next` (no longer than `block`): the loads of `next`
    /// overlap the `exp`s of `block`. The `exp`s are written to `out` only
    /// when `STORE` (the loss needs their sum, not a store per element), and
    /// `out` is otherwise untouched (it may be empty).
    #[inline(always)]
    fn exp_sum_and_max<M: MulAdd, const STORE: bool>(
        block: &[f32],
        shift: f32,
        out: &mut [MaybeUninit<f32>],
        next: &[f32],
    ) -> (f64, f32) {
        debug_assert!(next.len() <= block.len());
        let mut sums = [0.0_f32; STEP];
        let mut maxima = [f32::NEG_INFINITY; STEP];
        let paired = next.len() / STEP * STEP;
        let (block_head, block_rest) = block.split_at(paired);
        for (step, (chunk, upcoming)) in
            block_head.chunks_exact(STEP).zip(next.chunks_exact(STEP)).enumerate()
        {
            // One prefetch per 64-byte line of the step.
            for line in (0..STEP).step_by(LANES) {
                prefetch(upcoming.as_ptr().wrapping_add(PREFETCH_AHEAD + line));
            }
            for (maximum, &u) in maxima.iter_mut().zip(upcoming) {
                *maximum = max_ignoring_nan(*maximum, u);
            }
            exp_step::<M, STORE>(chunk, shift, &mut sums, out, step * STEP);
        }
        let mut steps = block_rest.chunks_exact(STEP);
        for (step, chunk) in (&mut steps).enumerate() {
            exp_step::<M, STORE>(chunk, shift, &mut sums, out, paired + step * STEP);
        }
        let done = block.len() - steps.remainder().len();
        for (i, (sum, &v)) in sums.iter_mut().zip(steps.remainder()).enumerate() {
            let value = exp_with::<M>(v - shift);
            if STORE {
                out[done + i].write(value);
            }
            *sum += value;
        }
        let next_max = max::<M>(&next[paired..]);
        (halving(sums.map(f64::from), |a, b| a + b), next_max.max(halving(maxima, f32::max)))
    }

    /// One step of [`exp_sum_and_max`]: the `exp`s of `chunk` ([`STEP`]
    /// elements) added to `sums`, and written to `out` from `at` on when
    /// `STORE`.
    #[inline(always)]
    fn exp_step<M: MulAdd, const STORE: bool>(
        chunk: &[f32],
        shift: f32,
        sums: &mut [f32; STEP],
        out: &mut [MaybeUninit<f32>],
        at: usize,
    ) {
        let mut values = [0.0_f32; STEP];
        for (values, chunk) in values.chunks_exact_mut(LANES).zip(chunk.chunks_exact(LANES)) {
            values.copy_from_slice(&M::exp_lanes(shifted::<LANES>(chunk, shift)));
        }
        for (sum, &value) in sums.iter_mut().zip(&values) {
            *sum += value;
        }
        if STORE {
            for (out, &value) in out[at..at + STEP].iter_mut().zip(&values) {
                out.write(value);
            }
        }
    }

    /// `lanes` folded by `op` in halves (the upper half into the lower,
    /// until one lane is left), so that every step is whole registers and
    /// the chain is `log₂ N` long, not `N`.
    #[inline(always)]
    fn halving<T: Copy, const N: usize>(mut lanes: [T; N], op: impl Fn(T, T) -> T) -> T {
        let mut width = N;
        while width > 1 {
            width /= 2;
            let (low, high) = lanes.split_at_mut(width);
            for (a, &b) in low.iter_mut().zip(high.iter()) {
                *a = op(*a, b);
            }
        }
        lanes[0]
    }

    /// The larger of `a` and `b`, `a` when `b` is NaN: one `max`
    /// instruction (x86's `max(b, a)` returns its second operand when they
    /// are unordered), where `f32::max` needs three to check for NaN.
    #[inline(always)]
    fn max_ignoring_nan(a: f32, b: f32) -> f32 {
        if b > a { b } else { a }
    }

    /// How far ahead of the chunk whose maximum is being taken to ask for
    /// memory, in floats: the logits after it, far enough that they arrive
    /// (a memory latency at full bandwidth is a few KB) before they are
    /// read. The hardware prefetcher alone keeps too few lines in flight for
    /// a loop that spends ~25 instructions per cache line on `exp`s.
    const PREFETCH_AHEAD: usize = 2048;

    /// Asks the CPU to start loading the cache line at `ptr` into L1.
    #[inline(always)]
    fn prefetch(ptr: *const f32) {
        // SAFETY: `prefetcht0` is SSE, which every x86-64 CPU runs, and a
        // prefetch neither faults nor changes anything a program can
        // observe, whatever the address.
        #[cfg(target_arch = "x86_64")]
        unsafe {
            std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>(ptr.cast());
        }
        #[cfg(not(target_arch = "x86_64"))]
        let _ = ptr;
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
            for got in [exp_nonpositive(x), exp_with::<Fused>(x)] {
                let got = f64::from(got);
                assert!((got - exact).abs() <= 2.5e-7 * exact, "exp({x}) = {got}, exact {exact}");
            }
            x -= 0.001_37;
        }
    }

    /// The vector `exp` of every kernel (`vscalefps` in the AVX-512 one):
    /// as accurate as the scalar formula, 0 for `-inf` and deep arguments,
    /// NaN for NaN.
    #[test]
    fn every_kernels_vector_exp_is_within_two_ulp_and_underflows_to_zero() {
        let x: Vec<f32> = (0..64_000).map(|i| i as f32 * -0.001_36).collect();
        let mut edges = vec![-1.0_f32; 16];
        edges[..6].copy_from_slice(&[f32::NEG_INFINITY, -1e30, -110.0, 0.0, f32::NAN, -87.0]);
        for kernel in kernels() {
            let mut got = x.clone();
            exp_in_place_sum(kernel, &mut got, 0.0);
            for (&x, &got) in x.iter().zip(&got) {
                let exact = f64::from(x).exp();
                assert!((f64::from(got) - exact).abs() <= 2.5e-7 * exact, "{kernel:?}: exp({x}) = {got}");
            }
            let mut got = edges.clone();
            exp_in_place_sum(kernel, &mut got, 0.0);
            assert_eq!(got[..4], [0.0, 0.0, 0.0, 1.0], "{kernel:?}");
            assert!(got[4].is_nan() && got[5] > 0.0, "{kernel:?}: {got:?}");
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

    /// Within `ulps` units in the last place of `want` (FMA and separate
    /// roundings differ in the last bit).
    fn close(got: f32, want: f32, ulps: f32) -> bool {
        (got - want).abs() <= ulps * f32::EPSILON * want.abs()
    }

    #[test]
    fn every_kernel_agrees_with_the_portable_one() {
        let x: Vec<f32> = (0..5000).map(|i| ((i * 7919) % 1013) as f32 * -0.05).collect();
        let reference_sum: f64 = x.iter().map(|&v| f64::from(v).exp()).sum();
        let portable: Vec<f32> = x.iter().map(|&v| exp_nonpositive(v)).collect();
        for kernel in kernels() {
            assert_eq!(max(kernel, &x), 0.0, "{kernel:?}");
            let (row_max, sum) = max_exp_sum(kernel, &x);
            assert_eq!(row_max, 0.0, "{kernel:?}");
            assert!(
                (sum - reference_sum).abs() <= 1e-6 * reference_sum,
                "{kernel:?}: {sum} vs {reference_sum}"
            );
            let mut in_place = x.clone();
            let in_place_sum = exp_in_place_sum(kernel, &mut in_place, 0.0);
            assert!((in_place_sum - sum).abs() <= 1e-6 * sum, "{kernel:?}");
            for (&got, &want) in in_place.iter().zip(&portable) {
                assert!(close(got, want, 2.0), "{kernel:?}: {got} vs {want}");
            }
            scale(kernel, &mut in_place, 2.0);
            assert!(close(in_place[0], 2.0 * portable[0], 2.0), "{kernel:?}");
        }
    }

    /// A row whose maximum grows chunk after chunk: every chunk rescales the
    /// sum, and the stored exps come back to the final maximum.
    #[test]
    fn the_online_sum_rescales_when_the_maximum_grows() {
        let x: Vec<f32> = (0..3 * CHUNK + 77).map(|i| i as f32 * 0.01 - 40.0).collect();
        let exact_max = x[x.len() - 1];
        let exact: Vec<f64> = x.iter().map(|&v| (f64::from(v) - f64::from(exact_max)).exp()).collect();
        let exact_sum: f64 = exact.iter().sum();
        for kernel in kernels() {
            let (row_max, sum) = max_exp_sum(kernel, &x);
            assert_eq!(row_max, exact_max, "{kernel:?}");
            assert!((sum - exact_sum).abs() <= 1e-6 * exact_sum, "{kernel:?}: {sum} vs {exact_sum}");
            let mut out = vec![MaybeUninit::uninit(); x.len()];
            let mut shifts = vec![0.0; x.len().div_ceil(CHUNK)];
            let (stored_max, stored_sum) = max_exp_store_sum(kernel, &x, &mut out, &mut shifts);
            assert_eq!((stored_max, stored_sum), (row_max, sum), "{kernel:?}");
            // SAFETY: `max_exp_store_sum` wrote every element of `out`.
            let mut out: Vec<f32> = out.into_iter().map(|v| unsafe { v.assume_init() }).collect();
            rescale_chunks(kernel, &mut out, &shifts, row_max, 1.0);
            for (&got, &want) in out.iter().zip(&exact) {
                assert!((f64::from(got) - want).abs() <= 1e-6 * want + 1e-30, "{kernel:?}: {got} vs {want}");
            }
        }
    }

    #[test]
    fn the_online_sum_sees_nan_and_infinity_in_any_chunk() {
        for kernel in kernels() {
            let mut masked_then_nan = vec![f32::NEG_INFINITY; CHUNK + 5];
            masked_then_nan[3] = f32::NAN;
            masked_then_nan[CHUNK + 2] = 1.0;
            let (row_max, sum) = max_exp_sum(kernel, &masked_then_nan);
            assert_eq!(row_max, 1.0, "{kernel:?}");
            assert!(sum.is_nan(), "{kernel:?}: a NaN in an all-masked chunk must reach the sum");
            let (row_max, sum) = max_exp_sum(kernel, &[f32::NEG_INFINITY; 40]);
            assert_eq!((row_max, sum), (f32::NEG_INFINITY, 0.0), "{kernel:?}");
            let mut with_infinity = vec![0.0_f32; 2 * CHUNK];
            with_infinity[CHUNK + 1] = f32::INFINITY;
            assert_eq!(max_exp_sum(kernel, &with_infinity).0, f32::INFINITY, "{kernel:?}");
        }
    }

    #[test]
    fn max_ignores_nan_and_handles_tails() {
        for kernel in kernels() {
            assert_eq!(max(kernel, &[]), f32::NEG_INFINITY);
            assert_eq!(max(kernel, &[f32::NAN, f32::NEG_INFINITY]), f32::NEG_INFINITY);
            let mut x = vec![-1.0_f32; 137];
            x[136] = 3.0;
            x[5] = f32::NAN;
            assert_eq!(max(kernel, &x), 3.0, "{kernel:?}");
            assert!(max_exp_sum(kernel, &x).1.is_nan(), "{kernel:?}: a NaN must reach the sum");
        }
    }
}
