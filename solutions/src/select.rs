//! Bounded selection of the best `k` hits, shared by `top_k` and `bm25`.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use kata_types::Hit;

/// The best `capacity` hits offered so far, in a heap whose root is the
/// worst of them, so each offer is one comparison with that threshold.
///
/// Hits must be offered in increasing index order: then a later hit with a
/// score equal to the threshold is worse (higher index) and is ignored.
#[derive(Debug)]
pub(crate) struct TopK {
    capacity: usize,
    heap: BinaryHeap<WorstFirst>,
}

impl TopK {
    pub fn new(capacity: usize) -> TopK {
        TopK { capacity, heap: BinaryHeap::with_capacity(capacity) }
    }

    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// Keeps the hit if it is among the best `capacity` seen so far.
    #[inline]
    pub fn offer(&mut self, index: usize, score: f32) {
        if self.heap.len() < self.capacity {
            self.heap.push(WorstFirst(Hit { index, score }));
        } else if let Some(mut worst) = self.heap.peek_mut()
            && score > worst.0.score
        {
            *worst = WorstFirst(Hit { index, score });
        }
    }

    /// Keeps the hit if it is among the best `capacity` seen so far, for
    /// hits offered in any index order: an equal score then wins when its
    /// index is lower.
    #[inline]
    pub fn offer_unordered(&mut self, index: usize, score: f32) {
        if self.heap.len() < self.capacity {
            self.heap.push(WorstFirst(Hit { index, score }));
        } else if let Some(mut worst) = self.heap.peek_mut()
            && (score > worst.0.score || (score == worst.0.score && index < worst.0.index))
        {
            *worst = WorstFirst(Hit { index, score });
        }
    }

    /// The kept hits, best first, equal scores lower index first.
    pub fn into_sorted_hits(self) -> Vec<Hit> {
        // The heap's order is "worst is greatest", so ascending is best first.
        self.heap.into_sorted_vec().into_iter().map(|kept| kept.0).collect()
    }
}

/// A hit ordered so that the worst is the greatest: lower score, or equal
/// score and higher index.
#[derive(Debug)]
struct WorstFirst(Hit);

impl Ord for WorstFirst {
    fn cmp(&self, other: &Self) -> Ordering {
        other.0.score.total_cmp(&self.0.score).then(self.0.index.cmp(&other.0.index))
    }
}

impl PartialOrd for WorstFirst {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for WorstFirst {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for WorstFirst {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_best_in_order_with_ties_by_index() {
        let mut top = TopK::new(3);
        for (index, score) in [0.1, 0.9, 0.5, 0.9, 0.7, 0.9].into_iter().enumerate() {
            top.offer(index, score);
        }
        let order: Vec<usize> = top.into_sorted_hits().iter().map(|hit| hit.index).collect();
        assert_eq!(order, [1, 3, 5]);
    }

    #[test]
    fn unordered_offers_break_ties_by_lower_index() {
        let mut top = TopK::new(2);
        for (index, score) in [(5, 0.9), (3, 0.9), (4, 0.9), (1, 0.9), (0, 0.5)] {
            top.offer_unordered(index, score);
        }
        let order: Vec<usize> = top.into_sorted_hits().iter().map(|hit| hit.index).collect();
        assert_eq!(order, [1, 3]);
    }

    #[test]
    fn zero_capacity_keeps_nothing() {
        let mut top = TopK::new(0);
        top.offer(0, 1.0);
        assert!(top.into_sorted_hits().is_empty());
    }
}
