//! # Cosine similarity: one pass, vectorised, robust
//!
//! `cos(a, b) = a·b / (‖a‖ ‖b‖)` needs three sums, `a·b`, `a·a` and `b·b`,
//! and this module takes them in a single pass over both vectors.
//!
//! **Why it is fast.** The pass runs in f32 with four independent
//! accumulators per sum, kept in registers (the loops of
//! `solutions/src/kernels.rs`, written once for every instruction set): a single running sum would make every addition
//! wait for the previous one (an FMA has 4 cycles of latency), while twelve
//! chains keep both FMA units busy. On x86-64 the pass uses AVX-512 or AVX2
//! with FMA when the CPU has them (detected once, so the default build stays
//! portable). Vectors of up to 4096 components — every embedding — are
//! finished inside that same call: one indirect call through the cached
//! table of the best kernel, then loop, one shared reduction of the three
//! sums, four range compares and one division, all in f32 registers. Longer vectors fold
//! their f32 partial sums into f64 every 4096 elements, so the rounding
//! error stays that of one block however long the vectors are.
//!
//! **Where the cycles go.** Three products per element on two FMA units
//! bound the pass at `3·d/32` cycles with 16-lane AVX-512 (`3·d/16` with
//! 8-lane AVX2): 36, 72 and 144 cycles at d = 384, 768 and 1536, against
//! `d/16 · 4` for a loop with one accumulator per sum, such as simsimd's
//! (each FMA waits for the previous one: 96, 192 and 384 cycles), so 2.7x
//! is the ceiling of the gain over it. Taking the suspects in turn:
//!
//! - *The accumulators* were the real leak. The loop body used to be a
//!   closure that the remainder loop called too; the compiler kept it out
//!   of line there, so all twelve accumulators lived in memory: zeroed on
//!   the stack on entry, stored after the main loop and reloaded after the
//!   remainder, a 900-byte frame per call, and a call (with `vzeroupper`)
//!   per leftover register. The body is now a trait method that is always
//!   inlined and every chain index is a constant, so the accumulators stay
//!   in registers and the tail is two masked loads, no call.
//! - *The accumulator count* is not the limit: twelve chains (four per sum)
//!   already cover the eight FMAs two units keep in flight (4 cycles of
//!   latency each); more would only lengthen the final additions.
//! - *The horizontal sums*: with AVX-512 the three reductions run side by
//!   side, each on its own (sharing their last steps with horizontal adds,
//!   as the AVX2 kernel does, makes each wait for the others: ~0.45 ns
//!   slower per call at d = 384); the range checks, the square roots and
//!   the division follow on the totals.
//! - *The range checks* are not a pass: four compares of the f32 totals
//!   at the end decide whether the exact path is needed at all.
//! - *The f64 folding* costs nothing at these sizes: vectors of up to 4096
//!   components are one block, summed in f32 only.
//! - *The dispatch* is one indirect call through the cached table of the
//!   best kernel, checked once per process.
//! - *The alignment*: a 64-byte load from an allocation aligned to 16
//!   bytes straddles two cache lines, which costs two loads, and the
//!   loads then bound the loop before the FMAs do. The loop first takes
//!   the floats up to the next 64-byte boundary of `a` alone (a masked
//!   load, like a tail), so every later load of `a` is aligned; the tail
//!   is two more masked loads, none at all when the rest is a multiple of
//!   64 floats.
//!
//! - *The checks* are not made up front. [`cosine_similarity`] is a
//!   few inlined lines: two contiguous views of one length go straight to
//!   the kernel, and the contract's checks (lengths, empty, non-finite,
//!   zero vector) live out of line, reached only when the f32 sums say the
//!   fast path cannot answer: an empty or zero vector gives a zero norm, a
//!   NaN or an infinity a non-finite sum, huge or tiny components a norm
//!   out of range. (Before, the checks and the copy of a strided view sat
//!   in the same function as the fast path, which the compiler then kept
//!   out of line, with six registers saved and the result returned through
//!   memory on every call.)
//! - *The result*: the out-of-line path returns a one-byte fault, not a
//!   `VectorError` (24 bytes with the lengths a dimension mismatch
//!   carries, which the inline caller adds). A 24-byte `Result` comes back
//!   through memory, and merging it with the fast path's answer copied
//!   that answer through memory too, with a load the store before it
//!   could not forward: ~1.3 ns of ~19 per call at d = 384. With the
//!   early exit of the loops when no tail is left (0.4 ns) and the
//!   reductions above, the reference went from 1.31x to 1.41x–1.59x
//!   simsimd's speed at d = 384, 1.76x to 1.82x–1.89x at 768, 2.2x to 2.3x at
//!   1536 (CPU time, interleaved, both inputs 64-byte aligned, Zen 5).
//! - *The alignment head* is taken only from 512 components on: below, its
//!   extra masked step and branches cost more than the straddling loads
//!   they save (measured at d = 384).
//!   Writing the loops out twice, with the head and without, saved ~0.4 ns
//!   per call on aligned input at d = 384 but cost ~5 % at d = 768 when
//!   the head is taken: not kept.
//!
//! **What is left at embedding sizes.** Measured at d = 384 on Zen 5 (CPU
//! time per call, implementations interleaved in one process, both vectors
//! 64-byte aligned; simsimd takes ~25 ns, its single accumulator chain):
//! the bare loop (loads and FMAs, three reductions, no check, no tail, no
//! finish) takes ~10 ns; a hand-written AVX-512 kernel with the contract's
//! finish (the range checks, the square roots, the division, the clamp)
//! on slices ~13.1 ns, 1.9x faster than simsimd; that kernel behind the
//! contract's signature (two `ArrayView1`s in, a `Result` out) ~14.8 ns,
//! 1.7x, and ~15.2 ns through a function pointer, as a dispatched kernel
//! must be called; this function ~16 ns, 1.55x (the generic loop's head
//! and the dispatch's loads add the rest). The finish is latency that the
//! next call does not hide (a call's tail of reductions, square root and
//! division waits on its last FMAs), and the views' checks cost ~1.7 ns
//! on their own, so through this signature not even the hand-written
//! kernel reaches 1.8x at d = 384. At d = 768 and 1536 the loop
//! dominates: 1.9x and 2.3x with aligned inputs, less when both inputs
//! straddle cache lines (every load of `b` then costs two, which caps
//! even the bare loop near 1.9x).
//! The README gives each run's figures.
//!
//! On AVX2-only hardware the bound itself doubles, to `3·d/16` cycles,
//! which caps the gain over simsimd's AVX-512 loop at 4/3 (`d/4` cycles
//! for it): there, 1.8x cannot be reached.
//!
//! **Why it is right.** The f32 pass is trusted only when it can be: all
//! three totals finite (so no component was NaN or infinite and nothing
//! overflowed) and both squared norms at least 2⁻⁶⁰ (so underflow lost
//! nothing that matters). Vectors of up to 4096 components that pass
//! finish in f32 too, as `a·b / (√(a·a) √(b·b))`, with norms at most 2¹⁰⁰
//! so the product of the roots cannot overflow. Anything else — components near 1e30 or 1e-30, a
//! zero vector, a NaN — takes the slow path, which checks the errors in
//! the contract's order and sums in f64, where the square of any f32 is
//! exact in range. Ordinary input never pays for that robustness.
//!
//! ```
//! use ndarray::array;
//! use solutions::cosine::{cosine_similarity, VectorError};
//!
//! let orthogonal = cosine_similarity(array![1.0, 0.0].view(), array![0.0, 1.0].view());
//! assert_eq!(orthogonal, Ok(0.0));
//! let parallel = cosine_similarity(array![1.0, 2.0, 3.0].view(), array![2.0, 4.0, 6.0].view());
//! assert!((parallel.unwrap() - 1.0).abs() < 1e-6);
//! let huge = cosine_similarity(array![1e30, 1e30].view(), array![1e30, 0.0].view());
//! assert!((huge.unwrap() - std::f32::consts::FRAC_1_SQRT_2).abs() < 1e-6);
//! assert_eq!(
//!     cosine_similarity(array![1.0].view(), array![1.0, 2.0].view()),
//!     Err(VectorError::DimensionMismatch { expected: 1, found: 2 })
//! );
//! assert_eq!(cosine_similarity(array![0.0, 0.0].view(), array![1.0, 2.0].view()), Err(VectorError::ZeroNorm));
//! ```

