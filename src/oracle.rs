//! Slow, obviously-correct implementations to grade against.
//!
//! An oracle favours clarity and exactness over speed: it computes in f64,
//! sorts where a fast version would select, and scans where it would index.
//! The benchmarks also use some as the naive baseline.

pub mod attention;
pub mod batching;
pub mod beam_search;
pub mod bm25;
pub mod bpe;
pub mod chunking;
pub mod dedup;
pub mod entities;
pub mod hash_ring;
pub mod lru;
pub mod merge;
pub mod metrics;
pub mod rate_limit;
pub mod softmax;
pub mod t_test;
pub mod tfrecord;
pub mod vectors;
