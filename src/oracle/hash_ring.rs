//! Consistent hashing, the slow and plain way.
//!
//! [`jump_hash`] is the paper's loop transcribed line by line.
//! [`SortedRing`] keeps every point with its owner's name in one sorted list
//! and scans it: no index, no merging, nothing clever to get wrong.

use kata_types::ring_hash;

/// Lamping and Veach's jump consistent hash, transcribed from the paper
/// (64-bit bucket count, the jump in f64, evaluated in the paper's order).
///
/// ```
/// use kata::oracle::hash_ring::jump_hash;
/// assert_eq!(jump_hash(0, 1_000_000), 0);
/// assert_eq!(jump_hash(u64::MAX, 1), 0);
/// ```
pub fn jump_hash(mut key: u64, buckets: u32) -> u32 {
    let (mut b, mut j): (i64, i64) = (-1, 0);
    while j < i64::from(buckets) {
        b = j;
        key = key.wrapping_mul(2862933555777941757).wrapping_add(1);
        let step = (1_i64 << 31) as f64 / ((key >> 33) + 1) as f64;
        j = ((b + 1) as f64 * step) as i64;
    }
    b as u32
}

/// A hash ring as a sorted list of `(position, owner)`, looked up by scanning.
#[derive(Debug, Clone, Default)]
pub struct SortedRing {
    points: Vec<(u64, String)>,
}

impl SortedRing {
    /// The ring of `nodes`, each owning `replicas` points
    /// `ring_hash("{node}#{i}")`; collisions ordered by name.
    ///
    /// ```
    /// use kata::oracle::hash_ring::SortedRing;
    /// let ring = SortedRing::new(&["a", "b"], 10);
    /// assert!(matches!(ring.node_for(b"key"), Some("a" | "b")));
    /// assert_eq!(SortedRing::new::<&str>(&[], 10).node_for(b"key"), None);
    /// ```
    pub fn new<S: AsRef<str>>(nodes: &[S], replicas: u32) -> SortedRing {
        let mut points: Vec<(u64, String)> = nodes
            .iter()
            .flat_map(|node| {
                let node = node.as_ref();
                (0..replicas).map(move |i| (ring_hash(format!("{node}#{i}").as_bytes()), node.to_owned()))
            })
            .collect();
        points.sort();
        SortedRing { points }
    }

    /// The owner of the first point at or after `ring_hash(key)`, wrapping.
    pub fn node_for(&self, key: &[u8]) -> Option<&str> {
        let hash = ring_hash(key);
        let (_, owner) = self.points.iter().find(|(point, _)| *point >= hash).or(self.points.first())?;
        Some(owner)
    }

    /// The largest point on the ring, if any.
    pub fn last_point(&self) -> Option<u64> {
        self.points.last().map(|(point, _)| *point)
    }
}
