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
//! in a parallel array), and a small radix table maps the top bits of a hash
//! to the range of points that share them. With about two table slots per
//! point, that range holds one or two points, so `node_for` is the key's hash,
//! two table reads and a short scan: O(1) expected, one or two cache lines,
//! where a binary search or a B-tree walks O(log n) dependent, mispredicted
//! steps. `add` and `remove` rebuild the arrays in O(points), which is the
//! right trade for a ring that is read far more often than it changes.

use std::collections::HashMap;

pub use kata_types::{HashError, ring_hash};

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
    let (mut key, mut bucket, mut jump) = (key, -1_i64, 0_i64);
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
    /// Every point's position, ascending; collisions ordered by owner name.
    points: Vec<u64>,
    /// `owners[p]` is the index in `names` of the node owning `points[p]`.
    owners: Vec<u32>,
    /// `slots[s]` is the first point whose top `bits` bits are at least `s`;
    /// `slots[1 << bits] == points.len()`.
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
            points: Vec::new(),
            owners: Vec::new(),
            slots: Vec::new(),
            bits: 0,
        };
        ring.rebuild_slots();
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
        self.merge_points(&new_points, id);
        self.rebuild_slots();
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
        self.rebuild_slots();
        true
    }

    /// The node that owns `key`: the owner of the first point at or after
    /// `ring_hash(key)`, wrapping past the last point to the first; `None`
    /// on an empty ring. O(1) expected.
    #[inline]
    pub fn node_for(&self, key: &[u8]) -> Option<&str> {
        if self.points.is_empty() {
            return None;
        }
        let hash = ring_hash(key);
        let slot = self.slot_of(hash);
        let (start, end) = (self.slots[slot] as usize, self.slots[slot + 1] as usize);
        // The points of this slot are few: a scan beats a search.
        let within = self.points[start..end].iter().position(|&point| point >= hash);
        let at = match within {
            Some(offset) => start + offset,
            // Past this slot's points: the first point of a later slot, or
            // past the top of the ring, the very first point.
            None if end < self.points.len() => end,
            None => 0,
        };
        Some(&self.names[self.owners[at] as usize])
    }

    /// How many nodes are on the ring.
    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// Whether the ring has no nodes.
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// The slot of `hash`: its top `bits` bits.
    #[inline]
    fn slot_of(&self, hash: u64) -> usize {
        // `checked_shr` covers bits == 0 (a shift by 64).
        hash.checked_shr(64 - self.bits).unwrap_or(0) as usize
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

    /// Recomputes the radix table: about two slots per point.
    fn rebuild_slots(&mut self) {
        self.bits = (usize::BITS - self.points.len().leading_zeros()).min(30);
        let slot_count = 1_usize << self.bits;
        self.slots.clear();
        self.slots.reserve(slot_count + 1);
        let mut point = 0;
        for slot in 0..slot_count {
            while point < self.points.len() && self.slot_of(self.points[point]) < slot {
                point += 1;
            }
            self.slots.push(point as u32);
        }
        self.slots.push(self.points.len() as u32);
    }
}
