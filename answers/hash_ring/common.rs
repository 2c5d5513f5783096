// Shared by the answers in this folder: a sorted-vector ring, the whole
// API, with one switch per mistake (each answer sets `MISTAKE`).

pub use kata_types::{HashError, ring_hash};

/// How an answer computes the jump.
#[allow(dead_code)]
#[derive(Debug, Clone, Copy)]
enum Jump {
    PaperF64,
    ExactInteger,
}

#[allow(dead_code)]
fn jump_with(mut key: u64, buckets: u32, jump: Jump) -> Result<u32, HashError> {
    if buckets == 0 {
        return Err(HashError::ZeroBuckets);
    }
    let (mut b, mut j) = (-1_i64, 0_i64);
    while j < i64::from(buckets) {
        b = j;
        key = key.wrapping_mul(2862933555777941757).wrapping_add(1);
        j = match jump {
            Jump::PaperF64 => ((b + 1) as f64 * ((1_u64 << 31) as f64 / ((key >> 33) + 1) as f64)) as i64,
            Jump::ExactInteger => ((b as i128 + 1) * (1_i128 << 31) / (((key >> 33) + 1) as i128)) as i64,
        };
    }
    Ok(b as u32)
}

/// Points sorted by (position, name) unless `by_insertion` keeps equal
/// positions in insertion order.
#[allow(dead_code)]
#[derive(Debug, Clone)]
struct Points {
    replicas: u32,
    points: Vec<(u64, String)>,
    nodes: Vec<String>,
}

#[allow(dead_code)]
impl Points {
    fn new(replicas: u32) -> Result<Points, HashError> {
        if replicas == 0 {
            return Err(HashError::ZeroReplicas);
        }
        Ok(Points { replicas, points: Vec::new(), nodes: Vec::new() })
    }

    fn add(&mut self, node: &str, point_name: impl Fn(&str, u32) -> String, by_insertion: bool) -> bool {
        if self.nodes.iter().any(|n| n == node) {
            return false;
        }
        self.nodes.push(node.to_owned());
        for i in 0..self.replicas {
            self.points.push((ring_hash(point_name(node, i).as_bytes()), node.to_owned()));
        }
        if by_insertion {
            self.points.sort_by_key(|(point, _)| *point); // stable: earlier nodes first
        } else {
            self.points.sort();
        }
        true
    }

    fn remove(&mut self, node: &str, points_too: bool) -> bool {
        let Some(at) = self.nodes.iter().position(|n| n == node) else { return false };
        self.nodes.remove(at);
        if points_too {
            self.points.retain(|(_, owner)| owner != node);
        }
        true
    }

    fn first_at_or_after(&self, hash: u64) -> usize {
        self.points.partition_point(|(point, _)| *point < hash)
    }
}

#[allow(dead_code)]
fn standard_name(node: &str, i: u32) -> String {
    format!("{node}#{i}")
}

/// The mistakes an answer can make.
#[allow(dead_code)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mistake {
    None,
    /// The jump in exact integer arithmetic instead of the paper's f64 step.
    IntegerJump,
    /// Colliding points in insertion order instead of by name.
    InsertionOrderCollisions,
    /// A linear scan of the ring for every key.
    LinearScan,
    /// A key past the last point gets None instead of wrapping.
    NoWrap,
    /// Replica points hashed from `"{node}-{i}"`.
    PointFormat,
    /// `remove` forgets the node but leaves its points.
    RemoveLeavesPoints,
}

pub fn jump_hash(key: u64, buckets: u32) -> Result<u32, HashError> {
    let jump = if MISTAKE == Mistake::IntegerJump { Jump::ExactInteger } else { Jump::PaperF64 };
    jump_with(key, buckets, jump)
}

#[derive(Debug, Clone)]
pub struct HashRing(Points);

impl HashRing {
    pub fn new(replicas: u32) -> Result<HashRing, HashError> {
        Points::new(replicas).map(HashRing)
    }

    pub fn add(&mut self, node: &str) -> bool {
        let by_insertion = MISTAKE == Mistake::InsertionOrderCollisions;
        if MISTAKE == Mistake::PointFormat {
            self.0.add(node, |node: &str, i: u32| format!("{node}-{i}"), by_insertion)
        } else {
            self.0.add(node, standard_name, by_insertion)
        }
    }

    pub fn remove(&mut self, node: &str) -> bool {
        self.0.remove(node, MISTAKE != Mistake::RemoveLeavesPoints)
    }

    pub fn node_for(&self, key: &[u8]) -> Option<&str> {
        let hash = ring_hash(key);
        let points = &self.0.points;
        let found = match MISTAKE {
            Mistake::LinearScan => points.iter().find(|(point, _)| *point >= hash).or(points.first()),
            Mistake::NoWrap => points.get(self.0.first_at_or_after(hash)),
            _ => points.get(self.0.first_at_or_after(hash)).or(points.first()),
        };
        found.map(|(_, owner)| owner.as_str())
    }

    pub fn len(&self) -> usize {
        self.0.nodes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.nodes.is_empty()
    }
}
