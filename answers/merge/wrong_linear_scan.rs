//! Wrong: lazy and stable, but finds the smallest head with a scan over all
//! k streams for every item: O(k) comparisons per item.
//! Fails: robust_comparisons_per_item_are_logarithmic: "O(log k)"

include!("../../answers/merge/common.rs");

pub fn merge_sorted_by<T, I, F>(streams: Vec<I>, cmp: F) -> impl Iterator<Item = T>
where
    I: IntoIterator<Item = T>,
    F: FnMut(&T, &T) -> Ordering,
{
    scan_merge(streams, cmp, false)
}
