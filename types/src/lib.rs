//! The given types of AI Kata.
//!
//! Both sides of the kit, the candidate's `exercises` crate and the reference
//! `solutions` crate, build on these types, so a hidden test can compare their
//! answers value for value. A candidate never edits this crate: the types are
//! part of the problem statement.
//!
//! Each exercise module re-exports the types it uses, so
//! `exercises::bm25::Hit` and `solutions::bm25::Hit` both name [`Hit`].

mod attention;
mod batching;
mod beam_search;
mod bm25;
mod bpe;
mod chunking;
mod dedup;
mod entities;
mod hash_ring;
mod lru;
mod metrics;
mod rate_limit;
mod softmax;
mod t_test;
mod tfrecord;
mod vector;

pub use attention::AttentionError;
pub use batching::{Batch, BatchError, BatchOrder};
pub use beam_search::{BeamError, Hypothesis};
pub use bm25::{Bm25Error, Bm25Params, tokenize};
pub use bpe::BpeError;
pub use chunking::ChunkError;
pub use dedup::DedupError;
pub use entities::{Entity, Extraction, Problem, ResponseError};
pub use hash_ring::{HashError, ring_hash};
pub use lru::CacheError;
pub use metrics::{MetricError, Summary};
pub use rate_limit::RateLimitError;
pub use softmax::LossError;
pub use t_test::{StatsError, TTest};
pub use tfrecord::{Corruption, Damage, ReadReport, Record, mask, masked_crc32c, write_record};
pub use vector::{Hit, VectorError};
