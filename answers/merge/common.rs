// Shared by the answers in this folder: `merge_sorted` in terms of
// `merge_sorted_by`, as most candidates write it.

use std::cmp::Ordering;

pub fn merge_sorted<T: Ord, I: IntoIterator<Item = T>>(streams: Vec<I>) -> impl Iterator<Item = T> {
    merge_sorted_by(streams, T::cmp)
}
