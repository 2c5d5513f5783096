//! Sorted streams for the `merge` exercise, items that remember where they
//! came from, and iterators that count how far they were pulled.
//!
//! - [`Tagged`] items compare by key only, so ties are everywhere; their
//!   stream and position reveal whether a merge kept ties in order.
//! - [`PullCounter`] and [`Counted`] measure laziness: wrap each input stream,
//!   take `m` items from the merge, and read how many items it pulled. A
//!   pull budget turns "reads an endless stream to the end" into a prompt
//!   failure with a message, instead of a hang or an out-of-memory kill.

use std::cmp::Ordering;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering as AtomicOrdering};

use proptest::prelude::*;
use rand::{Rng, RngExt};

/// An item of a merge input that remembers its origin.
///
/// Equality and order look at `key` only: to a merge, items with equal keys
/// are ties, and only [`Tagged::parts`] tells them apart. (So compare
/// `parts()`, not the items, when checking a merge's output.)
#[derive(Debug, Clone, Copy)]
pub struct Tagged {
    /// What the merge orders by.
    pub key: u32,
    /// The index of the input stream the item came from.
    pub stream: usize,
    /// The item's position within its stream.
    pub position: usize,
}

impl Tagged {
    /// `(key, stream, position)`: everything the item carries, for comparisons
    /// that must see the difference between ties.
    pub fn parts(&self) -> (u32, usize, usize) {
        (self.key, self.stream, self.position)
    }
}

impl PartialEq for Tagged {
    fn eq(&self, other: &Self) -> bool {
        self.key == other.key
    }
}

impl Eq for Tagged {}

impl PartialOrd for Tagged {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Tagged {
    fn cmp(&self, other: &Self) -> Ordering {
        self.key.cmp(&other.key)
    }
}

/// Tags every key with its stream and its position in that stream.
///
/// ```
/// let tagged = kata::generate::streams::tag(vec![vec![7], vec![7, 8]]);
/// assert_eq!(tagged[1][1].parts(), (8, 1, 1));
/// ```
pub fn tag(streams: Vec<Vec<u32>>) -> Vec<Vec<Tagged>> {
    streams
        .into_iter()
        .enumerate()
        .map(|(stream, keys)| {
            keys.into_iter().enumerate().map(|(position, key)| Tagged { key, stream, position }).collect()
        })
        .collect()
}

/// `total` keys drawn uniformly from `keys`, each dealt to one of `k`
/// streams at random, each stream sorted: the shards of one sorted dataset.
/// Stream lengths vary around `total / k`; some may be empty.
///
/// # Panics
/// When `k == 0` and `total > 0` (there is no stream to deal a key to).
pub fn sorted_streams(
    rng: &mut impl Rng,
    k: usize,
    total: usize,
    keys: std::ops::Range<u64>,
) -> Vec<Vec<u64>> {
    assert!(k > 0 || total == 0, "cannot deal {total} keys to no streams");
    let mut streams: Vec<Vec<u64>> = (0..k).map(|_| Vec::with_capacity(total / k.max(1) + 1)).collect();
    for _ in 0..total {
        let key = rng.random_range(keys.clone());
        streams[rng.random_range(0..k)].push(key);
    }
    for stream in &mut streams {
        stream.sort_unstable();
    }
    streams
}

/// Like [`sorted_streams`] but with `u32` keys below `distinct_keys` (few
/// distinct keys: ties across and within streams), tagged with their origin.
pub fn sorted_tagged_streams(
    rng: &mut impl Rng,
    k: usize,
    total: usize,
    distinct_keys: u32,
) -> Vec<Vec<Tagged>> {
    let keys = sorted_streams(rng, k, total, 0..u64::from(distinct_keys.max(1)));
    tag(keys.into_iter().map(|stream| stream.into_iter().map(|key| key as u32).collect()).collect())
}

/// A proptest strategy for up to `max_k` streams of up to `max_len` keys
/// below `distinct_keys`, in random order (not sorted).
pub fn unsorted_key_streams(
    max_k: usize,
    max_len: usize,
    distinct_keys: u32,
) -> impl Strategy<Value = Vec<Vec<u32>>> {
    prop::collection::vec(prop::collection::vec(0..distinct_keys.max(1), 0..=max_len), 0..=max_k)
}

/// [`unsorted_key_streams`] with every stream sorted ascending: valid merge
/// input, with ties across and within streams when `distinct_keys` is small.
pub fn sorted_key_streams(
    max_k: usize,
    max_len: usize,
    distinct_keys: u32,
) -> impl Strategy<Value = Vec<Vec<u32>>> {
    unsorted_key_streams(max_k, max_len, distinct_keys).prop_map(|mut streams| {
        for stream in &mut streams {
            stream.sort_unstable();
        }
        streams
    })
}

/// A count of the items pulled from a set of streams, shared by the
/// [`Counted`] wrappers it hands out (and safe to read from another thread).
#[derive(Debug, Clone, Default)]
pub struct PullCounter {
    pulled: Arc<AtomicUsize>,
}

impl PullCounter {
    /// A counter at zero.
    pub fn new() -> PullCounter {
        PullCounter::default()
    }

    /// How many items the wrapped streams have yielded so far, in total.
    pub fn pulled(&self) -> usize {
        self.pulled.load(AtomicOrdering::SeqCst)
    }

    /// Wraps `stream` so that every item it yields is counted here.
    ///
    /// ```
    /// use kata::generate::streams::PullCounter;
    /// let counter = PullCounter::new();
    /// let mut stream = counter.wrap(vec![1, 2, 3]);
    /// stream.next();
    /// assert_eq!(counter.pulled(), 1);
    /// ```
    pub fn wrap<I: IntoIterator>(&self, stream: I) -> Counted<I::IntoIter> {
        Counted { inner: stream.into_iter(), counter: self.clone(), budget: usize::MAX, yielded: 0 }
    }
}

/// An iterator that counts the items pulled from it (see [`PullCounter`])
/// and, with a budget, fails loudly when pulled too far.
#[derive(Debug, Clone)]
pub struct Counted<I> {
    inner: I,
    counter: PullCounter,
    budget: usize,
    yielded: usize,
}

impl<I> Counted<I> {
    /// Makes the stream panic when asked for more than `budget` items: a
    /// merge that reads an endless stream eagerly fails at once with a
    /// message, instead of filling the memory.
    ///
    /// ```
    /// use kata::generate::streams::PullCounter;
    /// let stream = PullCounter::new().wrap(0_u64..).with_budget(3);
    /// assert_eq!(stream.take(3).count(), 3); // within budget
    /// ```
    pub fn with_budget(self, budget: usize) -> Counted<I> {
        Counted { budget, ..self }
    }
}

impl<I: Iterator> Iterator for Counted<I> {
    type Item = I::Item;

    fn next(&mut self) -> Option<I::Item> {
        assert!(
            self.yielded < self.budget,
            "an input stream was asked for more than {} items: the merge reads far ahead of what it \
             yields (it must be lazy: after m items out, at most m + k items pulled from k streams)",
            self.budget
        );
        let item = self.inner.next()?;
        self.yielded += 1;
        self.counter.pulled.fetch_add(1, AtomicOrdering::SeqCst);
        Some(item)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.inner.size_hint()
    }
}
