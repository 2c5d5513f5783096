//! Inputs for tests and benchmarks: random, adversarial, and reproducible.
//!
//! Every generator takes the `rand` generator to draw from (see
//! [`crate::seed::rng_for`]), so a case is a function of the seed. Proptest
//! strategies live beside the plain generators of the same data.

pub mod bpe;
pub mod corpus;
pub mod embeddings;
pub mod language_model;
pub mod logits;
pub mod rankings;
pub mod records;
pub mod responses;
pub mod samples;
pub mod sequences;
pub mod serving;
pub mod streams;
pub mod text;
pub mod vectors;
