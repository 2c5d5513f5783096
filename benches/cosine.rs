//! Criterion benchmarks for `cosine` (written next).

fn main() {}
