//! Criterion benchmarks for `top_k` (written next).

fn main() {}
