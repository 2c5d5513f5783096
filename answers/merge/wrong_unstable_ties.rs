//! Wrong: a lazy scan that sends ties to the later stream, so equal items
//! do not come out in stream order.
//! Fails: examples_records_by_key_keep_stream_order_on_ties: "keep_stream_order_on_ties"

include!("../../answers/merge/common.rs");

pub fn merge_sorted_by<T, I, F>(streams: Vec<I>, cmp: F) -> impl Iterator<Item = T>
where
    I: IntoIterator<Item = T>,
    F: FnMut(&T, &T) -> Ordering,
{
    scan_merge(streams, cmp, true)
}
