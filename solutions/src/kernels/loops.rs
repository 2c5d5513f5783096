//! The loops, written once over [`Lanes`], and instantiated per instruction
//! set by `portable` and `x86`.
//!
//! Every loop reads `a` and `b` in steps of four registers, each feeding its
//! own accumulator, so that four chains of fused multiply-adds run side by
//! side; the last `< 4` whole registers go to accumulators of their own and
//! a short tail is loaded padded with zeros (which add nothing to any sum).
//! The floats before the first register-aligned address of `a` are loaded
//! the same way, first, so that no load of `a` straddles two cache lines.

use super::{BLOCK, Sums};

/// A vector register of `f32` lanes and the operations the loops use.
///
/// The methods are `unsafe` and always inlined: they compile to single
/// instructions of an instruction set the caller must have enabled (with
/// `#[target_feature]`) and checked the CPU for.
pub(super) trait Lanes: Copy {
    /// `f32` lanes per register.
    const WIDTH: usize;

    /// Every lane zero.
    ///
    /// # Safety
    /// The CPU must run the instruction set.
    unsafe fn zero() -> Self;

    /// The `WIDTH` floats at `ptr`.
    ///
    /// # Safety
    /// As [`Lanes::zero`], and `ptr .. ptr + WIDTH` must be readable.
    unsafe fn load(ptr: *const f32) -> Self;

    /// The `len < WIDTH` floats at `ptr`, then zeros.
    ///
    /// # Safety
    /// As [`Lanes::zero`], and `ptr .. ptr + len` must be readable.
    unsafe fn load_tail(ptr: *const f32, len: usize) -> Self;

    /// `a * b + acc`, lane by lane (fused where the instruction set has it).
    ///
    /// # Safety
    /// As [`Lanes::zero`].
    unsafe fn mul_add(a: Self, b: Self, acc: Self) -> Self;

    /// `a + b`, lane by lane.
    ///
    /// # Safety
    /// As [`Lanes::zero`].
    unsafe fn add(a: Self, b: Self) -> Self;

    /// The sum of the lanes.
    ///
    /// # Safety
    /// As [`Lanes::zero`].
    unsafe fn sum(self) -> f32;

    /// The sums of the lanes of three registers at once, `[Σx, Σy, Σz]`.
    /// AVX2 shares the last steps of the three reductions with horizontal
    /// adds (fewer shuffles than three [`Lanes::sum`]s); the default keeps
    /// them independent, the shorter chain where latency counts.
    ///
    /// # Safety
    /// As [`Lanes::zero`].
    #[inline(always)]
    unsafe fn sum3(x: Self, y: Self, z: Self) -> [f32; 3] {
        // SAFETY: the caller's guarantee.
        unsafe { [x.sum(), y.sum(), z.sum()] }
    }
}

/// Vectors shorter than this skip the aligned head (see
/// [`for_each_register`]): at d = 384 its extra masked step and branches
/// were measured to cost more than the straddling loads they save, from
/// d = 768 on the aligned loads win.
const ALIGN_FROM: usize = 512;

/// Accumulators per sum: enough independent chains to cover the FMA
/// latency on both FMA units.
const CHAINS: usize = 4;

/// The `CHAINS` accumulators of one sum added pairwise into one register.
///
/// # Safety
/// The CPU must run `V`'s instruction set.
#[inline(always)]
unsafe fn fold<V: Lanes>([a, b, c, d]: [V; CHAINS]) -> V {
    // SAFETY: the caller's guarantee.
    unsafe { V::add(V::add(a, b), V::add(c, d)) }
}

/// The sum of `CHAINS` accumulators, added pairwise.
///
/// # Safety
/// The CPU must run `V`'s instruction set.
#[inline(always)]
unsafe fn total<V: Lanes>(chains: [V; CHAINS]) -> f32 {
    // SAFETY: the caller's guarantee.
    unsafe { fold(chains).sum() }
}

/// What a loop does with each pair of registers it loads from `a` and `b`:
/// accumulate them on one of its `CHAINS` chains.
///
/// A trait with an always-inlined method rather than a closure: a closure
/// called from both the main loop and the remainder was measured to stay
/// out of line, which kept the accumulators in memory (stored and
/// reloaded around every call) instead of in registers.
trait Step<V: Lanes> {
    /// Accumulates `x` (from `a`) and `y` (from `b`) on `chain`.
    ///
    /// # Safety
    /// The CPU must run `V`'s instruction set.
    unsafe fn step(&mut self, chain: usize, x: V, y: V);
}