pub use kata_types::VectorError;
use ndarray::ArrayView1;

use crate::kernels::{Functions, Sums};
pub use crate::kernels::{KERNEL_VARIABLE, Kernel, with_kernel};

/// The cosine of the angle between `a` and `b`, in `[-1, 1]`, within 1e-5
/// of the exact value for every finite input.
///
/// # Errors
/// In this order: [`VectorError::DimensionMismatch`] when the lengths
/// differ, [`VectorError::Empty`] when both are empty,
/// [`VectorError::NonFinite`] for a NaN or infinite component, and
/// [`VectorError::ZeroNorm`] when either vector is all zeros.
#[inline]
pub fn cosine_similarity(a: ArrayView1<f32>, b: ArrayView1<f32>) -> Result<f32, VectorError> {
    cosine_with(Functions::best(), a, b)
}

/// [`cosine_similarity`] computed with a chosen kernel, so that tests and
/// benchmarks can compare the vectorised paths with the portable one.
///
/// # Errors
/// As [`cosine_similarity`].
#[inline]
pub fn cosine_similarity_with(
    kernel: Kernel,
    a: ArrayView1<f32>,
    b: ArrayView1<f32>,
) -> Result<f32, VectorError> {
    cosine_with(kernel.functions(), a, b)
}

/// [`cosine_similarity`] with the loops of one kernel: the fast path
/// inline, everything else out of line.
///
/// The fast path checks nothing up front. Two contiguous views of one
/// length go straight to the kernel, whose f32 sums decide afterwards
/// whether they can be trusted (see [`Functions::short_cosine`]): a NaN or
/// an infinity makes a sum non-finite, an empty or zero vector makes a norm
/// zero, and huge or tiny components put a norm out of range, so every
/// input the contract treats specially falls through to
/// [`checked_cosine`], which checks the errors in the contract's order.
#[inline]
fn cosine_with(kernel: &Functions, a: ArrayView1<f32>, b: ArrayView1<f32>) -> Result<f32, VectorError> {
    if let (Some(x), Some(y)) = (a.as_slice(), b.as_slice())
        && x.len() == y.len()
        && let Some(cosine) = kernel.short_cosine(x, y)
    {
        return Ok(cosine);
    }
    let (expected, found) = (a.len(), b.len());
    checked_cosine(kernel, a, b).map_err(|fault| fault.error(expected, found))
}

