//! # Vector kernels, written once
//!
//! The inner loops every vector exercise needs — the three sums of a cosine
//! (`a·b`, `a·a`, `b·b`) in one pass, and dot products of one query with
//! many rows — live here, once, for every instruction set.
//!
//! **Loops written once.** Each loop is one generic function (in `loops`)
//! over `Lanes`: a vector register and the half-dozen
//! operations the loops use (load, load a short tail with zeros, fused
//! multiply-add, add, sum the lanes). It is instantiated three times: with
//! `[f32; 8]` arrays (portable Rust, which the compiler vectorises for the
//! build's baseline target), with `__m256` (AVX2 + FMA) and with `__m512`
//! (AVX-512F). Every loop keeps four independent accumulators per sum: one
//! running sum would make each addition wait for the previous one (4
//! cycles of FMA latency), while several overlap and keep both FMA units
//! busy.
//!
//! **Dispatch written once.** A kernel's loops are reached through a
//! `Functions` table of function pointers. The table of an instruction
//! set is handed out only by a token whose existence proves that the CPU
//! runs it (`x86::Avx2`, `x86::Avx512`, made only by run-time detection,
//! the design of the `memchr` crate), so calling through it is safe.
//! [`Kernel::best`] detects the fastest kernel once and caches its table;
//! the environment variable [`KERNEL_VARIABLE`] (`KATA_KERNEL`) pins another
//! one, so that the whole test suite runs through each path, and
//! [`with_kernel`] pins one for a closure on one thread, so that a benchmark
//! times the portable path beside the SIMD one in the same process.
//!
//! **Tested against the portable loop.** The unit tests below run every
//! kernel this CPU has on the same inputs, at every length around the
//! vector widths and the blocks, against the exact f64 sums and against
//! the portable kernel.

use std::cell::Cell;
use std::sync::OnceLock;

pub(crate) mod exp;
mod loops;
mod portable;
#[cfg(target_arch = "x86_64")]
mod x86;

/// Elements summed in f32 before the partial sums are folded into f64: it
/// bounds the rounding error of a sum of any length by that of one block.
pub(crate) const BLOCK: usize = 4096;

/// The environment variable that pins [`Kernel::best`] to one kernel.
pub const KERNEL_VARIABLE: &str = "KATA_KERNEL";

/// Below this squared norm f32 sums may have lost terms to underflow.
const MIN_TRUSTED_SQUARED_NORM: f64 = 1.0 / (1_u64 << 60) as f64;

/// An implementation of the inner loops.
///
/// ```
/// use solutions::cosine::Kernel;
///
/// assert!(Kernel::best().is_available());
/// assert_eq!(Kernel::from_name("AVX2"), Some(Kernel::Avx2));
/// assert_eq!(Kernel::available()[0], Kernel::Portable);
/// ```
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
    /// (`portable`, `avx2` or `avx512`) names another one this CPU runs.
    pub fn best() -> Kernel {
        best().0
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
        self.detect().is_some()
    }

    /// The kernel's loops, if this CPU runs them: the one place that maps a
    /// kernel to its code.
    fn detect(self) -> Option<&'static Functions> {
        match self {
            Kernel::Portable => Some(&portable::FUNCTIONS),
            #[cfg(target_arch = "x86_64")]
            Kernel::Avx2 => x86::Avx2::detect().map(x86::Avx2::functions),
            #[cfg(target_arch = "x86_64")]
            Kernel::Avx512 => x86::Avx512::detect().map(x86::Avx512::functions),
            #[cfg(not(target_arch = "x86_64"))]
            _ => None,
        }
    }

    /// The kernel's loops; a kernel this CPU lacks falls back to the
    /// portable loops. The best kernel's table is cached.
    #[inline]
    pub(crate) fn functions(self) -> &'static Functions {
        let (best, functions) = best();
        if self == best { functions } else { self.detect().unwrap_or(&portable::FUNCTIONS) }
    }
}

