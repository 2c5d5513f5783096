//! Hidden tests for the `hash_ring` exercise (`exercises/src/hash_ring.rs`).
//!
//! Tiers, by name prefix: `examples_` (the statement's examples), `edge_`
//! (zero buckets and replicas, empty ring, adding twice, removing what is
//! not there, one point), `property_` (jump hash against the paper's loop,
//! its monotonicity; rings of random nodes against a ring built by sorting,
//! minimal movement on add and remove), `robust_` (published jump-hash
//! values, inputs where integer arithmetic gives other buckets, keys past
//! the last point, a real 64-bit point collision, Unicode names, balance),
//! `scale_` (a million lookups on 64,000 points, in time).

use kata::expect_eq;
use kata::grade;
use kata::oracle::hash_ring::{self as oracle, SortedRing};
use kata::property;
use kata::seed::rng_for;
use kata::subject::hash_ring::{HashError, HashRing, jump_hash, ring_hash};
use proptest::prelude::*;
use rand::RngExt;

const EXERCISE: &str = "hash_ring";

/// Two node names whose FNV-1a states are equal, so every replica point of
/// one lands exactly on the same replica point of the other (`ring_hash`
/// appends `#i` to equal states). Found by a Pollard-rho collision search.
const COLLIDING_NAMES: [&str; 2] = ["Pxf4hHoArjB", "-xR1kfCGfmN"];

/// The subject's `jump_hash`, under the time limit.
fn jump(key: u64, buckets: u32) -> Result<u32, HashError> {
    grade::run(EXERCISE, move || jump_hash(key, buckets))
}

/// The subject's ring of `nodes` (added in order), under the time limit.
fn ring_of(nodes: &[&str], replicas: u32) -> HashRing {
    let nodes: Vec<String> = nodes.iter().map(|&node| node.to_owned()).collect();
    grade::run(EXERCISE, move || {
        let mut ring = HashRing::new(replicas).expect("replicas > 0 is valid");
        for node in &nodes {
            ring.add(node);
        }
        ring
    })
}

/// The subject's owner of each key (as owned strings), under the time limit.
fn owners(ring: &HashRing, keys: &[Vec<u8>]) -> Vec<Option<String>> {
    let (ring, keys) = (ring.clone(), keys.to_vec());
    grade::run(EXERCISE, move || keys.iter().map(|key| ring.node_for(key).map(str::to_owned)).collect())
}

/// `count` random keys of 1 to 24 bytes.
fn random_keys(label: &str, count: usize) -> Vec<Vec<u8>> {
    let mut rng = rng_for(label);
    (0..count)
        .map(|_| {
            let len = rng.random_range(1..=24);
            (0..len).map(|_| rng.random::<u8>()).collect()
        })
        .collect()
}

/// `Ok` when `ring` places every key where the sorted oracle ring does.
fn check_against_oracle(
    ring: &HashRing,
    nodes: &[String],
    replicas: u32,
    keys: &[Vec<u8>],
) -> Result<(), String> {
    let expected = SortedRing::new(nodes, replicas);
    for key in keys {
        let (got, want) = (ring.node_for(key), expected.node_for(key));
        if got != want {
            let hash = ring_hash(key);
            let past_end = expected.last_point().is_some_and(|last| hash > last);
            return Err(format!(
                "ring of {} nodes ({replicas} replicas each): key {:?} (ring_hash {hash:#018x}) went to {got:?}, \
                 expected {want:?}{}",
                nodes.len(),
                shorten(key),
                if past_end {
                    " (its hash is past the last point: wrap around to the first point)"
                } else {
                    " (node n owns ring_hash(format!(\"{n}#{i}\")); a key goes to the first point >= its hash)"
                }
            ));
        }
    }
    Ok(())
}

/// At most 16 bytes of a key, for messages.
fn shorten(key: &[u8]) -> &[u8] {
    &key[..key.len().min(16)]
}

