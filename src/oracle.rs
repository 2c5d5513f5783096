//! Slow, obviously-correct implementations to grade against.
//!
//! An oracle favours clarity and exactness over speed: it computes in f64,
//! sorts where a fast version would select, and scans where it would index.
//! The benchmarks also use some as the naive baseline.

pub mod batching;
pub mod bm25;
pub mod bpe;
pub mod chunking;
pub mod merge;
pub mod vectors;
