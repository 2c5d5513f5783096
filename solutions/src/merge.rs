//! # K-way merge: a tournament (loser) tree that owns its losers
//!
//! The `k` current heads (the next item of each stream) are the players of a
//! knockout tournament laid out as an implicit binary tree: the stream in
//! slot `j` is leaf `k + j`, node `n` has children `2n` and `2n + 1`. Each
//! inner node **owns the item that lost** the match played there (and the
//! slot it came from); the overall winner, the smallest head, sits in node 0.
//!
//! **Why losers.** After the winner's item is yielded, its stream's next
//! item is the only new player, and every match it has to replay is on the
//! one path from its leaf to the root. At each node of that path the
//! opponent is exactly the stored loser (the best player of the other
//! subtree), so the replay is one comparison per level: `⌈log₂ k⌉`
//! comparisons per item, no sibling to look up, nothing to allocate. A
//! binary heap such as [`itertools::kmerge`] needs up to twice as many (a
//! sift-down compares both children at each level).
//!
//! **Why by value.** Comparisons are cheap for `u64` keys; what costs is the
//! chain of dependent instructions from the new item to the new winner,
//! because each level needs the previous level's winner. Here the
//! travelling winner is a local (a register for small `T`) and each node's
//! loser sits in the node itself, at an address known from the leaf alone,
//! so the loads of a whole path can start at once and only a comparison and
//! a conditional move per level are left on the chain. (Reaching the heads
//! through stream indices, as an earlier version did, put a load on that
//! chain at every level; so does a heap's sift-down, whose next address
//! depends on the comparison.)
//!
//! **No branch to mispredict.** On random keys each match is a coin toss,
//! so an `if` per level would be mispredicted half the time (measured: 3.5x
//! slower at k = 64). The winner and the loser trade places with a
//! conditional swap built on [`std::hint::select_unpredictable`]
//! (conditional moves), the one `unsafe` block of the module.
//!
//! **Stable, with ties off the hot path.** The streams are rotated into the
//! slots so that the tree's leaves, read left to right, are the streams in
//! input order (for `k` not a power of two the leaves sit on two levels).
//! Then at every node the left subtree holds lower streams than the right,
//! so a tie goes to the player from the left, and which side the travelling
//! winner came from is known from its leaf: no stream index is compared.
//! Ties take a separate, out-of-line path behind a branch on "equal", which
//! is predicted right whenever ties are rare (or the rule). Within a
//! stream, order is kept because a stream offers one item at a time.
//!
//! **Runs skip the tree.** A heap such as `kmerge` stops sifting as soon
//! as the top stays smallest, so on disjoint ranges (time-partitioned
//! shards), on one long stream among short ones and on heavy ties it costs
//! one or two comparisons per item, while a plain loser tree replays all
//! `⌈log₂ k⌉` levels every time. So when the stream that just won keeps
//! winning (a run is likely), the tree records the one threshold its next
//! items must beat to keep winning: the runner-up, the tightest loser on
//! its path (a loser from a left subtree must be beaten strictly, since
//! ties go left; one from the right only matched). While the stream's
//! items stay under it, each goes straight out after one comparison and
//! the tree is not touched; the first item that does not replays its path
//! as usual.
//!
//! **Only for runs that last.** Recording the bound is a walk up the path,
//! and using it is a branch per item, which is a coin toss when runs are
//! short: a stream holding half of the keys wins each replay about half
//! the time, so a bound after every second win would cost a walk and a
//! misprediction on most items and save little. So a stream gets its bound
//! only after four wins in a row, or after a win through a tie (duplicates
//! make long runs of equal keys). On uniform keys a stream wins twice in a
//! row about once in `k` items, so neither check costs more than a
//! predictable branch.
//!
//! **Lazy.** Nothing is read until the first `next()`, which pulls one head
//! per stream and plays the tournament (`k - 1` comparisons). A stream is
//! advanced only when the following `next()` needs its replacement, so
//! after `m` items out, at most `m + k - 1` items have been pulled (the
//! contract allows `m + k`).
//!
//! **Nothing lost.** An exhausted stream's player holds `None`, which loses
//! every match. The hot loop never carries `None`: a stream that runs dry
//! replays its path on a separate, out-of-line path, and a `None` loser met
//! on the way is a predictable branch. The tree always crowns the smallest
//! current head whatever the order inside the streams, so unsorted input
//! still comes out whole.
//!
//! **`next()` as fast as `fold` on runs.** A `for` loop calls `next()` once
//! per item, and the iterator's state lives in memory unless the compiler
//! can prove nothing else sees it. So the iterator keeps by value only
//! what `next()` touches on every item: the winner's slot and the open
//! run, the winner's stream and its runner-up *moved out of the tree*
//! while the run lasts (the tree holds `None` in their places and gets
//! them back when the run ends). The tree sits behind one pointer, and
//! every out-of-line path (the replay, a run ending, the first call, a
//! stream running dry, the end) is handed that pointer, never `&mut self`,
//! and returns the winner's slot and the next run by value. No pointer to
//! the iterator escapes, so a consumer that inlines `next()` keeps the
//! stream's position, the bound and the slot in registers: an item of a
//! run costs a pull, one comparison and a predicted branch, as in `fold`.
//! (With the state in memory, each item stored and reloaded the stream's
//! position, a store-to-load round trip on the critical path, and
//! `next()` drained runs at less than half the speed of `fold`.)
//!
//! **Internal iteration.** `fold` (behind `for_each`, `sum`, `count`) drains
//! each run in a loop of its own, one pull and one comparison per item,
//! with the runner-up held in a register; only the item that ends the run
//! goes through the tree.
//!
//! **Why not batches.** A merge that moved items in blocks (refilling an
//! output buffer, galloping through a stream, emitting a whole run at
//! once) would pull ahead of what it yields: the contract allows at most
//! `m + k` items pulled after `m` out, and the tree already holds one head
//! per stream, so there is room for one item, not a block. Every item is
//! pulled by one `next()` of its stream, in merged order, give or take the
//! `k` heads. Pulling the items in exactly that order with no comparison at
//! all is the floor of `benches/merge.rs`; on some shapes it alone takes
//! more than half of `kmerge`'s time.
//!
//! **Measured** (AMD EPYC, Zen 5; k = 64, 8M `u64` keys; CPU time per
//! item, this merge, the previous one, `kmerge` and the floor interleaved
//! in one process, medians of five to seven rounds; five runs on the
//! shared 2-core machine at load 7 to 13, so the ranges are wide):
//! `kmerge`'s time / this merge's, and the floor's bound on that ratio
//! (`kmerge` / pulling the items in merged order):
//!
//! | shape | `fold` | `next()`, before → now | bound |
//! |---|---|---|---|
//! | uniform | 1.65–1.88 | 1.64–1.88 → 1.70–1.86 | 4.8 |
//! | one long stream | 1.30–1.69 | 1.19–1.55 → 1.27–1.63 | 4.0 |
//! | disjoint runs | 1.81–2.25 | 0.80–0.97 → 1.43–1.75 | 2.3 |
//! | 1,000 distinct keys | 0.97–1.07 | 0.78–0.80 → 0.97–1.14 | 1.45–1.55 |
//!
//! On 1,000 distinct keys no lazy merge reaches 2x: each stream is read in
//! runs of about 125 keys, 64 streams apart, and pulling them in that order
//! with nothing else costs two thirds of `kmerge`'s time (it is bound by
//! memory, not by comparisons). On uniform keys and one long stream every
//! item replays `⌈log₂ k⌉` levels on a chain that starts with a load
//! from a stream that often misses the cache; there the gain over
//! `kmerge`, whose sift-down costs twice the comparisons, stays near 1.7x.
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
use std::mem::{self, ManuallyDrop};
use std::ptr;

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
    let streams = leaf_order(streams.into_iter().map(|stream| Some(stream.into_iter())).collect());
    Merge {
        run: None,
        phase: Phase::Unplayed,
        winner: 0,
        tree: Box::new(LoserTree { streams, players: Vec::new(), cmp, bound: None, streak: 0 }),
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

/// A player: a stream's current head (`None` once the stream is exhausted)
/// and the slot of that stream.
struct Player<T> {
    item: Option<T>,
    slot: usize,
}

/// The merge iterator.
///
/// Only what `next()` touches on every item lives here, by value: the open
/// run and the winner's slot. Everything else sits behind one pointer, and
/// the out-of-line paths get that pointer, never `&mut self`. So when a
/// consumer inlines `next()` (a `for` loop), no pointer to this struct
/// escapes and the compiler keeps these fields in registers across items,
/// as it does inside `fold`.
struct Merge<T, S, F> {
    /// The run `next()` is draining: the winner's stream lent out of the
    /// tree, with its bound (see [`Run`]).
    run: Option<Run<T, S>>,
    phase: Phase,
    /// The slot of the last winner, whose stream is pulled next.
    winner: usize,
    tree: Box<LoserTree<T, S, F>>,
}

/// A run in progress under `next()`: the winning stream and the runner-up
/// its items must beat (see [`RunBound`]), both moved out of the tree
/// while the run lasts (the tree holds `None` in their places) and put
/// back when it ends.
struct Run<T, S> {
    stream: S,
    slot: usize,
    /// The runner-up; `None`: no live loser on the path, the run lasts as
    /// long as the stream.
    bound: Option<T>,
    /// Where the bound came from.
    node: usize,
    limit: Ordering,
}

impl<T, S> Run<T, S> {
    /// Whether `head` beats the bound, so the run goes on.
    #[inline(always)]
    fn extends(&self, head: &T, cmp: &mut impl FnMut(&T, &T) -> Ordering) -> bool {
        match &self.bound {
            Some(bound) => cmp(head, bound) < self.limit,
            None => true,
        }
    }
}

/// The tournament: `k` streams, and the tree of their heads.
struct LoserTree<T, S, F> {
    /// The streams in leaf order: slot `j` is leaf `k + j` (see
    /// [`leaf_order`]). `None` only while the stream is lent to a [`Run`].
    streams: Vec<Option<S>>,
    /// `players[0]`: the winner; `players[n]` for `1 <= n < k`: the player
    /// that lost the match at node `n`. Leaves are implicit.
    players: Vec<Player<T>>,
    cmp: F,
    /// While the winner's stream keeps winning: the loser on its path its
    /// next item must beat (see [`RunBound`]). Only ever `Some` for the
    /// current winner's path of an unchanged tree.
    bound: Option<RunBound>,
    /// How many replays in a row the winner's stream has won: a run bound
    /// is worth its walk only once a stream keeps winning (see
    /// [`RUN_AFTER`]).
    streak: u32,
}

/// Replays in a row a stream must win before its run bound is recorded
/// (unless it won through a tie).
///
/// Recording costs a walk up the path, and using it a branch per item that
/// is a coin toss when runs are short: with one long stream holding half
/// of the keys it wins each replay about half the time, so a bound after
/// every win would be mispredicted on every other item. After four wins in
/// a row a run is likely to go on (disjoint ranges), and on shapes where it
/// is not, four wins in a row are rare (1 in 16 for a stream with half of
/// the keys), so the branch on the streak is predicted right.
const RUN_AFTER: u32 = 4;

/// The one threshold a run must stay under: the runner-up.
///
/// The winner's next item wins again, and every loser on its path stays
/// where it is, exactly when it beats each of those losers: a loser from a
/// left subtree only when strictly smaller (ties go left), a loser from a
/// right subtree when smaller or equal. Only the tightest of them matters:
/// the smallest, and of equal ones a left one. So a run costs one
/// comparison per item: `cmp(head, loser) < limit`, where `limit` is
/// `Equal` for a loser from the left (strictly smaller) and `Greater` for
/// one from the right. Node 0 (empty while a run lasts) means no live loser
/// is left on the path: the run lasts as long as the stream.
#[derive(Debug, Clone, Copy)]
struct RunBound {
    node: usize,
    limit: Ordering,
}

/// Rotates `k` streams into the slots whose leaves `k..2k`, read left to
/// right, are the streams in input order.
///
/// With `p = k.next_power_of_two()`, leaves `p..2k` are the deeper level and
/// come first from the left, then leaves `k..p`. So stream `s` goes to slot
/// `(s + p - k) mod k`: the first `2k - p` streams to the deeper leaves.
fn leaf_order<S>(mut streams: Vec<S>) -> Vec<S> {
    let k = streams.len();
    if k > 0 {
        streams.rotate_right(k.next_power_of_two() - k);
    }
    streams
}

/// Whether `challenger` beats `holder`: the smaller item, or on a tie the
/// one from the left (`challenger_is_left`); an exhausted player never does.
/// For building and for the out-of-line paths; the hot loop is in
/// [`LoserTree::replay_live`].
fn beats<T>(
    cmp: &mut impl FnMut(&T, &T) -> Ordering,
    challenger: &Option<T>,
    holder: &Option<T>,
    challenger_is_left: bool,
) -> bool {
    match (challenger, holder) {
        (Some(x), Some(y)) => match cmp(x, y) {
            Ordering::Less => true,
            Ordering::Equal => challenger_is_left,
            Ordering::Greater => false,
        },
        (challenger, _) => challenger.is_some(),
    }
}

/// Swaps `*a` and `*b` if `condition` holds, with conditional moves instead
/// of a branch.
#[inline(always)]
fn swap_if<T>(condition: bool, a: &mut T, b: &mut T) {
    // SAFETY: `a` and `b` are two live `&mut`, so both places are valid,
    // aligned, initialised and distinct. `x` and `y` are bitwise copies of
    // their values, wrapped in `ManuallyDrop` so that no copy is ever
    // dropped. Each `select_unpredictable` moves out one of two copies and
    // the other one is forgotten, so `new_a` and `new_b` are the two values,
    // swapped or not, and writing them back with `ptr::write` (which drops
    // nothing) leaves each value owned by exactly one place, as before.
    // Nothing between the reads and the writes can panic or unwind.
    unsafe {
        let x = ManuallyDrop::new(ptr::read(a));
        let y = ManuallyDrop::new(ptr::read(b));
        let new_a = select_unpredictable(condition, ptr::read(&y), ptr::read(&x));
        let new_b = select_unpredictable(condition, x, y);
        ptr::write(a, ManuallyDrop::into_inner(new_a));
        ptr::write(b, ManuallyDrop::into_inner(new_b));
    }
}

/// A tie at a node: the player from the left subtree goes first, so the
/// stored loser and the travelling `(item, slot)` trade places when the
/// loser is the one from the left. Returns the travelling player.
///
/// Out of line on purpose: the hot loop then branches only on "equal",
/// which is never taken on distinct keys, and the chain from one level's
/// winner to the next level's comparison is a compare and a conditional
/// move. (Folding the side into the swap instead, as a signed compare of
/// the `Ordering` with the side, compiles to a chain of five dependent
/// instructions per level instead of two.)
#[cold]
#[inline(never)]
fn settle_tie<T>(
    loser_is_left: bool,
    loser: &mut T,
    loser_slot: &mut usize,
    item: T,
    slot: usize,
) -> (T, usize) {
    if loser_is_left { (mem::replace(loser, item), mem::replace(loser_slot, slot)) } else { (item, slot) }
}

impl<T, S, F> LoserTree<T, S, F>
where
    S: Iterator<Item = T>,
    F: FnMut(&T, &T) -> Ordering,
{
    /// Pulls one head per stream and plays every match bottom-up; returns
    /// the winner's slot (its item is in `players[0]`).
    fn play(&mut self) -> usize {
        let k = self.streams.len();
        let mut heads: Vec<Option<T>> =
            self.streams.iter_mut().map(|stream| stream.as_mut().and_then(Iterator::next)).collect();
        // winners[n]: the slot that won the subtree under node n (leaves: k + j).
        let mut winners: Vec<usize> = (0..2 * k).map(|node| node.saturating_sub(k)).collect();
        let mut losers = vec![0; k];
        for node in (1..k).rev() {
            let (left, right) = (winners[2 * node], winners[2 * node + 1]);
            let right_wins = beats(&mut self.cmp, &heads[right], &heads[left], false);
            let (winner, loser) = if right_wins { (right, left) } else { (left, right) };
            winners[node] = winner;
            losers[node] = loser;
        }
        // Node 1 is the root (for k = 1 it is the only leaf); k = 0 has no tree.
        if let (Some(root), Some(&winner)) = (losers.first_mut(), winners.get(1)) {
            *root = winner;
        }
        self.players = losers.into_iter().map(|slot| Player { item: heads[slot].take(), slot }).collect();
        self.bound = None;
        self.streak = 0;
        self.players.first().map_or(0, |root| root.slot)
    }

    /// The next item of the stream in `slot`.
    #[inline(always)]
    fn pull(&mut self, slot: usize) -> Option<T> {
        self.streams[slot].as_mut()?.next()
    }

    /// Plays `head`, the new head of the winner's stream in `slot`, up its
    /// path and returns the new winner and its slot; a stream that keeps
    /// winning gets its run bound (see [`RUN_AFTER`]).
    #[inline(always)]
    fn replay_and_bound(&mut self, head: T, slot: usize) -> (T, usize) {
        let (winner, winner_slot, tied) = self.replay_live(head, slot);
        let streak = self.streak.saturating_add(1);
        self.streak = select_unpredictable(winner_slot == slot, streak, 0);
        // A tie on the way says duplicates are about: runs of equal keys
        // are likely, so a stream that won through one gets its bound at once.
        let bound_now = self.streak >= RUN_AFTER || (tied && self.streak > 0);
        self.bound = if bound_now { Some(self.run_bound(slot)) } else { None };
        (winner, winner_slot)
    }

    /// The tightest live loser on the path of `slot` (see [`RunBound`]).
    ///
    /// Whether a loser is tighter than the best so far is a coin toss on
    /// random keys, so the best is chosen with conditional moves, not
    /// branches: runs are short on some shapes (one long stream among short
    /// ones), and this walk follows every replay the stream wins.
    fn run_bound(&mut self, slot: usize) -> RunBound {
        let mut bound = RunBound { node: 0, limit: Ordering::Greater };
        let mut best: Option<&T> = None;
        let mut child = self.players.len() + slot;
        while child > 1 {
            let node = child / 2;
            if let Some(loser) = &self.players[node].item {
                // Coming up from a right child, the loser is from the left.
                let from_left = child % 2 == 1;
                let tighter = match best {
                    Some(best) => match (self.cmp)(loser, best) {
                        Ordering::Less => true,
                        Ordering::Equal => from_left,
                        Ordering::Greater => false,
                    },
                    None => true,
                };
                let limit = if from_left { Ordering::Equal } else { Ordering::Greater };
                best = select_unpredictable(tighter, Some(loser), best);
                bound = select_unpredictable(tighter, RunBound { node, limit }, bound);
            }
            child = node;
        }
        bound
    }

    /// Yields the items of the winner's stream (in `slot`) that extend its
    /// run straight to `f`, in a loop of one pull and one comparison per
    /// item. Returns the first item that does not (`None`: the stream ran
    /// dry).
    #[inline(always)]
    fn drain_run<B>(
        &mut self,
        slot: usize,
        RunBound { node, limit }: RunBound,
        mut acc: B,
        f: &mut impl FnMut(B, T) -> B,
    ) -> (B, Option<T>) {
        let LoserTree { streams, players, cmp, .. } = self;
        let Some(stream) = &mut streams[slot] else { return (acc, None) };
        match &players[node].item {
            Some(bound) => {
                for head in stream.by_ref() {
                    if cmp(&head, bound) < limit {
                        acc = f(acc, head);
                    } else {
                        return (acc, Some(head));
                    }
                }
            }
            // No live loser on the path: the rest of the stream is the run.
            None => {
                for head in stream.by_ref() {
                    acc = f(acc, head);
                }
            }
        }
        (acc, None)
    }

    /// Plays `item`, the new head of the stream in `slot`, up its path and
    /// returns the new winner, its slot, and whether any match was a tie.
    #[inline(always)]
    fn replay_live(&mut self, mut item: T, mut slot: usize) -> (T, usize, bool) {
        let k = self.players.len();
        let mut tied = false;
        let mut child = k + slot;
        while child > 1 {
            let node = &mut self.players[child / 2];
            // An exhausted loser loses again: nothing to do.
            if let Some(loser) = &mut node.item {
                let order = (self.cmp)(loser, &item);
                if order == Ordering::Equal {
                    // The loser is from the left subtree if `item` came from the right.
                    (item, slot) = settle_tie(child % 2 == 1, loser, &mut node.slot, item, slot);
                    tied = true;
                }
                let loser_wins = order == Ordering::Less;
                swap_if(loser_wins, loser, &mut item);
                swap_if(loser_wins, &mut node.slot, &mut slot);
            }
            child /= 2;
        }
        (item, slot, tied)
    }

    /// [`LoserTree::replay_live`] for a stream that just ran dry: its
    /// `None` travels up and loses to the first live loser on the path.
    /// Returns the new winner's slot (its item is in `players[0]`).
    #[cold]
    #[inline(never)]
    fn replay_exhausted(&mut self, slot: usize) -> usize {
        self.bound = None;
        self.streak = 0;
        let k = self.players.len();
        let mut winner = Player { item: None, slot };
        let mut child = k + slot;
        while child > 1 {
            let loser = &mut self.players[child / 2];
            if beats(&mut self.cmp, &loser.item, &winner.item, child % 2 == 1) {
                mem::swap(loser, &mut winner);
            }
            child /= 2;
        }
        let winner_slot = winner.slot;
        self.players[0] = winner;
        winner_slot
    }

    /// Lends the stream in `slot` and its bound's item to a [`Run`].
    fn lend(&mut self, slot: usize, RunBound { node, limit }: RunBound) -> Option<Run<T, S>> {
        let stream = self.streams[slot].take()?;
        Some(Run { stream, slot, bound: self.players[node].item.take(), node, limit })
    }

    /// Puts a [`Run`]'s stream and bound back where they came from.
    fn restore(&mut self, Run { stream, slot, bound, node, .. }: Run<T, S>) {
        self.streams[slot] = Some(stream);
        self.players[node].item = bound;
    }

    /// `next()` for an item that did not extend a run: the replay. Out of
    /// line, so that `next()` stays small enough to inline; it returns the
    /// item and the winner's slot in registers, and the stream's run, if it
    /// got a bound, is opened by [`LoserTree::open_run`].
    #[inline(never)]
    fn next_replayed(&mut self, head: T, slot: usize) -> (T, usize) {
        self.replay_and_bound(head, slot)
    }

    /// The run of the winner's stream (in `slot`), if it got a bound.
    #[cold]
    #[inline(never)]
    fn open_run(&mut self, slot: usize) -> Option<Run<T, S>> {
        self.bound.take().and_then(|bound| self.lend(slot, bound))
    }

    /// `next()` for the item that ended a run (`None`: its stream ran dry).
    #[inline(never)]
    fn end_run(&mut self, run: Run<T, S>, head: Option<T>) -> (Option<T>, usize, Phase, Option<Run<T, S>>) {
        let slot = run.slot;
        self.restore(run);
        match head {
            Some(head) => {
                let (item, winner) = self.replay_and_bound(head, slot);
                (Some(item), winner, Phase::Stale, self.open_run(winner))
            }
            None => {
                let (item, winner, phase) = self.next_settled(Phase::Stale, slot);
                (item, winner, phase, None)
            }
        }
    }

    /// `next()` off the hot path: the first call, a stream that ran dry, and
    /// every call after the last item. Returns the item, the winner's slot
    /// and the phase after it.
    #[cold]
    #[inline(never)]
    fn next_settled(&mut self, phase: Phase, winner: usize) -> (Option<T>, usize, Phase) {
        let winner = match phase {
            Phase::Unplayed => self.play(),
            Phase::Stale => self.replay_exhausted(winner),
            Phase::Ready => winner,
        };
        let item = self.players.first_mut().and_then(|root| root.item.take());
        // Once the winner is `None` every stream is exhausted: never pull again.
        let phase = if item.is_some() { Phase::Stale } else { Phase::Ready };
        (item, winner, phase)
    }
}

impl<T, S, F> Iterator for Merge<T, S, F>
where
    S: Iterator<Item = T>,
    F: FnMut(&T, &T) -> Ordering,
{
    type Item = T;

    /// The hot paths: an open run costs a pull and a comparison; otherwise
    /// the winner's stream is pulled and its new head replayed.
    #[inline]
    fn next(&mut self) -> Option<T> {
        if let Some(run) = &mut self.run {
            let head = run.stream.next();
            if head.as_ref().is_some_and(|head| run.extends(head, &mut self.tree.cmp)) {
                return head;
            }
            let run = self.run.take()?;
            let item;
            (item, self.winner, self.phase, self.run) = self.tree.end_run(run, head);
            return item;
        }
        if self.phase == Phase::Stale
            && let Some(head) = self.tree.pull(self.winner)
        {
            let item;
            (item, self.winner) = self.tree.next_replayed(head, self.winner);
            if self.tree.bound.is_some() {
                self.run = self.tree.open_run(self.winner);
            }
            return Some(item);
        }
        let item;
        (item, self.winner, self.phase) = self.tree.next_settled(self.phase, self.winner);
        item
    }

    /// `next()` in a loop, with each run drained by a tight loop of its
    /// own: while the winner's items stay under its run bound they go
    /// straight from its stream to `f`. (`for_each`, `sum`, `count` and
    /// friends use this.)
    fn fold<B, G>(mut self, mut acc: B, mut f: G) -> B
    where
        G: FnMut(B, T) -> B,
    {
        while let Some(item) = self.next() {
            acc = f(acc, item);
            if self.run.is_some() {
                // A run `next()` opened: let `next()` drain it.
                continue;
            }
            let tree = &mut self.tree;
            let mut slot = self.winner;
            loop {
                let head;
                if let Some(bound) = tree.bound {
                    (acc, head) = tree.drain_run(slot, bound, acc, &mut f);
                } else {
                    head = tree.pull(slot);
                }
                let Some(head) = head else { break };
                let winner;
                (winner, slot) = tree.replay_and_bound(head, slot);
                acc = f(acc, winner);
            }
            // The stream in `slot` ran dry: settle the tree, then `next()`
            // yields its winner (or `None`: every stream is exhausted).
            self.winner = tree.replay_exhausted(slot);
            self.phase = Phase::Ready;
        }
        acc
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let run = self.run.as_ref();
        let held = self.tree.players.iter().filter(|player| player.item.is_some()).count()
            + run.map_or(0, |run| usize::from(run.bound.is_some()));
        let streams = self.tree.streams.iter().flatten().chain(run.map(|run| &run.stream));
        streams.fold((held, Some(held)), |(low, high), stream| {
            let (stream_low, stream_high) = stream.size_hint();
            (low.saturating_add(stream_low), high.zip(stream_high).and_then(|(a, b)| a.checked_add(b)))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Streams of `(key, stream, position)` whose keys come from `key`.
    fn tagged(k: usize, len: usize, key: impl Fn(usize, usize) -> u32) -> Vec<Vec<(u32, usize, usize)>> {
        (0..k).map(|s| (0..len).map(|i| (key(s, i), s, i)).collect()).collect()
    }

    /// The merge by key, through `next()` and through `fold`, against a
    /// stable sort of the concatenation.
    fn assert_stable_merge(streams: Vec<Vec<(u32, usize, usize)>>) {
        let streams = &streams;
        let mut expected: Vec<_> = streams.iter().flatten().copied().collect();
        expected.sort_by_key(|item| item.0);
        let by_key = |x: &(u32, usize, usize), y: &(u32, usize, usize)| x.0.cmp(&y.0);
        let mut merge = merge_sorted_by(streams.clone(), by_key);
        let by_next: Vec<_> = std::iter::from_fn(|| merge.next()).collect();
        assert_eq!(by_next, expected);
        let by_fold = merge_sorted_by(streams.clone(), by_key).fold(Vec::new(), |mut out, item| {
            out.push(item);
            out
        });
        assert_eq!(by_fold, expected);
        // Every split between `next()` and `fold`: `fold` takes over
        // wherever `next()` left off, a run it opened included, and
        // `size_hint` counts what is left exactly, a lent stream and bound too.
        for split in (0..=expected.len()).step_by(expected.len() / 100 + 1) {
            let mut merge = merge_sorted_by(streams.clone(), by_key);
            let mut out: Vec<_> = merge.by_ref().take(split).collect();
            let left = expected.len() - split;
            assert_eq!(merge.size_hint(), (left, Some(left)), "after {split} items");
            out = merge.fold(out, |mut out, item| {
                out.push(item);
                out
            });
            assert_eq!(out, expected, "next() for {split} items, then fold");
        }
    }

    #[test]
    fn a_run_costs_one_comparison_per_item_through_next_and_fold() {
        // Eight disjoint ranges: after its first few items, each stream is
        // one run. A replay per item would cost three comparisons (k = 8).
        let streams: Vec<Vec<u32>> = (0..8).map(|s| (0..1000).map(|i| s * 10_000 + i).collect()).collect();
        let items = 8 * 1000;
        for by_fold in [false, true] {
            let calls = std::cell::Cell::new(0_usize);
            let counting = |x: &u32, y: &u32| {
                calls.set(calls.get() + 1);
                x.cmp(y)
            };
            let merge = merge_sorted_by(streams.clone(), counting);
            let out: Vec<u32> = if by_fold {
                merge.fold(Vec::new(), |mut out, x| {
                    out.push(x);
                    out
                })
            } else {
                merge.collect()
            };
            assert!(out.is_sorted() && out.len() == items);
            assert!(
                calls.get() < items + items / 10,
                "{} comparisons for {items} items (fold: {by_fold})",
                calls.get()
            );
        }
    }

    #[test]
    fn a_merge_dropped_during_a_run_drops_every_item_once() {
        use std::rc::Rc;
        // Disjoint ranges: after a few items `next()` has a stream and a
        // bound lent out of the tree.
        let tokens: Vec<Vec<Rc<u32>>> =
            (0..4).map(|s| (0..20).map(|i| Rc::new(s * 100 + i)).collect()).collect();
        let witnesses: Vec<Rc<u32>> = tokens.iter().flatten().cloned().collect();
        for taken in [0, 1, 5, 10, 30] {
            let mut merge = merge_sorted(tokens.clone());
            let out: Vec<_> = merge.by_ref().take(taken).collect();
            assert!(out.windows(2).all(|pair| pair[0] <= pair[1]));
            drop(merge);
            drop(out);
            assert!(witnesses.iter().all(|item| Rc::strong_count(item) == 2), "after {taken} items");
        }
    }

    #[test]
    fn runs_skip_the_tree_and_keep_order() {
        // Disjoint ranges in shuffled order, runs of ties, everything equal,
        // and interleaved keys: every way a run starts, extends and ends.
        for k in [1, 2, 3, 5, 8, 13] {
            assert_stable_merge(tagged(k, 50, |s, i| ((s * 7) % k * 100 + i) as u32));
            assert_stable_merge(tagged(k, 50, |s, i| (i / (s + 2)) as u32));
            assert_stable_merge(tagged(k, 20, |_, _| 7));
            assert_stable_merge(tagged(k, 50, |s, i| (i * k + s) as u32));
            assert_stable_merge(tagged(k, 50, |s, i| (i * k + k - 1 - s) as u32 / 2));
            // One dense stream among sparse ones: streaks of every length,
            // with and without ties, start and end runs.
            assert_stable_merge(tagged(k, 50, |s, i| {
                (if s == k / 2 { i / 3 } else { i * 2 + s % 2 }) as u32
            }));
        }
    }
}
