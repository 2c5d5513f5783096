//! # Scaled dot-product attention
//!
//! The core of a transformer: each query attends to every key it may see
//! and returns the average of their values, weighted by a softmax of the
//! scores. Write it for `f32` matrices, the way an inference kernel must:
//! exact for any finite input, and without the `n × m` score matrix.
//!
//! ## Task
//! Implement [`attention`]: `q` is `[n, d]` (queries), `k` is `[m, d]`
//! (keys), `v` is `[m, dv]` (values); the result is `[n, dv]`,
//!
//! ```text
//! out = softmax(q·kᵀ / √d + mask) · v        (softmax over each row, i.e. over the keys)
//! ```
//!
//! Without `causal` there is no mask. With `causal`, the queries are the
//! *last* `n` of the `m` positions (decoding with a key/value cache, so
//! `n ≤ m`): query `i` sees keys `0 ..= i + (m − n)` and the others get
//! `-inf`. When `n == m` that is the familiar lower triangle.
//!
//! ## Examples
//! ```text
//! q = [[0, 0]], k = [[1, 0], [0, 1]], v = [[1, 0], [0, 3]]
//!     scores [0, 0] → weights [½, ½]                       → [[0.5, 1.5]]
//! q = [[1, 0]], k = [[2, 0], [0, 2]], v = [[1], [0]]
//!     scores [2/√2, 0] = [1.4142, 0] → weights [0.8044, 0.1956] → [[0.8044]]
//! q = [[0], [0]], k = [[0], [0]], v = [[1], [3]], causal
//!     query 0 sees key 0 only, query 1 sees both            → [[1], [2]]
//! q = [[0]], k = [[0], [0], [0]], v = [[1], [3], [5]], causal (n = 1, m = 3)
//!     the one query is position 2: it sees all three keys    → [[3]]
//! ```
//!
//! ## Errors, checked in this order
//! 1. `q.ncols() != k.ncols()` → `DimensionMismatch { expected: q.ncols(), found: k.ncols() }`
//! 2. `k.nrows() != v.nrows()` → `KeyValueMismatch { keys: k.nrows(), values: v.nrows() }`
//! 3. `causal` and `n > m` → `CausalShape { queries: n, keys: m }`
//! 4. `d == 0` or `m == 0` → `Empty`
//! 5. a NaN or an infinity anywhere in `q`, `k` or `v` → `NonFinite`
//!
//! Only then does `n == 0` give an empty `[0, dv]` result (not an error).
//!
//! ## Accuracy
//! Every output within `1e-4 · (1 + max |v|)` of the result computed in
//! f64, for any finite input. Scores of 1e6 and more occur (and a score
//! `q·k` may even exceed f32's range): `exp(1e6)` is infinite, so subtract
//! each row's maximum score first.
//!
//! ## Memory
//! O((n + m)·d + n·dv) beyond the output: never materialise the `n × m`
//! score matrix (at n = m = 16,384 it is 1 GiB; the tests measure the peak
//! allocation for 1,024 queries against 16,384 keys, whose scores would take
//! 64 MiB).
//!
//! ## What a strong answer looks like
//! One row of scores at a time (O(m) memory) with a stable softmax is
//! correct. The fast answer works in tiles, as FlashAttention does: a block
//! of queries against a block of keys is a small matrix product, and an
//! *online softmax* keeps each row's running maximum and sum, rescaling the
//! partial output by `exp(old max − new max)` when the maximum grows. With a
//! causal mask, skip the blocks no query of the block can see. O(n·m·(d + dv))
//! time, half of it with a causal mask.

pub use kata_types::AttentionError;
use ndarray::{Array2, ArrayView2};

/// `softmax(q·kᵀ / √d + mask) · v`, row by row.
///
/// See the module documentation for the mask, the errors, the accuracy and
/// the memory required.
pub fn attention(
    q: ArrayView2<f32>,
    k: ArrayView2<f32>,
    v: ArrayView2<f32>,
    causal: bool,
) -> Result<Array2<f32>, AttentionError> {
    todo!(
        "open exercises/src/attention.rs: attention of {:?} queries over {:?} keys and {:?} values (causal: {causal})",
        q.dim(),
        k.dim(),
        v.dim()
    )
}
