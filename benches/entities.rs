//! Parsing a 50 MB named-entity response (100,000 documents of about 200
//! characters, 4 entities each): the reference and the candidate against
//! serde_json validating the same bytes into `IgnoredAny` (the floor: every
//! byte parsed, nothing kept) and the contract written on a
//! `serde_json::Value` tree (naive: the kit's oracle).
//!
//! `cargo bench --bench entities`; the ratios that matter are
//! reference / floor (goal: within 2), naive / reference (goal: at least 2)
//! and candidate / reference.

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use kata::bench::{self, Role};
use kata::generate::responses::large_response;
#[cfg(feature = "with-reference")]
use kata::reference;
use kata::seed::rng_for;
use kata::{oracle, subject};
use serde::de::IgnoredAny;

const DOCUMENTS: usize = 100_000;
const TEXT_CHARS: usize = 200;
const ENTITIES_PER_DOCUMENT: usize = 4;
const MIN_SCORE: f32 = 0.5;

fn extract(c: &mut Criterion) {
    let candidate_ready = bench::candidate_ready("entities", || {
        let _ = subject::entities::extract_entities(r#"{"documents": []}"#, 0.0);
    });
    let mut rng = rng_for("bench-entities");
    let response = large_response(&mut rng, DOCUMENTS, TEXT_CHARS, ENTITIES_PER_DOCUMENT);
    let size = format!("{} MB", response.len() / 1_000_000);

    let mut group = c.benchmark_group("entities");
    group.throughput(Throughput::Bytes(response.len() as u64));
    group.sample_size(10);
    #[cfg(feature = "with-reference")]
    group.bench_function(BenchmarkId::new(Role::Reference.implementation(""), &size), |b| {
        b.iter(|| {
            reference::entities::extract_entities(black_box(&response), MIN_SCORE).map(|e| e.entities.len())
        })
    });
    if candidate_ready {
        group.bench_function(BenchmarkId::new(Role::Candidate.implementation(""), &size), |b| {
            b.iter(|| {
                subject::entities::extract_entities(black_box(&response), MIN_SCORE).map(|e| e.entities.len())
            })
        });
    }
    group.bench_function(
        BenchmarkId::new(Role::Floor.implementation("serde_json into IgnoredAny"), &size),
        |b| b.iter(|| serde_json::from_str::<IgnoredAny>(black_box(&response)).is_ok()),
    );
    group.bench_function(BenchmarkId::new(Role::Naive.implementation("serde_json::Value"), &size), |b| {
        b.iter(|| oracle::entities::extract(black_box(&response), MIN_SCORE).map(|e| e.entities.len()))
    });
    group.finish();
}

criterion_group!(benches, extract);
criterion_main!(benches);
