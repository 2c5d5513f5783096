//! `{name}` over a million values: the reference against the candidate and
//! a naive answer, on the same input in the same run.

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use kata::bench::Role;
use kata::{bench, reference, subject};

const VALUES: usize = 1_000_000;

fn {name}(c: &mut Criterion) {
    let values: Vec<u32> = (0..VALUES as u32).collect();
    let mut group = c.benchmark_group("{name}");
    group.throughput(Throughput::Elements(VALUES as u64));
    group.bench_function(BenchmarkId::new(Role::Reference.implementation(""), VALUES), |bench| {
        bench.iter(|| reference::{name}::solve(black_box(&values)))
    });
    if bench::candidate_ready("{name}", || {
        let _ = subject::{name}::solve(&[1]);
    }) {
        group.bench_function(BenchmarkId::new(Role::Candidate.implementation(""), VALUES), |bench| {
            bench.iter(|| subject::{name}::solve(black_box(&values)))
        });
    }
    group.bench_function(BenchmarkId::new(Role::Naive.implementation("fold"), VALUES), |bench| {
        bench.iter(|| black_box(&values).iter().fold(0_u64, |sum, &value| sum + u64::from(value)))
    });
    group.finish();
}

criterion_group!(benches, {name});
criterion_main!(benches);
