//! Right: a binary min-heap of stream indices ordered by (head, stream
//! index), sifted with the caller's comparator: lazy, stable, O(log k).

include!("../../answers/merge/common.rs");

pub fn merge_sorted_by<T, I, F>(streams: Vec<I>, mut cmp: F) -> impl Iterator<Item = T>
where
    I: IntoIterator<Item = T>,
    F: FnMut(&T, &T) -> Ordering,
{
    let mut iters: Vec<I::IntoIter> = streams.into_iter().map(IntoIterator::into_iter).collect();
    let mut heads: Vec<Option<T>> = Vec::new();
    let mut heap: Vec<usize> = Vec::new();
    let mut started = false;
    let mut refill: Option<usize> = None;
    std::iter::from_fn(move || {
        if !started {
            started = true;
            heads = iters.iter_mut().map(Iterator::next).collect();
            for i in 0..heads.len() {
                if heads[i].is_some() {
                    heap.push(i);
                    let last = heap.len() - 1;
                    sift_up(&mut heap, last, &heads, &mut cmp);
                }
            }
        }
        if let Some(i) = refill.take() {
            heads[i] = iters[i].next();
            if heads[i].is_some() {
                heap.push(i);
                let last = heap.len() - 1;
                sift_up(&mut heap, last, &heads, &mut cmp);
            }
        }
        if heap.is_empty() {
            return None;
        }
        let top = heap.swap_remove(0);
        if !heap.is_empty() {
            sift_down(&mut heap, 0, &heads, &mut cmp);
        }
        refill = Some(top);
        heads[top].take()
    })
}

fn less<T>(a: usize, b: usize, heads: &[Option<T>], cmp: &mut impl FnMut(&T, &T) -> Ordering) -> bool {
    let (Some(x), Some(y)) = (&heads[a], &heads[b]) else { return false };
    cmp(x, y).then(a.cmp(&b)) == Ordering::Less
}

fn sift_up<T>(
    heap: &mut [usize],
    mut at: usize,
    heads: &[Option<T>],
    cmp: &mut impl FnMut(&T, &T) -> Ordering,
) {
    while at > 0 {
        let parent = (at - 1) / 2;
        if !less(heap[at], heap[parent], heads, cmp) {
            break;
        }
        heap.swap(at, parent);
        at = parent;
    }
}

fn sift_down<T>(
    heap: &mut [usize],
    mut at: usize,
    heads: &[Option<T>],
    cmp: &mut impl FnMut(&T, &T) -> Ordering,
) {
    loop {
        let (left, right) = (2 * at + 1, 2 * at + 2);
        let mut smallest = at;
        if left < heap.len() && less(heap[left], heap[smallest], heads, cmp) {
            smallest = left;
        }
        if right < heap.len() && less(heap[right], heap[smallest], heads, cmp) {
            smallest = right;
        }
        if smallest == at {
            return;
        }
        heap.swap(at, smallest);
        at = smallest;
    }
}
