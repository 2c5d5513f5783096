//! Criterion benchmarks for `bm25` (written next).

fn main() {}
