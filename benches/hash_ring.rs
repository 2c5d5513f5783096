//! Consistent hashing: `node_for` over 1,000,000 keys on a ring of 100
//! nodes × 160 replicas (16,000 points), and `jump_hash` over the same
//! number of keys into 1,000 buckets. The reference against the candidate,
//! a `BTreeMap<u64, node>` range lookup (naive: the usual first answer) and
//! the cost of `ring_hash` alone (floor: every lookup hashes its key first).
//!
//! `cargo bench --bench hash_ring`; the ratios that matter are candidate /
//! reference and BTreeMap / reference.

use std::collections::BTreeMap;
use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use kata::bench::Role;
#[cfg(feature = "with-reference")]
use kata::reference;
use kata::seed::rng_for;
use kata::subject::hash_ring::ring_hash;
use kata::{bench, subject};
use rand::RngExt;

const NODES: usize = 100;
const REPLICAS: u32 = 160;
const KEYS: usize = 1_000_000;

/// The naive ring: points in a B-tree, a range query per key.
struct BTreeRing {
    points: BTreeMap<u64, usize>,
    names: Vec<String>,
}

impl BTreeRing {
    fn new(names: &[String]) -> BTreeRing {
        let mut points = BTreeMap::new();
        for (index, name) in names.iter().enumerate() {
            for replica in 0..REPLICAS {
                let owner = points.entry(ring_hash(format!("{name}#{replica}").as_bytes())).or_insert(index);
                if names[index] < names[*owner] {
                    *owner = index;
                }
            }
        }
        BTreeRing { points, names: names.to_vec() }
    }

    fn node_for(&self, key: &[u8]) -> Option<&str> {
        let hash = ring_hash(key);
        let (_, &owner) = self.points.range(hash..).next().or_else(|| self.points.iter().next())?;
        Some(&self.names[owner])
    }
}

/// Total bytes of the owners' names: consumes every answer.
fn name_bytes<'a>(owners: impl Iterator<Item = Option<&'a str>>) -> usize {
    owners.map(|owner| owner.map_or(0, str::len)).sum()
}

fn hash_ring(c: &mut Criterion) {
    let candidate_ready = bench::candidate_ready("hash_ring", || {
        if let Ok(mut ring) = subject::hash_ring::HashRing::new(1) {
            ring.add("a");
            let _ = ring.node_for(b"key");
        }
    });
    let mut rng = rng_for("bench-hash-ring");
    let names: Vec<String> = (0..NODES).map(|i| format!("cache-{i:03}.internal:6379")).collect();
    let keys: Vec<String> = (0..KEYS).map(|_| format!("session:{:016x}", rng.random::<u64>())).collect();

    let mut group = c.benchmark_group("node_for, 1M keys, 100 nodes x 160 replicas");
    group.sample_size(10);
    group.throughput(Throughput::Elements(KEYS as u64));
    #[cfg(feature = "with-reference")]
    if let Ok(mut ring) = reference::hash_ring::HashRing::new(REPLICAS) {
        names.iter().for_each(|name| {
            ring.add(name);
        });
        group.bench_with_input(
            BenchmarkId::new(Role::Reference.implementation(""), KEYS),
            &keys,
            |b, keys| b.iter(|| name_bytes(keys.iter().map(|key| ring.node_for(black_box(key.as_bytes()))))),
        );
    }
    if candidate_ready && let Ok(mut ring) = subject::hash_ring::HashRing::new(REPLICAS) {
        names.iter().for_each(|name| {
            ring.add(name);
        });
        group.bench_with_input(
            BenchmarkId::new(Role::Candidate.implementation(""), KEYS),
            &keys,
            |b, keys| b.iter(|| name_bytes(keys.iter().map(|key| ring.node_for(black_box(key.as_bytes()))))),
        );
    }
    let btree = BTreeRing::new(&names);
    group.bench_with_input(
        BenchmarkId::new(Role::Naive.implementation("BTreeMap range"), KEYS),
        &keys,
        |b, keys| b.iter(|| name_bytes(keys.iter().map(|key| btree.node_for(black_box(key.as_bytes()))))),
    );
    group.bench_with_input(
        BenchmarkId::new(Role::Floor.implementation("ring_hash only"), KEYS),
        &keys,
        |b, keys| b.iter(|| keys.iter().fold(0_u64, |acc, key| acc ^ ring_hash(black_box(key.as_bytes())))),
    );
    group.finish();

    let mut group = c.benchmark_group("jump_hash, 1M keys into 1000 buckets");
    group.sample_size(10);
    group.throughput(Throughput::Elements(KEYS as u64));
    let hashes: Vec<u64> = keys.iter().map(|key| ring_hash(key.as_bytes())).collect();
    #[cfg(feature = "with-reference")]
    group.bench_with_input(
        BenchmarkId::new(Role::Reference.implementation(""), KEYS),
        &hashes,
        |b, hashes| {
            b.iter(|| {
                hashes
                    .iter()
                    .map(|&key| reference::hash_ring::jump_hash(black_box(key), 1_000).unwrap_or(0))
                    .sum::<u32>()
            })
        },
    );
    if candidate_ready {
        group.bench_with_input(
            BenchmarkId::new(Role::Candidate.implementation(""), KEYS),
            &hashes,
            |b, hashes| {
                b.iter(|| {
                    hashes
                        .iter()
                        .map(|&key| subject::hash_ring::jump_hash(black_box(key), 1_000).unwrap_or(0))
                        .sum::<u32>()
                })
            },
        );
    }
    group.finish();
}

criterion_group!(benches, hash_ring);
criterion_main!(benches);
