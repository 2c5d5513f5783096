//! Wrong: colliding points go to the node added first, not to the name that sorts first.

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
        self.0.add(node, standard_name, true)
    }

    pub fn remove(&mut self, node: &str) -> bool {
        self.0.remove(node, true)
    }

    pub fn node_for(&self, key: &[u8]) -> Option<&str> {
        let at = self.0.first_at_or_after(ring_hash(key));
        let at = if at == self.0.points.len() { 0 } else { at };
        self.0.points.get(at).map(|(_, owner)| owner.as_str())
    }

    pub fn len(&self) -> usize {
        self.0.nodes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.nodes.is_empty()
    }
}
