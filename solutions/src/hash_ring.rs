//! # Consistent hashing: jump hash and a hash ring
//!
//! **Jump hash** (Lamping and Veach, 2014) maps a key to one of `n` buckets
//! with no table at all: it follows the key's pseudo-random sequence of
//! "jumps" (a 64-bit LCG step, then `j = (b + 1) · 2³¹ / (r + 1)` in f64)
//! until one lands past `n`. Growing `n` to `n + 1` moves exactly the keys
//! whose last jump lands on the new bucket, about `1/(n + 1)` of them. It
//! takes O(ln n) steps and no memory, but buckets can only be added or
//! removed at the end.
//!
//! **The ring** handles named nodes that come and go in any order. Each node
//! owns `replicas` points (`ring_hash("{node}#{i}")`); a key belongs to the
//! first point at or after its own hash, wrapping past the top. Adding a node
//! only claims arcs for it; removing one only releases its arcs.
//!
//! Why the lookup is fast: the points live in one sorted `Vec<u64>` (owners
//! in a parallel array), and a radix table maps the top bits of a hash to
//! the first point that shares them. With about two table slots per point,
//! the answer is almost always among the next few points, so `node_for`
//! counts, without a single branch, how many of a fixed window of
//! `WINDOW` points from that slot lie below the key's hash: that count is
//! the answer's offset. The points after a slot's own belong to later slots
//! and so lie above the hash, and the arrays are padded (sentinel points at
//! the top, the first owner again after the last) so the window never runs
//! off the end and "past the last point" wraps to the first by a plain
//! read. Only a slot crowded with a whole window of smaller points, about
//! one key in a thousand, takes a (well-predicted) branch to a binary
//! search.
//!
//! A lookup that never branches on its data is what makes this fast, more
//! than the few loads it saves: hashing a key (FNV-1a, one multiply per
//! byte) is a long chain of dependent multiplies, and the processor runs
//! the hashes of the following keys while this one's lookup waits on
//! memory, but only as long as no mispredicted branch throws that work
//! away. A binary search or a B-tree walk mispredicts about half of its
//! O(log n) steps; a scan to the first larger point mispredicts its exit.
//! `add` and `remove` rebuild the arrays in O(points), the right trade for
//! a ring that is read far more often than it changes.

use std::collections::HashMap;

pub use kata_types::{HashError, ring_hash};

/// Points a lookup compares at once, starting at its slot's first point.
const WINDOW: usize = 4;

/// Lamping and Veach's jump consistent hash: the bucket of `key` among
/// `buckets`, in `0..buckets`.
///
/// Bit for bit the paper's algorithm, with a 64-bit bucket count and the
/// jump computed in f64.
///
/// # Errors
/// `HashError::ZeroBuckets` when `buckets == 0`.
///
/// ```
/// use solutions::hash_ring::jump_hash;
/// assert_eq!(jump_hash(0, 1000), Ok(0)); // key 0 stays in bucket 0 up to 2^31 buckets
/// assert_eq!(jump_hash(42, 1), Ok(0));
/// assert!(jump_hash(12345, 10)? < 10);
/// # Ok::<(), solutions::hash_ring::HashError>(())
/// ```
pub fn jump_hash(key: u64, buckets: u32) -> Result<u32, HashError> {
    if buckets == 0 {
        return Err(HashError::ZeroBuckets);
    }
    let buckets = i64::from(buckets);
    // The loop runs at least once (jump 0 < buckets), so bucket's start is never read.
    let (mut key, mut bucket, mut jump) = (key, 0_i64, 0_i64);
    while jump < buckets {
        bucket = jump;
        key = key.wrapping_mul(2_862_933_555_777_941_757).wrapping_add(1);
        // The paper's expression, in its order: (b + 1) * (2^31 / (r + 1)).
        // The cast saturates where C++ would be undefined; any value that
        // large ends the loop either way.
        jump = ((bucket + 1) as f64 * ((1_u64 << 31) as f64 / ((key >> 33) + 1) as f64)) as i64;
    }
    // The loop ends with 0 ≤ bucket < buckets ≤ u32::MAX.
    Ok(bucket as u32)
}

