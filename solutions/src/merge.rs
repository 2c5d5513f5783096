//! # K-way merge: a tournament (loser) tree
//!
//! The `k` current heads (the next item of each stream) are the players of a
//! knockout tournament laid out as an implicit binary tree: stream `i` is
//! leaf `k + i`, node `n` has children `2n` and `2n + 1`. Each inner node
//! remembers the **loser** of the match played there; the overall winner,
//! the smallest head, sits in slot 0.
//!
//! **Why losers.** After the winner's item is yielded, its stream's next
//! item is the only new player, and every match it has to replay is on the
//! one path from its leaf to the root. At each node of that path the
//! opponent is exactly the stored loser (the best player of the other
//! subtree), so the replay is one comparison per level: `⌈log₂ k⌉`
//! comparisons per item, no sibling to look up, nothing to allocate. A
//! binary heap such as [`itertools::kmerge`] needs about twice as many
//! comparisons (a sift-down compares both children at each level), which
//! is what counts when comparing is expensive (records, strings, a
//! user's closure). With cheap `u64` keys and k >= 8 the heap is still
//! faster in `benches/merge.rs`: it keeps each head next to its stream,
//! while this tree reaches a head through its stream index, a load on the
//! critical path of every level. (Caching keys in the nodes removes that
//! load but moves `T` values at each level; a version with a branch per
//! level was not faster, a branch-free one is future work.)
//!
//! **No branch to mispredict.** On random keys each match is a coin toss,
//! so an `if` per level would be mispredicted half the time. The replay
//! instead picks the new loser and the new winner with
//! [`std::hint::select_unpredictable`] (conditional moves), and ties are
//! broken by one integer comparison (`Ordering as i8 < (a < b) as i8`).
//!
//! **Stable.** A match between equal items is won by the lower stream index,
//! so the tournament orders players by `(item, stream)`: a total order, and
//! one under which equal items leave in stream order. Within a stream, order
//! is kept because a stream offers one item at a time.
//!
//! **Lazy.** Nothing is read until the first `next()`, which pulls one head
//! per stream and plays the tournament (`k - 1` comparisons). A stream is
//! advanced only when the following `next()` needs its replacement, so
//! after `m` items out, at most `m + k - 1` items have been pulled (the
//! contract allows `m + k`).
//!
//! **Nothing lost.** An exhausted stream's leaf holds `None`, which loses to
//! every item; the tree always crowns the smallest current head whatever the
//! order inside the streams, so unsorted input still comes out whole.
//!
//! [`itertools::kmerge`]: https://docs.rs/itertools/latest/itertools/fn.kmerge.html
//!
//! ```
//! use solutions::merge::{merge_sorted, merge_sorted_by};
//!
//! let merged: Vec<u32> = merge_sorted(vec![vec![1, 4, 7], vec![2, 5], vec![3, 6, 8]]).collect();
//! assert_eq!(merged, [1, 2, 3, 4, 5, 6, 7, 8]);
//!
//! let records = vec![vec![(1, "a0"), (2, "a1")], vec![(1, "b0"), (2, "b1")]];
//! let by_key: Vec<&str> = merge_sorted_by(records, |x, y| x.0.cmp(&y.0)).map(|r| r.1).collect();
//! assert_eq!(by_key, ["a0", "b0", "a1", "b1"]); // ties: stream order
//!
//! let endless = merge_sorted(vec![(0..).step_by(3), (0..).step_by(5)]);
//! assert_eq!(endless.take(6).collect::<Vec<_>>(), [0, 0, 3, 5, 6, 9]);
//! ```

use std::cmp::Ordering;
use std::hint::select_unpredictable;

/// Merges `k` sorted streams into one sorted stream, lazily and stably:
/// [`merge_sorted_by`] with `Ord::cmp`.
///
/// ```
/// let merged: Vec<char> = solutions::merge::merge_sorted(vec!["adg".chars(), "beh".chars(), "cf".chars()]).collect();
/// assert_eq!(merged.iter().collect::<String>(), "abcdefgh");
/// ```
pub fn merge_sorted<T: Ord, I: IntoIterator<Item = T>>(streams: Vec<I>) -> impl Iterator<Item = T> {
    merge_sorted_by(streams, T::cmp)
}

/// Merges `k` streams, each sorted by `cmp`, into one stream sorted by
/// `cmp`, lazily and stably, with `⌈log₂ k⌉` comparisons per item.
///
/// ```
/// let merged: Vec<i32> = solutions::merge::merge_sorted_by(vec![vec![9, 4], vec![8, 7, 1]], |a, b| b.cmp(a)).collect();
/// assert_eq!(merged, [9, 8, 7, 4, 1]);
/// ```
pub fn merge_sorted_by<T, I, F>(streams: Vec<I>, cmp: F) -> impl Iterator<Item = T>
where
    I: IntoIterator<Item = T>,
    F: FnMut(&T, &T) -> Ordering,
{
    LoserTree {
        streams: streams.into_iter().map(IntoIterator::into_iter).collect(),
        heads: Vec::new(),
        tree: Vec::new(),
        cmp,
        phase: Phase::Unplayed,
    }
}