/// What [`checked_cosine`] found wrong, without the lengths a
/// [`VectorError::DimensionMismatch`] carries (the caller has them), so
/// that its result fits in a register (see "The result" in the module
/// doc).
#[derive(Debug, Clone, Copy)]
enum Fault {
    DimensionMismatch,
    Empty,
    NonFinite,
    ZeroNorm,
}

impl Fault {
    /// The fault of `error`.
    fn of(error: VectorError) -> Fault {
        match error {
            VectorError::DimensionMismatch { .. } => Fault::DimensionMismatch,
            VectorError::Empty => Fault::Empty,
            VectorError::NonFinite => Fault::NonFinite,
            VectorError::ZeroNorm => Fault::ZeroNorm,
        }
    }

    /// The contract's error for this fault of vectors of these lengths.
    #[inline]
    fn error(self, expected: usize, found: usize) -> VectorError {
        match self {
            Fault::DimensionMismatch => VectorError::DimensionMismatch { expected, found },
            Fault::Empty => VectorError::Empty,
            Fault::NonFinite => VectorError::NonFinite,
            Fault::ZeroNorm => VectorError::ZeroNorm,
        }
    }
}

/// Everything the fast path left: the contract's checks in order, strided
/// views, vectors longer than one block, and sums the fast path could not
/// trust.
#[cold]
#[inline(never)]
fn checked_cosine(kernel: &Functions, a: ArrayView1<f32>, b: ArrayView1<f32>) -> Result<f32, Fault> {
    if a.len() != b.len() {
        return Err(Fault::DimensionMismatch);
    }
    if a.is_empty() {
        return Err(Fault::Empty);
    }
    match (a.as_slice(), b.as_slice()) {
        (Some(a), Some(b)) => cosine_of_slices(kernel, a, b),
        // A strided view (a column, a reversed vector): copy it once.
        _ => cosine_of_slices(kernel, &a.to_vec(), &b.to_vec()),
    }
    .map_err(Fault::of)
}