thread_local! {
    /// The kernel [`with_kernel`] pinned on this thread, with its loops.
    static PINNED: Cell<Option<(Kernel, &'static Functions)>> = const { Cell::new(None) };
}

/// Runs `f` with [`Kernel::best`] answering `kernel` on this thread, so that
/// every function of this crate that `f` calls runs that kernel's loops;
/// the previous choice comes back afterwards, even if `f` panics. A kernel
/// this CPU lacks changes nothing (check [`Kernel::is_available`]).
///
/// Where `KATA_KERNEL` pins a kernel for a whole process (the test suite
/// through each path), this pins one for a closure: a benchmark times the
/// reference's portable path beside its SIMD path in one run. Pin around a
/// whole measurement rather than inside the timed loop: the pin itself costs
/// a few nanoseconds.
///
/// ```
/// use solutions::cosine::{Kernel, with_kernel};
///
/// assert_eq!(with_kernel(Kernel::Portable, Kernel::best), Kernel::Portable);
/// ```
pub fn with_kernel<R>(kernel: Kernel, f: impl FnOnce() -> R) -> R {
    /// Puts the previous pin back when dropped.
    struct Restore(Option<(Kernel, &'static Functions)>);
    impl Drop for Restore {
        fn drop(&mut self) {
            PINNED.set(self.0);
        }
    }
    let pinned = kernel.detect().map(|functions| (kernel, functions)).or_else(|| PINNED.get());
    let _restore = Restore(PINNED.replace(pinned));
    f()
}

/// The kernel [`with_kernel`] pinned on this thread, if any.
#[inline]
pub(crate) fn pinned() -> Option<Kernel> {
    PINNED.get().map(|(kernel, _)| kernel)
}

/// The best kernel and its loops, chosen on first use, unless
/// [`with_kernel`] pinned one on this thread.
#[inline]
fn best() -> (Kernel, &'static Functions) {
    if let Some(pinned) = PINNED.get() {
        return pinned;
    }
    static BEST: OnceLock<(Kernel, &'static Functions)> = OnceLock::new();
    *BEST.get_or_init(|| {
        let requested = std::env::var(KERNEL_VARIABLE).ok().and_then(|name| Kernel::from_name(&name));
        requested
            .into_iter()
            .chain([Kernel::Avx512, Kernel::Avx2, Kernel::Portable])
            .find_map(|kernel| Some((kernel, kernel.detect()?)))
            .unwrap_or((Kernel::Portable, &portable::FUNCTIONS))
    })
}

/// One kernel's loops. Built only in this module's children, for an
/// instruction set, and handed out only after the CPU was found to run it
/// (see [`Kernel::detect`]): holding a `&Functions` is the proof that its
/// functions may be called.
pub(crate) struct Functions {
    cosine: unsafe fn(&[f32], &[f32]) -> Option<f32>,
    sums: unsafe fn(&[f32], &[f32]) -> [f32; 3],
    dot: unsafe fn(&[f32], &[f32]) -> f32,
    dots: unsafe fn(&[f32], &[f32], &mut [f32]),
    row_sums: unsafe fn(&[f32], &[f32], &mut [Sums]),
}

impl Functions {
    /// The loops of [`Kernel::best`], cached.
    #[inline]
    pub fn best() -> &'static Functions {
        best().1
    }

    /// The cosine of two slices of one length, when a single f32 pass can
    /// be trusted with it (see [`loops::short_cosine`]): the whole of the
    /// fast path of embedding-sized vectors, in one call.
    #[inline]
    pub fn short_cosine(&self, a: &[f32], b: &[f32]) -> Option<f32> {
        // SAFETY: a `Functions` exists only for an instruction set the CPU
        // runs (see the type's documentation); the loops read at most
        // `min(a.len(), b.len())` elements of each slice.
        unsafe { (self.cosine)(a, b) }
    }

    /// `a·b`, `a·a` and `b·b` of two slices of one length, folded into f64
    /// every [`BLOCK`] elements.
    pub fn sums(&self, a: &[f32], b: &[f32]) -> Sums {
        debug_assert_eq!(a.len(), b.len());
        let mut total = Sums::default();
        for (a, b) in a.chunks(BLOCK).zip(b.chunks(BLOCK)) {
            // SAFETY: as in `short_cosine`.
            total.add(unsafe { (self.sums)(a, b) });
        }
        total
    }

    /// `a·b` of two slices of one length, in f32 lanes folded into f64.
    pub fn dot(&self, a: &[f32], b: &[f32]) -> f64 {
        debug_assert_eq!(a.len(), b.len());
        // SAFETY: as in `short_cosine`.
        a.chunks(BLOCK).zip(b.chunks(BLOCK)).map(|(a, b)| f64::from(unsafe { (self.dot)(a, b) })).sum()
    }

    /// `query·row` for each row of `rows` (consecutive runs of
    /// `query.len()` floats) into `out`, with one call for all of them.
    pub fn dots(&self, query: &[f32], rows: &[f32], out: &mut [f32]) {
        if query.len() > BLOCK || query.is_empty() {
            loops::each_row(query, rows, out, |row| self.dot(query, row) as f32);
        } else {
            // SAFETY: as in `short_cosine`; rows are cut `query.len()` long.
            unsafe { (self.dots)(query, rows, out) }
        }
    }

    /// [`Functions::sums`] of `query` with each row of `rows` into `out`.
    pub fn row_sums(&self, query: &[f32], rows: &[f32], out: &mut [Sums]) {
        if query.len() > BLOCK || query.is_empty() {
            loops::each_row(query, rows, out, |row| self.sums(query, row));
            return;
        }
        // SAFETY: as in `short_cosine`; rows are cut `query.len()` long.
        unsafe { (self.row_sums)(query, rows, out) }
    }
}

/// The three sums of a cosine, in f64.
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

    /// Lengths around every vector width, unroll and block boundary.
    fn lengths() -> impl Iterator<Item = usize> {
        (0..140).chain([255, 256, 257, 383, 384, 385, 1000, 1536, 4095, 4096, 4097, 10_000])
    }

    fn close(got: f64, want: f64, scale: f64) -> bool {
        (got - want).abs() <= 1e-5 * scale.max(1.0)
    }

    #[test]
    fn every_kernel_agrees_with_the_exact_sums_and_the_portable_kernel() {
        let portable = Kernel::Portable.functions();
        for len in lengths() {
            let (a, b) = (vector(len, 1), vector(len, 2));
            let exact = Sums::exact(&a, &b);
            let scale = (exact.aa * exact.bb).sqrt();
            let reference = portable.sums(&a, &b);
            for kernel in Kernel::available() {
                let fast = kernel.functions().sums(&a, &b);
                for (got, want, portable) in [
                    (fast.dot, exact.dot, reference.dot),
                    (fast.aa, exact.aa, reference.aa),
                    (fast.bb, exact.bb, reference.bb),
                ] {
                    assert!(close(got, want, scale), "{kernel:?}, len {len}: {got} vs exact {want}");
                    assert!(
                        close(got, portable, scale),
                        "{kernel:?}, len {len}: {got} vs portable {portable}"
                    );
                }
                let dot = kernel.functions().dot(&a, &b);
                assert!(close(dot, exact.dot, scale), "{kernel:?} dot, len {len}: {dot} vs {}", exact.dot);
            }
        }
    }

    /// Long vectors first sum the floats up to a register boundary of `a`
    /// on their own: from every start within a register, with `b` at
    /// another offset, and lengths with and without a tail.
    #[test]
    fn every_kernel_sums_from_every_alignment() {
        let (a, b) = (vector(1200, 8), vector(1200, 9));
        for start in 0..17 {
            for len in [511, 512, 513, 767, 768, 1000, 1024] {
                let b_start = (start + 5) % 16;
                let (a, b) = (&a[start..start + len], &b[b_start..b_start + len]);
                let exact = Sums::exact(a, b);
                let scale = (exact.aa * exact.bb).sqrt();
                for kernel in Kernel::available() {
                    let fast = kernel.functions().sums(a, b);
                    for (got, want) in [(fast.dot, exact.dot), (fast.aa, exact.aa), (fast.bb, exact.bb)] {
                        assert!(
                            close(got, want, scale),
                            "{kernel:?}, start {start}, len {len}: {got} vs {want}"
                        );
                    }
                    let cosine = kernel.functions().short_cosine(a, b).map(f64::from);
                    let want = f64::from(exact.cosine());
                    assert!(
                        cosine.is_some_and(|c| (c - want).abs() <= 1e-6),
                        "{kernel:?}, start {start}, len {len}"
                    );
                }
            }
        }
    }

    #[test]
    fn every_kernel_finds_the_short_cosine_the_exact_sums_give() {
        for len in lengths() {
            let (a, b) = (vector(len, 5), vector(len, 6));
            let exact = Sums::exact(&a, &b);
            for kernel in Kernel::available() {
                let short = kernel.functions().short_cosine(&a, &b);
                if len == 0 || len > BLOCK {
                    assert_eq!(short, None, "{kernel:?}, len {len}");
                } else {
                    let cosine = short.unwrap_or_else(|| panic!("{kernel:?}, len {len}: no fast path"));
                    assert!(
                        (f64::from(cosine) - f64::from(exact.cosine())).abs() <= 1e-6,
                        "{kernel:?}, len {len}"
                    );
                }
            }
        }
    }

    #[test]
    fn with_kernel_pins_every_dispatch_on_this_thread_and_then_lets_go() {
        let unpinned = (Kernel::best(), exp::Kernel::best());
        for kernel in Kernel::available() {
            let seen = with_kernel(kernel, || (Kernel::best(), exp::Kernel::best(), pinned()));
            assert_eq!(seen.0, kernel);
            assert_eq!(format!("{:?}", seen.1), format!("{kernel:?}"), "the exp kernels follow the pin");
            assert_eq!(seen.2, Some(kernel));
            assert_eq!((Kernel::best(), exp::Kernel::best()), unpinned, "{kernel:?} stayed pinned");
        }
        let panicked =
            std::panic::catch_unwind(|| with_kernel(Kernel::Portable, || panic!("inside the pin")));
        assert!(panicked.is_err());
        assert_eq!(pinned(), None, "a panic inside the pin must not leave it pinned");
    }

    #[test]
    fn the_short_cosine_refuses_what_f32_cannot_hold() {
        let ordinary = vector(100, 7);
        let cases: [(&str, Vec<f32>); 5] = [
            ("zero", vec![0.0; 100]),
            ("tiny", ordinary.iter().map(|x| x * 1e-25).collect()),
            ("huge", ordinary.iter().map(|x| x * 1e25).collect()),
            ("nan", ordinary.iter().enumerate().map(|(i, &x)| if i == 63 { f32::NAN } else { x }).collect()),
            (
                "inf",
                ordinary.iter().enumerate().map(|(i, &x)| if i == 99 { f32::INFINITY } else { x }).collect(),
            ),
        ];
        for kernel in Kernel::available() {
            for (name, bad) in &cases {
                assert_eq!(kernel.functions().short_cosine(&ordinary, bad), None, "{kernel:?}: {name}");
                assert_eq!(kernel.functions().short_cosine(bad, &ordinary), None, "{kernel:?}: {name}");
            }
        }
    }

    #[test]
    fn row_kernels_agree_with_one_row_at_a_time() {
        for dim in [1, 5, 16, 63, 64, 65, 384, 4097] {
            let query = vector(dim, 3);
            let rows = vector(dim * 70, 4);
            for kernel in Kernel::available() {
                let mut dots = vec![0.0; 70];
                let mut sums = vec![Sums::default(); 70];
                kernel.functions().dots(&query, &rows, &mut dots);
                kernel.functions().row_sums(&query, &rows, &mut sums);
                for (i, row) in rows.chunks_exact(dim).enumerate() {
                    let exact = Sums::exact(&query, row);
                    let scale = (exact.aa * exact.bb).sqrt();
                    assert!(close(f64::from(dots[i]), exact.dot, scale), "{kernel:?} dots, dim {dim}");
                    assert!(close(sums[i].dot, exact.dot, scale), "{kernel:?} row_sums, dim {dim}");
                    assert!(close(sums[i].bb, exact.bb, exact.bb), "{kernel:?} row_sums, dim {dim}");
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
    fn the_best_kernel_is_available_and_cached() {
        assert!(Kernel::best().is_available());
        assert_eq!(Kernel::available()[0], Kernel::Portable);
        assert!(std::ptr::eq(Kernel::best().functions(), best().1));
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