/// A consistent-hash ring of named nodes, `replicas` points per node.
///
/// ```
/// use solutions::hash_ring::HashRing;
/// let mut ring = HashRing::new(100)?;
/// assert_eq!(ring.node_for(b"user:42"), None); // no nodes yet
/// assert!(ring.add("cache-a"));
/// assert!(!ring.add("cache-a")); // already there
/// assert_eq!(ring.node_for(b"user:42"), Some("cache-a"));
/// ring.add("cache-b");
/// assert_eq!(ring.len(), 2);
/// # Ok::<(), solutions::hash_ring::HashError>(())
/// ```
#[derive(Debug, Clone)]
pub struct HashRing {
    /// Points per node.
    replicas: u32,
    /// Node names; `owners` refers to nodes by their index here.
    names: Vec<Box<str>>,
    /// Each name's index in `names`.
    index_of: HashMap<Box<str>, u32>,
    /// How many points the ring holds.
    point_count: usize,
    /// Every point's position, ascending, collisions ordered by owner name;
    /// then `WINDOW` sentinels (`u64::MAX`, below no hash) for the lookup.
    points: Vec<u64>,
    /// `owners[p]` is the index in `names` of the node owning `points[p]`;
    /// then, at `point_count`, the first point's owner again (the wrap).
    owners: Vec<u32>,
    /// `slots[s]` is the first point whose top `bits` bits are at least `s`;
    /// `slots[1 << bits] == point_count`.
    slots: Vec<u32>,
    /// How many top bits of a hash pick its slot.
    bits: u32,
}

impl HashRing {
    /// An empty ring whose nodes will own `replicas` points each.
    ///
    /// # Errors
    /// `HashError::ZeroReplicas` when `replicas == 0`.
    pub fn new(replicas: u32) -> Result<HashRing, HashError> {
        if replicas == 0 {
            return Err(HashError::ZeroReplicas);
        }
        let mut ring = HashRing {
            replicas,
            names: Vec::new(),
            index_of: HashMap::new(),
            point_count: 0,
            points: Vec::new(),
            owners: Vec::new(),
            slots: Vec::new(),
            bits: 0,
        };
        ring.rebuild_index();
        Ok(ring)
    }

    /// Adds `node` and its points; `false` (and no change) if it is already
    /// on the ring. O(points + replicas · log replicas).
    pub fn add(&mut self, node: &str) -> bool {
        if self.index_of.contains_key(node) {
            return false;
        }
        let id = u32::try_from(self.names.len()).unwrap_or(u32::MAX);
        self.names.push(node.into());
        self.index_of.insert(node.into(), id);
        let mut new_points: Vec<u64> =
            (0..self.replicas).map(|replica| ring_hash(format!("{node}#{replica}").as_bytes())).collect();
        new_points.sort_unstable();
        self.unpad();
        self.merge_points(&new_points, id);
        self.rebuild_index();
        true
    }

    /// Removes `node` and every one of its points; `false` if it was not on
    /// the ring. O(points).
    pub fn remove(&mut self, node: &str) -> bool {
        let Some(id) = self.index_of.remove(node) else {
            return false;
        };
        // Keep owner ids dense: the last node takes the removed node's id.
        let last = (self.names.len() - 1) as u32;
        self.names.swap_remove(id as usize);
        if id != last {
            self.index_of.insert(self.names[id as usize].clone(), id);
        }
        self.unpad();
        let mut kept = 0;
        for p in 0..self.points.len() {
            let owner = self.owners[p];
            if owner != id {
                self.points[kept] = self.points[p];
                self.owners[kept] = if owner == last { id } else { owner };
                kept += 1;
            }
        }
        self.points.truncate(kept);
        self.owners.truncate(kept);
        self.rebuild_index();
        true
    }

    /// The node that owns `key`: the owner of the first point at or after
    /// `ring_hash(key)`, wrapping past the last point to the first; `None`
    /// on an empty ring. O(1) expected.
    #[inline]
    pub fn node_for(&self, key: &[u8]) -> Option<&str> {
        if self.point_count == 0 {
            return None;
        }
        let at = self.first_point_at_or_after(ring_hash(key));
        // `at == point_count` (past the top of the ring) reads the first
        // point's owner, stored again there.
        Some(&self.names[self.owners[at] as usize])
    }

    /// The index of the first point at or after `hash`, `point_count` if
    /// there is none.
    #[inline]
    fn first_point_at_or_after(&self, hash: u64) -> usize {
        let start = self.slots[self.slot_of(hash)] as usize;
        // Points before `start` lie below the hash, points of later slots
        // above it: the answer is `start` plus how many of this slot's
        // points lie below, counted over a fixed window without branching.
        let below: usize =
            self.points[start..start + WINDOW].iter().map(|&point| usize::from(point < hash)).sum();
        if below < WINDOW {
            start + below
        } else {
            // A crowded slot: search the rest of the ring.
            let rest = start + WINDOW;
            rest + self.points[rest..self.point_count].partition_point(|&point| point < hash)
        }
    }