/// Feeds `state` the registers of `a` and `b` over their first
/// `min(a.len(), b.len())` elements: whole groups of `CHAINS` registers
/// first, one per chain, then the fewer than `CHAINS` registers left (the
/// last one a zero-padded tail), again one per chain. Every chain index is
/// a constant once the loops over `0..CHAINS` are unrolled, so the
/// accumulators stay in registers.
///
/// # Safety
/// The CPU must run `V`'s instruction set.
#[inline(always)]
unsafe fn for_each_register<V: Lanes, S: Step<V>>(a: &[f32], b: &[f32], state: &mut S) {
    let n = a.len().min(b.len());
    let (a, b) = (a.as_ptr(), b.as_ptr());
    let group = CHAINS * V::WIDTH;
    // A register load that straddles two cache lines costs two loads, and
    // a 64-byte register of an allocation aligned to 16 bytes straddles on
    // every load. So the first `head` floats go alone, padded with zeros
    // like a tail, and every later load of `a` is aligned to its width
    // (for vectors long enough to repay it: see `ALIGN_FROM`).
    let misaligned = (a as usize / size_of::<f32>()) % V::WIDTH;
    let head = if misaligned == 0 || n < ALIGN_FROM { 0 } else { (V::WIDTH - misaligned).min(n) };
    if head > 0 {
        // SAFETY: the caller's guarantee; `head <= n` floats of each slice.
        unsafe { state.step(CHAINS - 1, V::load_tail(a, head), V::load_tail(b, head)) };
    }
    let mut i = head;
    // SAFETY (both loops): the caller's guarantee for the instruction set;
    // every load reads `i .. i + WIDTH` with `i + WIDTH <= n`, or a tail
    // of `n - i < WIDTH` floats, in bounds of both slices.
    while i + group <= n {
        for chain in 0..CHAINS {
            let at = i + chain * V::WIDTH;
            unsafe { state.step(chain, V::load(a.add(at)), V::load(b.add(at))) };
        }
        i += group;
    }
    // Whole groups to the end (every embedding size): no tail to test.
    if i == n {
        return;
    }
    for chain in 0..CHAINS {
        if i + V::WIDTH <= n {
            unsafe { state.step(chain, V::load(a.add(i)), V::load(b.add(i))) };
        } else if i < n {
            let lanes = n - i;
            unsafe { state.step(chain, V::load_tail(a.add(i), lanes), V::load_tail(b.add(i), lanes)) };
        }
        i += V::WIDTH;
    }
}

/// The accumulators of [`sums`]: `CHAINS` per sum.
struct ThreeSums<V> {
    dot: [V; CHAINS],
    aa: [V; CHAINS],
    bb: [V; CHAINS],
}

impl<V: Lanes> Step<V> for ThreeSums<V> {
    #[inline(always)]
    unsafe fn step(&mut self, chain: usize, x: V, y: V) {
        // SAFETY: the caller's guarantee.
        unsafe {
            self.dot[chain] = V::mul_add(x, y, self.dot[chain]);
            self.aa[chain] = V::mul_add(x, x, self.aa[chain]);
            self.bb[chain] = V::mul_add(y, y, self.bb[chain]);
        }
    }
}

/// The accumulators of [`dot`].
struct Dot<V>([V; CHAINS]);

impl<V: Lanes> Step<V> for Dot<V> {
    #[inline(always)]
    unsafe fn step(&mut self, chain: usize, x: V, y: V) {
        // SAFETY: the caller's guarantee.
        unsafe { self.0[chain] = V::mul_add(x, y, self.0[chain]) };
    }
}

/// `[a·b, a·a, b·b]` in f32 over the first `min(a.len(), b.len())` elements.
///
/// # Safety
/// The CPU must run `V`'s instruction set.
#[inline(always)]
pub(super) unsafe fn sums<V: Lanes>(a: &[f32], b: &[f32]) -> [f32; 3] {
    // SAFETY: the caller's guarantee.
    unsafe {
        let zero = [V::zero(); CHAINS];
        let mut state = ThreeSums { dot: zero, aa: zero, bb: zero };
        for_each_register(a, b, &mut state);
        V::sum3(fold(state.dot), fold(state.aa), fold(state.bb))
    }
}

/// `a·b` in f32 over the first `min(a.len(), b.len())` elements.
///
/// # Safety
/// The CPU must run `V`'s instruction set.
#[inline(always)]
pub(super) unsafe fn dot<V: Lanes>(a: &[f32], b: &[f32]) -> f32 {
    // SAFETY: the caller's guarantee.
    unsafe {
        let mut state = Dot([V::zero(); CHAINS]);
        for_each_register(a, b, &mut state);
        total(state.0)
    }
}