// ---------------------------------------------------------------- examples

#[test]
fn examples_jump_hash_of_key_zero_is_bucket_zero() {
    // The first jump of key 0 lands on 2³¹: every count up to 2³¹ keeps it in bucket 0.
    for buckets in [1, 2, 10, 1_000, 1 << 31] {
        expect_eq!(jump(0, buckets), Ok(0), "jump_hash(0, {buckets}): key 0 stays in bucket 0");
    }
}

#[test]
fn examples_jump_hash_with_one_bucket_is_zero() {
    for key in [1, 42, u64::MAX] {
        expect_eq!(jump(key, 1), Ok(0), "jump_hash({key}, 1)");
    }
}

#[test]
fn examples_jump_hash_small_values() {
    expect_eq!(jump(1, 10), Ok(6), "jump_hash(1, 10)");
    expect_eq!(jump(42, 10), Ok(2), "jump_hash(42, 10)");
    expect_eq!(jump(12345, 10), Ok(1), "jump_hash(12345, 10)");
}

#[test]
fn examples_a_single_node_owns_the_whole_ring() {
    let owner = grade::run(EXERCISE, || {
        let mut ring = HashRing::new(1).expect("one replica is valid");
        let added = ring.add("a");
        let again = ring.add("a");
        let missing = ring.remove("b");
        let owner = ring.node_for(b"any key").map(str::to_owned);
        let removed = ring.remove("a");
        let after = ring.node_for(b"any key").map(str::to_owned);
        (added, again, missing, owner, removed, after)
    });
    expect_eq!(owner, (true, false, false, Some("a".to_owned()), true, None));
}

// ---------------------------------------------------------------- edge

#[test]
fn edge_zero_buckets_is_an_error() {
    expect_eq!(jump(7, 0), Err(HashError::ZeroBuckets));
    expect_eq!(jump(0, 0), Err(HashError::ZeroBuckets));
}

#[test]
fn edge_zero_replicas_is_an_error() {
    let result = grade::run(EXERCISE, || HashRing::new(0).err());
    expect_eq!(result, Some(HashError::ZeroReplicas));
}

#[test]
fn edge_an_empty_ring_places_nothing() {
    let result = grade::run(EXERCISE, || {
        let ring = HashRing::new(10).expect("valid");
        (
            ring.node_for(b"key").map(str::to_owned),
            ring.node_for(b"").map(str::to_owned),
            ring.len(),
            ring.is_empty(),
        )
    });
    expect_eq!(result, (None, None, 0, true));
}

#[test]
fn edge_adding_twice_changes_nothing() {
    let nodes: Vec<String> = vec!["a".into(), "b".into()];
    let keys = random_keys("edge-add-twice", 2_000);
    let (ring, readded, len) = grade::run(EXERCISE, || {
        let mut ring = HashRing::new(20).expect("valid");
        ring.add("a");
        ring.add("b");
        let readded = ring.add("a");
        let len = ring.len();
        (ring, readded, len)
    });
    assert!(!readded, "add of a node already on the ring returns false");
    expect_eq!(len, 2, "adding a node twice must not count it twice");
    if let Err(message) = check_against_oracle(&ring, &nodes, 20, &keys) {
        panic!("after adding \"a\" twice: {message}");
    }
}

#[test]
fn edge_removing_the_last_node_empties_the_ring() {
    let result = grade::run(EXERCISE, || {
        let mut ring = HashRing::new(50).expect("valid");
        ring.add("only");
        let removed = (ring.remove("only"), ring.remove("only"));
        (removed, ring.len(), ring.node_for(b"key").map(str::to_owned))
    });
    expect_eq!(result, ((true, false), 0, None), "remove returns true once, then false; the ring is empty");
}

