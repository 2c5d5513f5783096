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

/// The shapes a k-way merge meets in practice, for benchmarks: how keys are
/// spread over the streams.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StreamShape {
    /// Equal streams of keys drawn uniformly from all of `u64`: every
    /// stream interleaves with every other one.
    Uniform,
    /// One stream holds half of the keys, the others share the rest
    /// equally: a big shard among small ones.
    Skewed,
    /// Time-partitioned shards: stream `j` holds a key range of its own
    /// (streams in random order), so the output is one long run per stream.
    Runs,
    /// Keys drawn from 1,000 distinct values: ties everywhere, within and
    /// across streams.
    FewDistinct,
}

impl StreamShape {
    /// Every shape, in the order benchmarks report them.
    pub const ALL: [StreamShape; 4] =
        [StreamShape::Uniform, StreamShape::Skewed, StreamShape::Runs, StreamShape::FewDistinct];

    /// A short name for benchmark ids.
    pub fn name(self) -> &'static str {
        match self {
            StreamShape::Uniform => "uniform",
            StreamShape::Skewed => "one long stream",
            StreamShape::Runs => "disjoint runs",
            StreamShape::FewDistinct => "1000 distinct keys",
        }
    }

    /// `total` keys in `k` sorted streams of this shape.
    ///
    /// ```
    /// use kata::generate::streams::StreamShape;
    ///
    /// let mut rng = kata::seed::rng_for("doc");
    /// for shape in StreamShape::ALL {
    ///     let streams = shape.streams(&mut rng, 4, 100);
    ///     assert_eq!(streams.iter().map(Vec::len).sum::<usize>(), 100);
    ///     assert!(streams.iter().all(|s| s.is_sorted()));
    /// }
    /// ```
    pub fn streams(self, rng: &mut impl Rng, k: usize, total: usize) -> Vec<Vec<u64>> {
        assert!(k > 0 || total == 0, "cannot deal {total} keys to no streams");
        let equal = |rng: &mut _, lengths: &[usize], keys: std::ops::Range<u64>| -> Vec<Vec<u64>> {
            lengths
                .iter()
                .map(|&len| {
                    let mut stream: Vec<u64> =
                        (0..len).map(|_| RngExt::random_range(rng, keys.clone())).collect();
                    stream.sort_unstable();
                    stream
                })
                .collect()
        };
        let share = |total: usize, parts: usize| -> Vec<usize> {
            (0..parts).map(|j| total / parts + usize::from(j < total % parts)).collect()
        };
        match self {
            StreamShape::Uniform => equal(rng, &share(total, k), 0..u64::MAX),
            StreamShape::FewDistinct => equal(rng, &share(total, k), 0..1000),
            StreamShape::Skewed => {
                let long = if k == 1 { total } else { total / 2 };
                let mut lengths = vec![long];
                lengths.extend(share(total - long, k - 1));
                equal(rng, &lengths, 0..u64::MAX)
            }
            StreamShape::Runs => {
                let width = u64::MAX / k as u64;
                let mut ranges: Vec<u64> = (0..k as u64).collect();
                for i in (1..ranges.len()).rev() {
                    ranges.swap(i, RngExt::random_range(rng, 0..=i));
                }
                let lengths = share(total, k);
                ranges
                    .iter()
                    .zip(&lengths)
                    .flat_map(|(&range, &len)| equal(rng, &[len], range * width..(range + 1) * width))
                    .collect()
            }
        }
    }
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
