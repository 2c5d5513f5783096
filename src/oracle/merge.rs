//! What a k-way merge must produce.
//!
//! On sorted streams, a stable merge has exactly one right answer: the
//! concatenation of the streams (in stream order), stably sorted. On
//! unsorted streams the order is free, but the items are not:
//! [`check_same_items`] compares them as multisets.

use std::cmp::Ordering;
use std::fmt::Debug;

/// The stable merge of `streams` by `cmp`: their concatenation, stably
/// sorted (equal items keep stream order, then their order within a stream).
///
/// ```
/// let merged = kata::oracle::merge::stable_merge_by(vec![vec![(1, 'a')], vec![(0, 'b'), (1, 'c')]], |x, y| x.0.cmp(&y.0));
/// assert_eq!(merged, [(0, 'b'), (1, 'a'), (1, 'c')]);
/// ```
pub fn stable_merge_by<T>(streams: Vec<Vec<T>>, cmp: impl FnMut(&T, &T) -> Ordering) -> Vec<T> {
    let mut all: Vec<T> = streams.into_iter().flatten().collect();
    all.sort_by(cmp); // a stable sort
    all
}

/// [`stable_merge_by`] with `Ord::cmp`.
pub fn stable_merge<T: Ord>(streams: Vec<Vec<T>>) -> Vec<T> {
    stable_merge_by(streams, T::cmp)
}

/// Whether `actual` holds exactly the items of `expected`, each as many
/// times, in any order; otherwise a message listing (a few of) the items
/// missing and the items extra.
///
/// ```
/// use kata::oracle::merge::check_same_items;
/// assert!(check_same_items(vec![3, 1, 2], vec![1, 2, 3]).is_ok());
/// assert!(check_same_items(vec![3, 1, 2], vec![1, 3]).is_err());
/// ```
pub fn check_same_items<T: Ord + Debug>(mut expected: Vec<T>, mut actual: Vec<T>) -> Result<(), String> {
    expected.sort();
    actual.sort();
    if expected == actual {
        return Ok(());
    }
    let (mut missing, mut extra) = (Vec::new(), Vec::new());
    let (mut want, mut got) = (expected.iter().peekable(), actual.iter().peekable());
    loop {
        match (want.peek(), got.peek()) {
            (Some(w), Some(g)) => match w.cmp(g) {
                Ordering::Equal => {
                    want.next();
                    got.next();
                }
                Ordering::Less => missing.extend(want.next()),
                Ordering::Greater => extra.extend(got.next()),
            },
            (Some(_), None) => missing.extend(want.next()),
            (None, Some(_)) => extra.extend(got.next()),
            (None, None) => break,
        }
    }
    let shown = |items: &[&T]| format!("{} items, such as {:?}", items.len(), &items[..items.len().min(5)]);
    Err(format!(
        "the output is not the input's items: {} expected, {} yielded; missing {}; extra {}",
        expected.len(),
        actual.len(),
        shown(&missing),
        shown(&extra)
    ))
}