#[test]
fn edge_the_empty_key_and_the_empty_node_name() {
    let ring = ring_of(&["", "b"], 30);
    let keys = vec![Vec::new(), b"#0".to_vec(), b"x".to_vec()];
    if let Err(message) = check_against_oracle(&ring, &["".into(), "b".into()], 30, &keys) {
        panic!("{message}");
    }
}

// ---------------------------------------------------------------- property

#[test]
fn property_jump_hash_matches_the_papers_loop() {
    grade::run(EXERCISE, || {
        property::check((any::<u64>(), 1_u32..=u32::MAX), 2_000, |(key, buckets)| {
            let (got, want) = (jump_hash(key, buckets), oracle::jump_hash(key, buckets));
            prop_assert_eq!(got, Ok(want), "jump_hash({}, {})", key, buckets);
            Ok(())
        });
    });
}

#[test]
fn property_jump_hash_moves_a_key_only_to_the_new_bucket() {
    grade::run(EXERCISE, || {
        property::check((any::<u64>(), 1_u32..100_000), 1_000, |(key, buckets)| {
            let (before, after) = (jump_hash(key, buckets), jump_hash(key, buckets + 1));
            let (Ok(before), Ok(after)) = (before, after) else {
                return Err(TestCaseError::fail(format!("jump_hash({key}, {buckets}) returned an error")));
            };
            prop_assert!(before < buckets, "jump_hash({}, {}) = {} is out of range", key, buckets, before);
            prop_assert!(
                after == before || after == buckets,
                "growing {} to {} buckets moved key {} from {} to {}: only moves to the new bucket are allowed",
                buckets,
                buckets + 1,
                key,
                before,
                after
            );
            Ok(())
        });
    });
}

#[test]
fn property_rings_match_a_ring_built_by_sorting() {
    let strategy = (
        proptest::collection::vec("[a-z]{1,6}", 1..12),
        1_u32..40,
        proptest::collection::vec(any::<Vec<u8>>(), 1..60),
    );
    grade::run(EXERCISE, move || {
        property::check(strategy, 200, |(mut nodes, replicas, keys)| {
            nodes.sort();
            nodes.dedup();
            let mut ring = HashRing::new(replicas).expect("valid");
            for node in &nodes {
                prop_assert!(ring.add(node), "add({:?}) of a new node returned false", node);
            }
            prop_assert_eq!(ring.len(), nodes.len());
            check_against_oracle(&ring, &nodes, replicas, &keys).map_err(TestCaseError::fail)
        });
    });
}

#[test]
fn property_add_then_remove_in_any_order_matches_the_remaining_nodes() {
    let strategy = (proptest::collection::vec((0_usize..8, any::<bool>()), 1..40), 1_u32..30);
    let keys = random_keys("property-add-remove", 300);
    grade::run(EXERCISE, move || {
        property::check(strategy, 150, |(steps, replicas)| {
            let mut ring = HashRing::new(replicas).expect("valid");
            let mut present: Vec<String> = Vec::new();
            for (node, add) in steps {
                let name = format!("node-{node}");
                let was_there = present.contains(&name);
                if add {
                    prop_assert_eq!(ring.add(&name), !was_there, "add({:?})", name);
                    if !was_there {
                        present.push(name);
                    }
                } else {
                    prop_assert_eq!(ring.remove(&name), was_there, "remove({:?})", name);
                    present.retain(|other| *other != name);
                }
            }
            prop_assert_eq!(ring.len(), present.len());
            prop_assert_eq!(ring.is_empty(), present.is_empty(), "is_empty() with {} nodes", present.len());
            check_against_oracle(&ring, &present, replicas, &keys).map_err(|message| {
                TestCaseError::fail(format!("{message} (a removed node must leave no point behind)"))
            })
        });
    });
}

