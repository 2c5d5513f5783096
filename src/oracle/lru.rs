//! An LRU cache as a list ordered by recency: obviously right, O(n) per
//! operation. The benchmarks also use it as the naive baseline (the
//! move-to-front `Vec` many first answers are).

/// An LRU cache kept as a `Vec` of entries, most recent first.
///
/// ```
/// use kata::oracle::lru::VecLru;
/// let mut cache = VecLru::new(2);
/// cache.put(1, 'a');
/// cache.put(2, 'b');
/// assert_eq!(cache.get(&1), Some(&'a'));
/// assert_eq!(cache.put(3, 'c'), Some((2, 'b')));
/// ```
#[derive(Debug, Clone)]
pub struct VecLru<K, V> {
    entries: Vec<(K, V)>,
    capacity: usize,
}

impl<K: PartialEq, V> VecLru<K, V> {
    /// An empty cache of `capacity` entries (assumed at least 1).
    pub fn new(capacity: usize) -> VecLru<K, V> {
        VecLru { entries: Vec::new(), capacity }
    }

    /// The value of `key`, moved to the front.
    pub fn get(&mut self, key: &K) -> Option<&V> {
        let at = self.entries.iter().position(|(k, _)| k == key)?;
        let entry = self.entries.remove(at);
        self.entries.insert(0, entry);
        Some(&self.entries[0].1)
    }

    /// The value of `key`, left where it is.
    pub fn peek(&self, key: &K) -> Option<&V> {
        self.entries.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// Replace (None) or insert, evicting the last entry when full.
    pub fn put(&mut self, key: K, value: V) -> Option<(K, V)> {
        if let Some(at) = self.entries.iter().position(|(k, _)| *k == key) {
            self.entries.remove(at);
            self.entries.insert(0, (key, value));
            return None;
        }
        let evicted = if self.entries.len() == self.capacity { self.entries.pop() } else { None };
        self.entries.insert(0, (key, value));
        evicted
    }

    /// How many entries it holds.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether it holds none.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The keys, most recent first.
    pub fn keys(&self) -> impl Iterator<Item = &K> {
        self.entries.iter().map(|(k, _)| k)
    }
}
