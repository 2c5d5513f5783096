//! Wrong: lazy and stable, but finds the smallest head with a scan over all
//! k streams for every item: O(k) comparisons per item.

include!("../../answers/merge/common.rs");

pub fn merge_sorted_by<T, I, F>(streams: Vec<I>, mut cmp: F) -> impl Iterator<Item = T>
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
                Some(b) => cmp(head, heads[b].as_ref().expect("best has a head")) == Ordering::Less,
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