/// What the next call to `next()` must do before it yields the winner.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// Nothing has been read yet: pull every head and play the tournament.
    Unplayed,
    /// The winner's item was yielded: pull its stream's next item and
    /// replay its path.
    Stale,
    /// The tree is up to date (or every stream is exhausted).
    Ready,
}

/// The merge iterator: `k` streams, their current heads, and the tree.
struct LoserTree<T, S, F> {
    streams: Vec<S>,
    /// `heads[i]`: the next item of stream `i`; `None` once it is exhausted.
    heads: Vec<Option<T>>,
    /// `tree[0]`: the winning stream; `tree[n]` for `1 <= n < k`: the stream
    /// that lost the match at node `n`. Leaves are implicit (`k + i`).
    tree: Vec<usize>,
    cmp: F,
    phase: Phase,
}

impl<T, S, F> LoserTree<T, S, F>
where
    S: Iterator<Item = T>,
    F: FnMut(&T, &T) -> Ordering,
{
    /// Pulls one head per stream and plays every match bottom-up.
    fn play(&mut self) {
        let k = self.streams.len();
        self.heads = self.streams.iter_mut().map(Iterator::next).collect();
        // winners[n]: the winner of the subtree under node n (leaves: k + i).
        let mut winners: Vec<usize> = (0..2 * k).map(|node| node.saturating_sub(k)).collect();
        self.tree = vec![0; k];
        for node in (1..k).rev() {
            let (left, right) = (winners[2 * node], winners[2 * node + 1]);
            let (winner, loser) = if self.beats(right, left) { (right, left) } else { (left, right) };
            winners[node] = winner;
            self.tree[node] = loser;
        }
        // Node 1 is the root (for k = 1 it is the only leaf); k = 0 has no tree.
        if let (Some(root), Some(&winner)) = (self.tree.first_mut(), winners.get(1)) {
            *root = winner;
        }
    }

    /// Refills the winner's leaf from its stream and replays its path.
    fn replay(&mut self) {
        let k = self.streams.len();
        let mut winner = self.tree[0];
        self.heads[winner] = self.streams[winner].next();
        let mut node = (k + winner) / 2;
        while node > 0 {
            let challenger = self.tree[node];
            // Random keys win or lose each match at random: a branch here
            // would be mispredicted half the time, conditional moves never.
            let challenger_wins = self.beats(challenger, winner);
            self.tree[node] = select_unpredictable(challenger_wins, winner, challenger);
            winner = select_unpredictable(challenger_wins, challenger, winner);
            node /= 2;
        }
        self.tree[0] = winner;
    }

    /// Whether stream `a`'s head goes out before stream `b`'s: the smaller
    /// item, or on a tie the lower stream index; an exhausted stream never does.
    #[inline(always)]
    fn beats(&mut self, a: usize, b: usize) -> bool {
        match (&self.heads[a], &self.heads[b]) {
            // Ordering is -1, 0 or 1: `a` wins when it is less, or equal with
            // the lower index. One integer comparison, no branch.
            (Some(x), Some(y)) => ((self.cmp)(x, y) as i8) < i8::from(a < b),
            (a_head, _) => exhausted_match(a_head.is_some()),
        }
    }
}

/// The outcome of a match with an exhausted stream: the live side wins.
///
/// Out of line on purpose: if the optimiser saw a constant outcome here it
/// would turn the conditional moves of [`LoserTree::replay`] back into
/// branches, which cost the common case (two live streams) far more.
#[cold]
#[inline(never)]
fn exhausted_match(a_is_live: bool) -> bool {
    a_is_live
}

impl<T, S, F> Iterator for LoserTree<T, S, F>
where
    S: Iterator<Item = T>,
    F: FnMut(&T, &T) -> Ordering,
{
    type Item = T;

    fn next(&mut self) -> Option<T> {
        match self.phase {
            Phase::Unplayed => self.play(),
            Phase::Stale => self.replay(),
            Phase::Ready => {}
        }
        let &winner = self.tree.first()?;
        let item = self.heads[winner].take();
        // Once the winner is `None` every stream is exhausted: never pull again.
        self.phase = if item.is_some() { Phase::Stale } else { Phase::Ready };
        item
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let held = self.heads.iter().filter(|head| head.is_some()).count();
        self.streams.iter().fold((held, Some(held)), |(low, high), stream| {
            let (stream_low, stream_high) = stream.size_hint();
            (low.saturating_add(stream_low), high.zip(stream_high).and_then(|(a, b)| a.checked_add(b)))
        })
    }
}
