// Shared by the answers in this folder: `merge_sorted` in terms of
// `merge_sorted_by`, as most candidates write it, and a lazy merge that
// scans every head for each item.

use std::cmp::Ordering;

pub fn merge_sorted<T: Ord, I: IntoIterator<Item = T>>(streams: Vec<I>) -> impl Iterator<Item = T> {
    merge_sorted_by(streams, T::cmp)
}

/// Lazy: the head of stream i is pulled again only after it is yielded.
/// `ties_to_later` sends equal heads to the later stream (unstable).
#[allow(dead_code)]
fn scan_merge<T, I, F>(streams: Vec<I>, mut cmp: F, ties_to_later: bool) -> impl Iterator<Item = T>
where
    I: IntoIterator<Item = T>,
    F: FnMut(&T, &T) -> Ordering,
{
    let mut iters: Vec<I::IntoIter> = streams.into_iter().map(IntoIterator::into_iter).collect();
    let mut heads: Vec<Option<T>> = Vec::new();
    let mut started = false;
    let mut refill: Option<usize> = None;
    std::iter::from_fn(move || {
        if !started {
            started = true;
            heads = iters.iter_mut().map(Iterator::next).collect();
        }
        if let Some(i) = refill.take() {
            heads[i] = iters[i].next();
        }
        let mut best: Option<usize> = None;
        for i in 0..heads.len() {
            let Some(head) = &heads[i] else { continue };
            let better = match best {
                None => true,
                Some(b) => {
                    let order = cmp(head, heads[b].as_ref().expect("best has a head"));
                    order == Ordering::Less || (ties_to_later && order == Ordering::Equal)
                }
            };
            if better {
                best = Some(i);
            }
        }
        let best = best?;
        refill = Some(best);
        heads[best].take()
    })
}
