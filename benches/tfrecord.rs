//! Reading a damaged TFRecord file: 64 MiB of records of 1 to 16 KiB, 1% of
//! them with a bit flipped (in the header or the data). The reference's
//! `read_records` and `RecordReader` (over a `BufReader`, as a loader reads
//! a file) against the candidate's, and a floor that computes the crc32c of
//! every byte once, which any reader that verifies must do.
//!
//! `cargo bench --bench tfrecord`; the ratios that matter are
//! reference / floor (`read_records`, goal 1.3; the reader, goal 1.5) and
//! candidate / reference.

use std::hint::black_box;
use std::io::BufReader;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use kata::bench::{self, Role};
use kata::generate::records::{file_of, random_records};
#[cfg(feature = "with-reference")]
use kata::reference;
use kata::seed::rng_for;
use kata::subject;
use rand::RngExt;

const FILE_BYTES: usize = 64 << 20;
/// One record in this many is damaged.
const DAMAGED_ONE_IN: usize = 100;

/// Records of 1 to 16 KiB filling about `FILE_BYTES`, one in a hundred with
/// one bit flipped somewhere in its 16 + length bytes.
fn damaged_file() -> Vec<u8> {
    let mut rng = rng_for("bench-tfrecord");
    let count = FILE_BYTES / (16 + (1024 + (16 << 10)) / 2);
    let records = random_records(&mut rng, count, 1024..=16 << 10);
    let mut file = file_of(&records);
    let mut offset = 0;
    for (index, record) in records.iter().enumerate() {
        let framed = 16 + record.len();
        if index % DAMAGED_ONE_IN == DAMAGED_ONE_IN / 2 {
            let at = offset + rng.random_range(0..framed);
            file[at] ^= 1 << rng.random_range(0..8);
        }
        offset += framed;
    }
    file
}

fn read_damaged(c: &mut Criterion) {
    let candidate_ready = bench::candidate_ready("tfrecord", || {
        let _ = subject::tfrecord::read_records(&[0; 20]);
        let _ = subject::tfrecord::RecordReader::new(&[0_u8; 20][..]).count();
    });
    let file = damaged_file();
    let size = format!("{} MiB", file.len() >> 20);

    let mut group = c.benchmark_group("tfrecord_read_records");
    group.throughput(Throughput::Bytes(file.len() as u64));
    #[cfg(feature = "with-reference")]
    group.bench_function(BenchmarkId::new(Role::Reference.implementation(""), &size), |b| {
        b.iter(|| reference::tfrecord::read_records(black_box(&file)).records.len())
    });
    if candidate_ready {
        group.bench_function(BenchmarkId::new(Role::Candidate.implementation(""), &size), |b| {
            b.iter(|| subject::tfrecord::read_records(black_box(&file)).records.len())
        });
    }
    group.bench_function(BenchmarkId::new(Role::Floor.implementation("crc32c of every byte"), &size), |b| {
        b.iter(|| subject::tfrecord::masked_crc32c(black_box(&file)))
    });
    group.finish();

    let mut group = c.benchmark_group("tfrecord_reader");
    group.throughput(Throughput::Bytes(file.len() as u64));
    #[cfg(feature = "with-reference")]
    group.bench_function(BenchmarkId::new(Role::Reference.implementation("BufReader"), &size), |b| {
        b.iter(|| reference::tfrecord::RecordReader::new(BufReader::new(black_box(&file[..]))).count())
    });
    if candidate_ready {
        group.bench_function(BenchmarkId::new(Role::Candidate.implementation("BufReader"), &size), |b| {
            b.iter(|| subject::tfrecord::RecordReader::new(BufReader::new(black_box(&file[..]))).count())
        });
    }
    group.bench_function(BenchmarkId::new(Role::Floor.implementation("crc32c of every byte"), &size), |b| {
        b.iter(|| subject::tfrecord::masked_crc32c(black_box(&file)))
    });
    group.finish();
}

criterion_group!(benches, read_damaged);
criterion_main!(benches);
