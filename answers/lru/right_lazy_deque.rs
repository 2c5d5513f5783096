//! Right: a VecDeque of (key, stamp) in use order with lazy deletion: a hit
//! pushes a fresh stamp instead of moving the old one, eviction skips stale
//! stamps, and the deque is compacted when it doubles: O(1) amortised.

use std::collections::{HashMap, VecDeque};
use std::hash::Hash;

pub use kata_types::CacheError;

#[derive(Debug, Clone)]
pub struct LruCache<K, V> {
    map: HashMap<K, (V, u64)>, // value and the stamp of its latest use
    order: VecDeque<(K, u64)>, // uses, oldest first; stale when the stamp is old
    stamp: u64,
    capacity: usize,
}

impl<K: Hash + Eq + Clone, V> LruCache<K, V> {
    pub fn new(capacity: usize) -> Result<Self, CacheError> {
        if capacity == 0 {
            return Err(CacheError::ZeroCapacity);
        }
        Ok(LruCache { map: HashMap::new(), order: VecDeque::new(), stamp: 0, capacity })
    }

    pub fn get(&mut self, key: &K) -> Option<&V> {
        let stamp = self.next_stamp();
        let (_, latest) = self.map.get_mut(key)?;
        *latest = stamp;
        self.order.push_back((key.clone(), stamp));
        self.compact();
        self.map.get(key).map(|(value, _)| value)
    }

    pub fn peek(&self, key: &K) -> Option<&V> {
        self.map.get(key).map(|(value, _)| value)
    }

    pub fn put(&mut self, key: K, value: V) -> Option<(K, V)> {
        let stamp = self.next_stamp();
        let mut evicted = None;
        if !self.map.contains_key(&key) && self.map.len() == self.capacity {
            while let Some((old, old_stamp)) = self.order.pop_front() {
                if self.map.get(&old).is_some_and(|(_, latest)| *latest == old_stamp) {
                    evicted = self.map.remove_entry(&old).map(|(k, (v, _))| (k, v));
                    break;
                }
            }
        }
        self.order.push_back((key.clone(), stamp));
        self.map.insert(key, (value, stamp));
        self.compact();
        evicted
    }

    pub fn len(&self) -> usize {
        self.map.len()
    }

    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    pub fn capacity(&self) -> usize {
        self.capacity
    }

    fn next_stamp(&mut self) -> u64 {
        self.stamp += 1;
        self.stamp
    }

    /// Drops stale uses once they outnumber the live ones: O(len) every
    /// O(len) operations.
    fn compact(&mut self) {
        if self.order.len() > 2 * self.map.len() + 16 {
            let map = &self.map;
            self.order.retain(|(key, stamp)| map.get(key).is_some_and(|(_, latest)| latest == stamp));
        }
    }
}
