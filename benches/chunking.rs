//! Chunking about 1.5 MB of text into windows of 256 tokens overlapping by 32.
//!
//! Two questions, one group each, every input built once from a fixed seed,
//! throughput in bytes of input:
//!
//! - `chunking/prose`: English prose (ASCII, the common case). The reference
//!   against the candidate, against the reference's plain char-by-char path
//!   (`reference-by-char`, what the block scan buys), and against the
//!   approach most people write first (`naive`): `split_whitespace`, collect
//!   every token, `join(" ")` each window into a new `String`.
//! - `chunking/multilingual`: a third of the words are accented, CJK or
//!   emoji, and one separator in eight is a Unicode space: what the fast
//!   path costs when it has to decode multi-byte whitespace.

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use kata::bench::Role;
use kata::generate::text::{multilingual, prose};
use kata::oracle::chunking::joined_chunks;
#[cfg(feature = "with-reference")]
use kata::reference;
use kata::seed::rng_for;
use kata::{bench, subject};

const BYTES: usize = 1_500_000;
const SIZE: usize = 256;
const OVERLAP: usize = 32;

fn candidate_ready() -> bool {
    bench::candidate_ready("chunking", || {
        let _ = black_box(subject::chunking::chunk_tokens("a b c d", 3, 1));
    })
}

fn compare(c: &mut Criterion, name: &str, text: &str, candidate: bool) {
    let mut group = c.benchmark_group(format!("chunking/{name}"));
    group.sample_size(20).throughput(Throughput::Bytes(text.len() as u64));
    #[cfg(feature = "with-reference")]
    group.bench_function(BenchmarkId::new(Role::Reference.implementation(""), text.len()), |bench| {
        bench.iter(|| reference::chunking::chunk_tokens(black_box(text), SIZE, OVERLAP))
    });
    if candidate {
        group.bench_function(BenchmarkId::new(Role::Candidate.implementation(""), text.len()), |bench| {
            bench.iter(|| subject::chunking::chunk_tokens(black_box(text), SIZE, OVERLAP))
        });
    }
    #[cfg(feature = "with-reference")]
    group.bench_function(BenchmarkId::new(Role::Reference.implementation("by-char"), text.len()), |bench| {
        bench.iter(|| reference::chunking::chunk_tokens_by_char(black_box(text), SIZE, OVERLAP))
    });
    group.bench_function(BenchmarkId::new(Role::Naive.implementation(""), text.len()), |bench| {
        bench.iter(|| joined_chunks(black_box(text), SIZE, OVERLAP))
    });
    group.finish();
}

fn chunking(c: &mut Criterion) {
    let candidate = candidate_ready();
    let mut rng = rng_for("bench-chunking");
    compare(c, "prose", &prose(&mut rng, BYTES), candidate);
    compare(c, "multilingual", &multilingual(&mut rng, BYTES), candidate);
}

criterion_group!(benches, chunking);
criterion_main!(benches);
