//! # A least-recently-used cache
//!
//! Serving systems cache everything: embeddings of frequent queries,
//! tokenised prompts, KV blocks. When the cache is full, the entry used
//! least recently makes room. Build the cache so that every operation is
//! O(1), however large it is.
//!
//! ## Task
//! Implement [`LruCache`]: `new`, `get`, `peek`, `put`, `len`, `is_empty`,
//! `capacity`. The struct's fields are yours to choose.
//!
//! ## Semantics
//! - The cache holds at most `capacity` entries.
//! - `get(&key)` returns the value and marks the entry most recently used;
//!   `peek(&key)` returns it and changes nothing.
//! - `put(key, value)` of a key already present replaces its value, marks it
//!   most recent and returns `None` (the old value is dropped; nothing is
//!   evicted). Of a new key into a cache with room: inserts it as the most
//!   recent, `None`. Of a new key into a full cache: evicts the least
//!   recently used entry and returns it, `Some((old_key, old_value))`, then
//!   inserts the new one as the most recent.
//! - Every value is dropped exactly once: when replaced, when the caller
//!   drops what `put` returned, or when the cache is dropped. None leaks.
//! - Errors: `new(0)` → `Err(CacheError::ZeroCapacity)`.
//!
//! ## Examples
//! ```text
//! cache = LruCache::new(2)
//! put(1, "a") → None           recency (newest first): 1
//! put(2, "b") → None           2 1
//! get(&1)     → Some("a")      1 2
//! put(3, "c") → Some((2, "b")) 3 1      (2 was the least recent)
//! peek(&1)    → Some("a")      3 1      (peek does not refresh)
//! put(4, "d") → Some((1, "a")) 4 3
//! put(3, "C") → None           3 4      (replaced, nothing evicted)
//! get(&2)     → None
//! len() → 2, capacity() → 2
//! ```
//!
//! ## What a strong answer looks like
//! O(1) per operation: a hash map from key to the entry's place in a doubly
//! linked list ordered by recency. In Rust, keep the list in one `Vec`
//! (an arena) and link entries by index instead of pointer: no `unsafe`, no
//! allocation per entry, and an evicted slot is reused by the new entry.
//! Moving an entry to the front of a `Vec` or `VecDeque` by searching for it
//! is O(n): the hidden tests run a cache of 100,000 entries and reject it.

use std::hash::Hash;

pub use kata_types::CacheError;

/// A least-recently-used cache of at most `capacity` entries.
///
/// Choose your own fields.
#[derive(Debug, Clone)]
pub struct LruCache<K, V> {
    // Delete this field and add your own: it only makes the stub compile.
    _entries: Vec<(K, V)>,
}

impl<K: Hash + Eq + Clone, V> LruCache<K, V> {
    /// An empty cache for at most `capacity` entries.
    pub fn new(capacity: usize) -> Result<Self, CacheError> {
        todo!("open exercises/src/lru.rs: a cache of {capacity} entries")
    }

    /// The value of `key`, marking it the most recently used.
    pub fn get(&mut self, key: &K) -> Option<&V> {
        let _ = key;
        todo!("open exercises/src/lru.rs: get a key from a cache of {} entries", self._entries.len())
    }

    /// The value of `key`, without changing the recency order.
    pub fn peek(&self, key: &K) -> Option<&V> {
        let _ = key;
        todo!("open exercises/src/lru.rs: peek at a key in a cache of {} entries", self._entries.len())
    }

    /// Inserts or replaces `key`; returns the evicted entry, if any.
    pub fn put(&mut self, key: K, value: V) -> Option<(K, V)> {
        let _ = (key, value);
        todo!("open exercises/src/lru.rs: put a key into a cache of {} entries", self._entries.len())
    }

    /// How many entries the cache holds.
    pub fn len(&self) -> usize {
        todo!("open exercises/src/lru.rs: the length of a cache of {} entries", self._entries.len())
    }

    /// Whether the cache holds no entries.
    pub fn is_empty(&self) -> bool {
        todo!("open exercises/src/lru.rs: whether a cache of {} entries is empty", self._entries.len())
    }

    /// The most entries the cache holds.
    pub fn capacity(&self) -> usize {
        todo!("open exercises/src/lru.rs: the capacity of a cache of {} entries", self._entries.len())
    }
}
