// Shared by the answers in this folder: an LRU cache as a std HashMap into
// an index-linked list in one Vec, with one mistake switched on by the
// answer's `MISTAKE` (or none). Answers of another design (a move-to-front
// Vec, a lazy VecDeque) stand alone.

use std::collections::HashMap;
use std::hash::Hash;

pub use kata_types::CacheError;

#[allow(dead_code)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mistake {
    None,
    GetDoesNotRefresh,
    EvictsMostRecent,
    HoldsOneTooMany,
    LeaksReplacedValue,
}

const NIL: usize = usize::MAX;

#[derive(Debug, Clone)]
struct Node<K, V> {
    key: K,
    value: V,
    prev: usize, // more recent
    next: usize, // less recent
}

#[derive(Debug, Clone)]
pub struct LruCache<K, V> {
    map: HashMap<K, usize>,
    nodes: Vec<Node<K, V>>,
    head: usize,
    tail: usize,
    capacity: usize,
}

impl<K: Hash + Eq + Clone, V> LruCache<K, V> {
    pub fn new(capacity: usize) -> Result<Self, CacheError> {
        if capacity == 0 {
            return Err(CacheError::ZeroCapacity);
        }
        Ok(LruCache { map: HashMap::new(), nodes: Vec::new(), head: NIL, tail: NIL, capacity })
    }

    pub fn get(&mut self, key: &K) -> Option<&V> {
        let at = *self.map.get(key)?;
        if MISTAKE != Mistake::GetDoesNotRefresh {
            self.unlink(at);
            self.push_front(at);
        }
        Some(&self.nodes[at].value)
    }

    pub fn peek(&self, key: &K) -> Option<&V> {
        self.map.get(key).map(|&at| &self.nodes[at].value)
    }

    pub fn put(&mut self, key: K, value: V) -> Option<(K, V)> {
        let limit = if MISTAKE == Mistake::HoldsOneTooMany { self.capacity + 1 } else { self.capacity };
        if let Some(&at) = self.map.get(&key) {
            let old = std::mem::replace(&mut self.nodes[at].value, value);
            if MISTAKE == Mistake::LeaksReplacedValue {
                std::mem::forget(old);
            }
            self.unlink(at);
            self.push_front(at);
            return None;
        }
        if self.nodes.len() < limit {
            let at = self.nodes.len();
            self.nodes.push(Node { key: key.clone(), value, prev: NIL, next: NIL });
            self.map.insert(key, at);
            self.push_front(at);
            return None;
        }
        let victim = if MISTAKE == Mistake::EvictsMostRecent { self.head } else { self.tail };
        self.unlink(victim);
        self.map.remove(&self.nodes[victim].key);
        self.map.insert(key.clone(), victim);
        let old_key = std::mem::replace(&mut self.nodes[victim].key, key);
        let old_value = std::mem::replace(&mut self.nodes[victim].value, value);
        self.push_front(victim);
        Some((old_key, old_value))
    }

    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    pub fn capacity(&self) -> usize {
        self.capacity
    }

    fn unlink(&mut self, at: usize) {
        let (prev, next) = (self.nodes[at].prev, self.nodes[at].next);
        if prev == NIL {
            self.head = next
        } else {
            self.nodes[prev].next = next
        }
        if next == NIL { self.tail = prev } else { self.nodes[next].prev = prev }
    }

    fn push_front(&mut self, at: usize) {
        self.nodes[at].prev = NIL;
        self.nodes[at].next = self.head;
        if self.head == NIL {
            self.tail = at
        } else {
            self.nodes[self.head].prev = at
        }
        self.head = at;
    }
}