    /// How many nodes are on the ring.
    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// Whether the ring has no nodes.
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// The slot of `hash`: its top `bits` bits (1 ≤ `bits` ≤ 31).
    #[inline]
    fn slot_of(&self, hash: u64) -> usize {
        (hash >> (64 - self.bits)) as usize
    }

    /// Drops the lookup's padding, leaving exactly the points and owners.
    fn unpad(&mut self) {
        self.points.truncate(self.point_count);
        self.owners.truncate(self.point_count);
    }

    /// Merges sorted `new_points`, owned by node `id`, into the sorted ring.
    /// Equal positions go to the owner whose name sorts first.
    fn merge_points(&mut self, new_points: &[u64], id: u32) {
        let total = self.points.len() + new_points.len();
        let (mut points, mut owners) = (Vec::with_capacity(total), Vec::with_capacity(total));
        let (mut old, mut new) = (0, 0);
        while old < self.points.len() || new < new_points.len() {
            let take_new = match (self.points.get(old), new_points.get(new)) {
                (Some(&existing), Some(&added)) => {
                    added < existing
                        || (added == existing
                            && self.names[id as usize] < self.names[self.owners[old] as usize])
                }
                (None, _) => true,
                (_, None) => false,
            };
            if take_new {
                points.push(new_points[new]);
                owners.push(id);
                new += 1;
            } else {
                points.push(self.points[old]);
                owners.push(self.owners[old]);
                old += 1;
            }
        }
        self.points = points;
        self.owners = owners;
    }

    /// Recomputes the radix table (about two slots per point) and pads the
    /// points and owners for the lookup.
    fn rebuild_index(&mut self) {
        self.point_count = self.points.len();
        self.bits = (usize::BITS - self.point_count.leading_zeros() + 1).min(31);
        let slot_count = 1_usize << self.bits;
        self.slots.clear();
        self.slots.reserve(slot_count + 1);
        let mut point = 0;
        for slot in 0..slot_count {
            while point < self.point_count && self.slot_of(self.points[point]) < slot {
                point += 1;
            }
            self.slots.push(point as u32);
        }
        self.slots.push(self.point_count as u32);
        self.points.resize(self.point_count + WINDOW, u64::MAX);
        if let Some(&first) = self.owners.first() {
            self.owners.push(first);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crowded_slots_and_the_top_of_the_ring_find_the_first_point_at_or_after() {
        let mut ring = HashRing::new(1).expect("one replica");
        ring.add("a");
        // Points crowded into the lowest slot, beyond the window, and two
        // at the very top of the ring (one equal to the padding).
        ring.unpad();
        ring.points = (1..=3 * WINDOW as u64).chain([u64::MAX - 1, u64::MAX]).collect();
        ring.owners = vec![0; ring.points.len()];
        ring.rebuild_index();
        let points = ring.points[..ring.point_count].to_vec();
        let hashes = (0..=4 * WINDOW as u64).chain([u64::MAX / 2, u64::MAX - 2, u64::MAX - 1, u64::MAX]);
        for hash in hashes {
            let expected = points.partition_point(|&point| point < hash);
            assert_eq!(ring.first_point_at_or_after(hash), expected, "hash {hash}");
        }
        assert_eq!(ring.owners[ring.point_count], ring.owners[0], "past the top wraps to the first owner");
    }

    /// A wrong slot still finds the right point (the crowded-slot search
    /// covers the rest of the ring), only slowly: pin the slot itself.
    #[test]
    fn a_hash_starts_in_the_slot_of_its_top_bits() {
        let mut ring = HashRing::new(50).expect("valid");
        ring.add("a");
        ring.add("b");
        let slot_count = 1_usize << ring.bits;
        // Two to four slots per point (the next power of two above two per point).
        assert!((2 * 100..=4 * 100).contains(&slot_count), "{slot_count} slots for 100 points");
        assert_eq!(ring.slot_of(0), 0);
        assert_eq!(ring.slot_of(u64::MAX), slot_count - 1);
        assert_eq!(ring.slot_of(1 << 63), slot_count / 2);
        let points = &ring.points[..ring.point_count];
        for (slot, &start) in ring.slots.iter().enumerate() {
            let expected = points.partition_point(|&point| ring.slot_of(point) < slot);
            assert_eq!(start as usize, expected, "slot {slot} of {slot_count}");
        }
    }
}