/// The cosine of two non-empty slices of one length.
fn cosine_of_slices(kernel: &Functions, a: &[f32], b: &[f32]) -> Result<f32, VectorError> {
    if let Some(cosine) = kernel.short_cosine(a, b) {
        return Ok(cosine);
    }
    let sums = kernel.sums(a, b);
    if sums.trusted() {
        return Ok(sums.cosine());
    }
    exact_cosine(a, b)
}

/// The slow path: the contract's error order, then sums in f64.
fn exact_cosine(a: &[f32], b: &[f32]) -> Result<f32, VectorError> {
    if !a.iter().chain(b).all(|x| x.is_finite()) {
        return Err(VectorError::NonFinite);
    }
    let sums = Sums::exact(a, b);
    if sums.aa == 0.0 || sums.bb == 0.0 {
        return Err(VectorError::ZeroNorm);
    }
    Ok(sums.cosine())
}

/// The squared norm `v·v` in f64, for any finite `v` (zero for a zero
/// vector), computed as fast as the kernel allows.
///
/// # Errors
/// [`VectorError::NonFinite`] when a component is NaN or infinite.
pub(crate) fn squared_norm(kernel: Kernel, v: &[f32]) -> Result<f64, VectorError> {
    let sums = kernel.functions().sums(v, v);
    if sums.trusted() {
        return Ok(sums.aa);
    }
    if !v.iter().all(|x| x.is_finite()) {
        return Err(VectorError::NonFinite);
    }
    Ok(Sums::exact(v, v).aa)
}

/// The exact score of `row` against a unit vector, for rows whose fast sums
/// could not be trusted: 0 for a zero row.
///
/// # Errors
/// [`VectorError::NonFinite`] when a component of `row` is NaN or infinite.
pub(crate) fn exact_score_against_unit(unit: &[f32], row: &[f32]) -> Result<f32, VectorError> {
    if !row.iter().all(|x| x.is_finite()) {
        return Err(VectorError::NonFinite);
    }
    let sums = Sums::exact(unit, row);
    Ok(if sums.bb == 0.0 { 0.0 } else { (sums.dot / sums.bb.sqrt()).clamp(-1.0, 1.0) as f32 })
}

#[cfg(test)]
mod tests {
    use ndarray::Array1;

    use super::*;

    /// Every kernel answers as the best one does, errors included.
    #[test]
    fn every_chosen_kernel_gives_the_best_kernels_answer() {
        let a = Array1::from_iter((0..300).map(|i| ((i * 37 % 101) as f32 - 50.0) / 7.0));
        let b = Array1::from_iter((0..300).map(|i| ((i * 53 % 97) as f32 - 48.0) / 5.0));
        let zero = Array1::zeros(300);
        let short = Array1::from_elem(299, 1.0_f32);
        for kernel in Kernel::available() {
            let cosine = cosine_similarity_with(kernel, a.view(), b.view());
            let best = cosine_similarity(a.view(), b.view());
            assert!(
                cosine.is_ok_and(|c| best.is_ok_and(|best| (c - best).abs() <= 1e-6)),
                "{kernel:?}: {cosine:?} vs {best:?}"
            );
            assert_eq!(cosine_similarity_with(kernel, a.view(), zero.view()), Err(VectorError::ZeroNorm));
            assert_eq!(
                cosine_similarity_with(kernel, a.view(), short.view()),
                Err(VectorError::DimensionMismatch { expected: 300, found: 299 })
            );
        }
    }

    /// A kernel is offered exactly where the CPU runs it.
    #[test]
    #[cfg(target_arch = "x86_64")]
    fn the_vector_kernels_are_found_where_the_cpu_has_them() {
        let avx2 = is_x86_feature_detected!("avx2") && is_x86_feature_detected!("fma");
        assert_eq!(Kernel::Avx2.is_available(), avx2);
        assert_eq!(Kernel::Avx512.is_available(), is_x86_feature_detected!("avx512f"));
    }
}