/// The cosine of `a` and `b` from one f32 pass, when that pass can be
/// trusted: at most one [`BLOCK`] long and both squared norms in
/// `[2⁻⁶⁰, 2¹⁰⁰]`. Then no component was NaN or infinite (its square would
/// be), nothing underflowed that matters, `a·b` is bounded by `√(a·a · b·b)`
/// (Cauchy–Schwarz, prefix by prefix) and `‖a‖ ‖b‖` cannot overflow.
/// Otherwise `None`, and the caller takes the slow path.
///
/// # Safety
/// The CPU must run `V`'s instruction set.
#[inline(always)]
pub(super) unsafe fn short_cosine<V: Lanes>(a: &[f32], b: &[f32]) -> Option<f32> {
    const LOW: f32 = 1.0 / (1_u64 << 60) as f32;
    const HIGH: f32 = (1_u128 << 100) as f32;
    if a.len() > BLOCK {
        return None;
    }
    // SAFETY: the caller's guarantee.
    let [dot, aa, bb] = unsafe { sums::<V>(a, b) };
    // `&`, not `&&`: four compares and one branch. NaN fails every compare.
    let in_range = |x: f32| (LOW..=HIGH).contains(&x);
    let trusted = in_range(aa) & in_range(bb);
    trusted.then(|| (dot / (aa.sqrt() * bb.sqrt())).clamp(-1.0, 1.0))
}

/// `out[i] = per_row(row i)` for the rows of `rows`, each `query.len()`
/// floats long. Always inlined, so that inside a `#[target_feature]`
/// function the loop called per row is inlined too.
#[inline(always)]
pub(super) fn each_row<T>(query: &[f32], rows: &[f32], out: &mut [T], mut per_row: impl FnMut(&[f32]) -> T) {
    let rows = rows.chunks_exact(query.len().max(1));
    debug_assert_eq!(rows.len(), out.len());
    for (row, out) in rows.zip(out) {
        *out = per_row(row);
    }
}

/// [`dot`] of `query` with each row of `rows`.
///
/// # Safety
/// The CPU must run `V`'s instruction set.
#[inline(always)]
pub(super) unsafe fn dots<V: Lanes>(query: &[f32], rows: &[f32], out: &mut [f32]) {
    // SAFETY: the caller's guarantee.
    each_row(query, rows, out, |row| unsafe { dot::<V>(query, row) });
}

/// [`sums`] of `query` with each row of `rows`, widened to f64.
///
/// # Safety
/// The CPU must run `V`'s instruction set.
#[inline(always)]
pub(super) unsafe fn row_sums<V: Lanes>(query: &[f32], rows: &[f32], out: &mut [Sums]) {
    // SAFETY: the caller's guarantee.
    each_row(query, rows, out, |row| Sums::from_block(unsafe { sums::<V>(query, row) }));
}

/// The five entry points of one instruction set, and their [`Functions`]
/// table, from its [`Lanes`] type: `instantiate!(Lanes, "features")` (or
/// `instantiate!(Lanes)` for the baseline target) inside
/// a module of its own. The table is private to that module's parent, which
/// hands it out only after checking the CPU.
///
/// [`Functions`]: super::Functions
macro_rules! instantiate {
    ($lanes:ty $(, $features:literal)?) => {
        use crate::kernels::{Functions, Sums, loops};

        $(#[target_feature(enable = $features)])?
        unsafe fn cosine(a: &[f32], b: &[f32]) -> Option<f32> {
            // SAFETY: the table below is handed out only for a CPU that
            // runs these features (see `Functions`).
            unsafe { loops::short_cosine::<$lanes>(a, b) }
        }

        $(#[target_feature(enable = $features)])?
        unsafe fn sums(a: &[f32], b: &[f32]) -> [f32; 3] {
            // SAFETY: as in `cosine`.
            unsafe { loops::sums::<$lanes>(a, b) }
        }

        $(#[target_feature(enable = $features)])?
        unsafe fn dot(a: &[f32], b: &[f32]) -> f32 {
            // SAFETY: as in `cosine`.
            unsafe { loops::dot::<$lanes>(a, b) }
        }

        $(#[target_feature(enable = $features)])?
        unsafe fn dots(query: &[f32], rows: &[f32], out: &mut [f32]) {
            // SAFETY: as in `cosine`.
            unsafe { loops::dots::<$lanes>(query, rows, out) }
        }

        $(#[target_feature(enable = $features)])?
        unsafe fn row_sums(query: &[f32], rows: &[f32], out: &mut [Sums]) {
            // SAFETY: as in `cosine`.
            unsafe { loops::row_sums::<$lanes>(query, rows, out) }
        }

        /// This instruction set's loops.
        pub(in crate::kernels) static FUNCTIONS: Functions = Functions { cosine, sums, dot, dots, row_sums };
    };
}

pub(super) use instantiate;
