//! The given types of AI Kata.
//!
//! Both sides of the kit, the candidate's `exercises` crate and the reference
//! `solutions` crate, build on these types, so a hidden test can compare their
//! answers value for value. A candidate never edits this crate: the types are
//! part of the problem statement.
//!
//! Each exercise module re-exports the types it uses, so
//! `exercises::bm25::Hit` and `solutions::bm25::Hit` both name [`Hit`].

mod batching;
mod bm25;
mod bpe;
mod chunking;
mod vector;

pub use batching::{Batch, BatchError, BatchOrder};
pub use bm25::{Bm25Error, Bm25Params, tokenize};
pub use bpe::BpeError;
pub use chunking::ChunkError;
pub use vector::{Hit, VectorError};
