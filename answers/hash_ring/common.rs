// Shared by the answers in this folder: a sorted-vector ring whose jump
// hash, lookup, collision rule, removal and point format each answer picks.

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
