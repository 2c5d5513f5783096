//! # Cosine similarity
//!
//! Embedding search ranks documents by the angle between their vectors:
//! `cos(a, b) = a·b / (‖a‖ ‖b‖)`, 1 for the same direction, 0 for
//! orthogonal, -1 for opposite. Write it for `f32` vectors, the way a
//! production library must: fast, and right for every finite input.
//!
//! ## Task
//! Implement [`cosine_similarity`].
//!
//! ## Examples
//! ```text
//! a = [1, 0],  b = [0, 1]      → Ok(0.0)
//! a = [1, 2, 3], b = [2, 4, 6] → Ok(1.0)
//! a = [1, 1],  b = [-1, -1]    → Ok(-1.0)
//! a = [1, 0],  b = [1, 1]      → Ok(0.70710677)   (1/√2)
//! a = [1e30, 1e30], b = [1e30, 0]  → Ok(0.70710677)   (no overflow)
//! ```
//!
//! ## Errors, checked in this order
//! 1. `a.len() != b.len()` → `Err(DimensionMismatch { expected: a.len(), found: b.len() })`
//! 2. both empty → `Err(Empty)`
//! 3. any NaN or ±infinity in either vector → `Err(NonFinite)`
//! 4. either vector all zeros (+0.0 or -0.0) → `Err(ZeroNorm)`; subnormal
//!    components are valid, tiny but not zero.
//!
//! ## Accuracy
//! Within 1e-5 of the exact value (as computed in f64), clamped to
//! `[-1, 1]`, for any finite input. Watch the magnitudes: with components
//! near 1e30 a sum of squares in f32 overflows to infinity, and near 1e-30
//! it underflows to zero. Rounding can also push the ratio a hair past 1.
//!
//! ## What a strong answer looks like
//! One pass over both vectors, O(d), no allocation. Three sums at once
//! (`a·b`, `a·a`, `b·b`) in several independent accumulators so the CPU can
//! overlap the additions and vectorise; no `sqrt` inside the loop; and a
//! plan for extreme magnitudes that costs nothing on ordinary input.

pub use kata_types::VectorError;
use ndarray::ArrayView1;

/// The cosine of the angle between `a` and `b`, in `[-1, 1]`.
///
/// See the module documentation for the errors and the accuracy required.
pub fn cosine_similarity(a: ArrayView1<f32>, b: ArrayView1<f32>) -> Result<f32, VectorError> {
    todo!(
        "open exercises/src/cosine.rs: cosine similarity of vectors of {} and {} components",
        a.len(),
        b.len()
    )
}
