//! Wrong: right answers, but every lookup scans the whole ring: O(points).

include!("../../answers/hash_ring/common.rs");

pub fn jump_hash(key: u64, buckets: u32) -> Result<u32, HashError> {
    jump_with(key, buckets, Jump::PaperF64)
}

#[derive(Debug, Clone)]
pub struct HashRing(Points);

impl HashRing {
    pub fn new(replicas: u32) -> Result<HashRing, HashError> {
        Points::new(replicas).map(HashRing)
    }

    pub fn add(&mut self, node: &str) -> bool {
        self.0.add(node, standard_name, false)
    }

    pub fn remove(&mut self, node: &str) -> bool {
        self.0.remove(node, true)
    }

    pub fn node_for(&self, key: &[u8]) -> Option<&str> {
        let hash = ring_hash(key);
        let found = self.0.points.iter().find(|(point, _)| *point >= hash).or(self.0.points.first());
        found.map(|(_, owner)| owner.as_str())
    }

    pub fn len(&self) -> usize {
        self.0.nodes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.nodes.is_empty()
    }
}
