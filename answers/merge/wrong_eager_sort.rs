//! Wrong: collects every stream, then sorts stably. Right order, but not
//! lazy (an endless stream never yields anything).
//! Fails: property_laziness_after_every_item: "only when the next output needs it"

include!("../../answers/merge/common.rs");

pub fn merge_sorted_by<T, I, F>(streams: Vec<I>, mut cmp: F) -> impl Iterator<Item = T>
where
    I: IntoIterator<Item = T>,
    F: FnMut(&T, &T) -> Ordering,
{
    let mut all: Vec<T> = streams.into_iter().flatten().collect();
    all.sort_by(|a, b| cmp(a, b));
    all.into_iter()
}