#[test]
fn property_adding_a_node_moves_keys_only_to_it_and_removing_moves_only_its_keys() {
    let strategy = (2_usize..12, 1_u32..60, 0_usize..12);
    let keys = random_keys("property-minimal-movement", 2_000);
    grade::run(EXERCISE, move || {
        property::check(strategy, 60, |(count, replicas, pick)| {
            let names: Vec<String> = (0..count).map(|i| format!("shard-{i}")).collect();
            let newcomer = &names[pick % count];
            let mut ring = HashRing::new(replicas).expect("valid");
            for name in names.iter().filter(|name| *name != newcomer) {
                ring.add(name);
            }
            let before: Vec<Option<String>> =
                keys.iter().map(|k| ring.node_for(k).map(str::to_owned)).collect();
            ring.add(newcomer);
            for (key, old) in keys.iter().zip(&before) {
                let new = ring.node_for(key);
                prop_assert!(
                    new == old.as_deref() || new == Some(newcomer.as_str()),
                    "adding {:?} moved key {:?} from {:?} to {:?}: only keys that now belong to the new node may move",
                    newcomer,
                    shorten(key),
                    old,
                    new
                );
            }
            ring.remove(newcomer);
            for (key, old) in keys.iter().zip(&before) {
                prop_assert_eq!(ring.node_for(key), old.as_deref(), "after removing {:?} again", newcomer);
            }
            Ok(())
        });
    });
}

// ---------------------------------------------------------------- robust

#[test]
fn robust_published_jump_hash_values() {
    // From the test suites of Guava-compatible implementations of the paper.
    let published = [
        (10863919174838991, 11, 6),
        (2016238256797177309, 11, 3),
        (1673758223894951030, 11, 5),
        (2, 100001, 80343),
        (2201, 100001, 22152),
        (2202, 100001, 15018),
    ];
    for (key, buckets, expected) in published {
        expect_eq!(jump(key, buckets), Ok(expected), "jump_hash({key}, {buckets}), a published value");
    }
    let golden_100 = [0, 55, 62, 8, 45, 59, 86, 97, 82, 59, 73, 37, 17, 56, 86, 21, 90, 37, 38, 83];
    for (key, expected) in golden_100.into_iter().enumerate() {
        expect_eq!(jump(key as u64, 100), Ok(expected), "jump_hash({key}, 100), a published value");
    }
}

#[test]
fn robust_jump_hash_uses_the_papers_f64_step_not_integer_division() {
    // Exact integer arithmetic floors (b + 1)·2³¹/(r + 1) one lower here.
    for (key, buckets, expected) in
        [(8878804074081741543, 4_000_000_000, 1037141903), (11846341790162057565, 4_000_000_000, 2633849281)]
    {
        expect_eq!(
            jump(key, buckets),
            Ok(expected),
            "jump_hash({key}, {buckets}): compute j = (b + 1) as f64 * ((1 << 31) as f64 / ((key >> 33) + 1) as f64), \
             in f64 and in that order, as the paper does"
        );
    }
}

#[test]
fn robust_keys_past_the_last_point_wrap_to_the_first() {
    let nodes: Vec<String> = vec!["alpha".into(), "beta".into(), "gamma".into()];
    let expected = SortedRing::new(&nodes, 3);
    let last = expected.last_point().expect("points");
    let keys: Vec<Vec<u8>> =
        (0_u64..).map(|i| i.to_le_bytes().to_vec()).filter(|key| ring_hash(key) > last).take(20).collect();
    let ring = ring_of(&["alpha", "beta", "gamma"], 3);
    let got = owners(&ring, &keys);
    let want = expected.node_for(&keys[0]).map(str::to_owned);
    for (key, owner) in keys.iter().zip(got) {
        expect_eq!(
            owner,
            want,
            "key {key:?} hashes past the last point ({last:#018x}): it wraps around to the owner of the first point"
        );
    }
}

