//! # K-way merge of sorted streams
//!
//! Sharded pipelines end with a merge: each worker emits its shard sorted
//! (by timestamp, by document id, by score), and the consumer needs one
//! sorted stream. The shards can be huge or endless, so the merge must be
//! lazy: it reads an input only when the next output needs it.
//!
//! ## Task
//! Implement [`merge_sorted`] (items ordered by `Ord`) and
//! [`merge_sorted_by`] (items ordered by a comparator). Both take `k` input
//! streams, each already sorted, and return one iterator over all their
//! items in sorted order. (One can call the other.)
//!
//! ## Semantics
//! - **Lazy.** Calling the function reads nothing it does not need; after
//!   the returned iterator has yielded `m` items, at most `m + k` items in
//!   total have been pulled from the `k` inputs. Input streams may be
//!   endless.
//! - **Stable.** Items that compare equal come out in stream order (all the
//!   equal items of `streams[0]` before those of `streams[1]`, ...), and in
//!   their own order within a stream.
//! - **Nothing lost.** Every input item comes out exactly once, even when an
//!   input stream is not sorted (the output order is then unspecified, but
//!   no item may be dropped or repeated).
//! - `T` need not be `Clone`, `Copy` or `'static`; streams of references
//!   (`slice.iter()`) work too.
//!
//! ## Examples
//! ```text
//! merge_sorted(vec![vec![1, 4, 7], vec![2, 5], vec![3, 6, 8]])  → 1 2 3 4 5 6 7 8
//! merge_sorted(vec![vec![1, 3], vec![], vec![2]])                → 1 2 3
//! merge_sorted(Vec::<Vec<u32>>::new())                          → (nothing)
//!
//! // descending streams, descending comparator
//! merge_sorted_by(vec![vec![9, 4], vec![8, 7, 1]], |a, b| b.cmp(a))  → 9 8 7 4 1
//!
//! // records ordered by key only: ties keep stream order, then input order
//! merge_sorted_by(vec![vec![(1, "a0"), (2, "a1")], vec![(1, "b0"), (2, "b1")]],
//!                 |x, y| x.0.cmp(&y.0))
//!     → (1, "a0") (1, "b0") (2, "a1") (2, "b1")
//!
//! // endless streams: multiples of 3 and of 5
//! merge_sorted(vec![(0..).step_by(3), (0..).step_by(5)]).take(6)  → 0 0 3 5 6 9
//!
//! // an unsorted stream: some order, but every item exactly once
//! merge_sorted(vec![vec![5, 1], vec![3]])  → a permutation of 5 1 3
//! ```
//!
//! ## What a strong answer looks like
//! - O(log k) comparisons per item, not a scan of all `k` heads (O(k)), and
//!   certainly not collecting everything and sorting it (eager, and
//!   O(n log n)). A binary heap of the `k` current heads works; a
//!   tournament ("loser") tree needs half its comparisons: one per level,
//!   on one path from a leaf to the root.
//! - No allocation per item: the structure over the `k` heads is built once.
//! - Stability costs nothing extra if ties are broken by stream index.

use std::cmp::Ordering;

/// Merges `k` sorted streams into one sorted stream, lazily and stably.
///
/// See the module documentation for the laziness, stability and
/// unsorted-input rules.
pub fn merge_sorted<T: Ord, I: IntoIterator<Item = T>>(streams: Vec<I>) -> impl Iterator<Item = T> {
    todo!("open exercises/src/merge.rs: merge {} sorted streams", streams.len());
    #[allow(unreachable_code)] // Delete with the todo!() above: it only makes the stub compile.
    std::iter::empty()
}

/// Merges `k` streams, each sorted by `cmp`, into one stream sorted by
/// `cmp`, lazily and stably.
///
/// See the module documentation for the laziness, stability and
/// unsorted-input rules.
pub fn merge_sorted_by<T, I, F>(streams: Vec<I>, cmp: F) -> impl Iterator<Item = T>
where
    I: IntoIterator<Item = T>,
    F: FnMut(&T, &T) -> Ordering,
{
    let _ = cmp; // Delete this line and the two after the todo!(): they only make the stub compile.
    todo!("open exercises/src/merge.rs: merge {} sorted streams with a comparator", streams.len());
    #[allow(unreachable_code)]
    std::iter::empty()
}
