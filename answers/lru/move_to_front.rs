// Shared by the move-to-front answers in this folder: an LRU cache as a Vec
// in recency order (O(n) per operation), evicting before the key lookup
// when the answer sets `EVICT_BEFORE_LOOKUP`.

use std::hash::Hash;

pub use kata_types::CacheError;

#[derive(Debug, Clone)]
pub struct LruCache<K, V> {
    entries: Vec<(K, V)>, // most recent first
    capacity: usize,
}

impl<K: Hash + Eq + Clone, V> LruCache<K, V> {
    pub fn new(capacity: usize) -> Result<Self, CacheError> {
        if capacity == 0 {
            return Err(CacheError::ZeroCapacity);
        }
        Ok(LruCache { entries: Vec::new(), capacity })
    }

    pub fn get(&mut self, key: &K) -> Option<&V> {
        let at = self.entries.iter().position(|(k, _)| k == key)?;
        let entry = self.entries.remove(at);
        self.entries.insert(0, entry);
        Some(&self.entries[0].1)
    }

    pub fn peek(&self, key: &K) -> Option<&V> {
        self.entries.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    pub fn put(&mut self, key: K, value: V) -> Option<(K, V)> {
        let full = self.entries.len() == self.capacity;
        let early = if EVICT_BEFORE_LOOKUP && full { self.entries.pop() } else { None };
        if let Some(at) = self.entries.iter().position(|(k, _)| *k == key) {
            self.entries.remove(at);
            self.entries.insert(0, (key, value));
            return early;
        }
        let evicted = if !EVICT_BEFORE_LOOKUP && full { self.entries.pop() } else { early };
        self.entries.insert(0, (key, value));
        evicted
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn capacity(&self) -> usize {
        self.capacity
    }
}