#[test]
fn robust_colliding_points_go_to_the_name_that_sorts_first() {
    let [late, early] = COLLIDING_NAMES;
    assert!(early < late);
    expect_eq!(ring_hash(format!("{early}#0").as_bytes()), ring_hash(format!("{late}#0").as_bytes()));
    let keys = random_keys("robust-collisions", 500);
    for order in [[late, early], [early, late]] {
        let ring = ring_of(&order, 5);
        for owner in owners(&ring, &keys) {
            expect_eq!(
                owner.as_deref(),
                Some(early),
                "nodes {order:?} own exactly the same points; collisions go to the node whose name sorts first \
                 ({early:?}), whatever the order they were added in"
            );
        }
    }
    // After the winner leaves, its twin takes over every point.
    let after = grade::run(EXERCISE, move || {
        let mut ring = HashRing::new(5).expect("valid");
        ring.add(early);
        ring.add(late);
        ring.remove(early);
        ring.node_for(b"key").map(str::to_owned)
    });
    expect_eq!(after.as_deref(), Some(late), "remove only the removed node's points, not its twin's");
}

#[test]
fn robust_unicode_node_names_and_keys() {
    let nodes = ["größe", "日本語", "emoji-🦀", "e\u{301}", "é"];
    let owned: Vec<String> = nodes.iter().map(|&node| node.to_owned()).collect();
    let ring = ring_of(&nodes, 25);
    let mut keys = random_keys("robust-unicode", 500);
    keys.extend(["🦀", "é", "e\u{301}", "日本"].iter().map(|key| key.as_bytes().to_vec()));
    if let Err(message) = check_against_oracle(&ring, &owned, 25, &keys) {
        panic!("{message} (hash the UTF-8 bytes of format!(\"{{node}}#{{i}}\"))");
    }
}

#[test]
fn robust_balance_with_100_replicas_is_within_one_point_three_of_the_mean() {
    let nodes: Vec<String> = (0..10).map(|i| format!("node-{i}")).collect();
    let keys = random_keys("robust-balance", 100_000);
    let names = nodes.clone();
    let counts = grade::run(EXERCISE, move || {
        let mut ring = HashRing::new(100).expect("valid");
        for node in &names {
            ring.add(node);
        }
        let mut counts = vec![0_usize; names.len()];
        for key in &keys {
            if let Some(owner) = ring.node_for(key)
                && let Some(at) = names.iter().position(|name| name == owner)
            {
                counts[at] += 1;
            }
        }
        counts
    });
    let total: usize = counts.iter().sum();
    expect_eq!(total, 100_000, "every key belongs to one of the nodes");
    let largest = counts.iter().copied().max().unwrap_or(0);
    assert!(
        largest as f64 <= 1.3 * 10_000.0,
        "the busiest of 10 nodes holds {largest} of 100,000 keys, more than 1.3x the mean: {counts:?} \
         (each node needs its 100 points spread by ring_hash)"
    );
}

// ---------------------------------------------------------------- scale

#[test]
fn scale_a_million_lookups_on_400_nodes_of_160_replicas() {
    let names: Vec<String> = (0..400).map(|i| format!("cache-{i:03}.internal")).collect();
    let sample = random_keys("scale-sample", 1_000);
    let expected = SortedRing::new(&names, 160);
    let (placed, sampled) = grade::run_within(EXERCISE, grade::SCALE_LIMIT, move || {
        let mut ring = HashRing::new(160).expect("valid");
        for name in &names {
            ring.add(name);
        }
        let placed = (0_u64..1_000_000).filter(|key| ring.node_for(&key.to_le_bytes()).is_some()).count();
        let sampled: Vec<Option<String>> =
            sample.iter().map(|key| ring.node_for(key).map(str::to_owned)).collect();
        (placed, (sample, sampled))
    });
    expect_eq!(placed, 1_000_000, "every key has a node");
    let (sample, sampled) = sampled;
    for (key, owner) in sample.iter().zip(sampled) {
        expect_eq!(owner.as_deref(), expected.node_for(key), "key {:?}", shorten(key));
    }
}
