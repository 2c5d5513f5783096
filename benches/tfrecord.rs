//! Reading a damaged TFRecord file: 64 MiB of records of 1 to 16 KiB, 1% of
//! them with a bit flipped (in the header or the data). The reference's
//! `read_records` and `RecordReader` (over a `BufReader`, as a loader reads
//! a file) against the candidate's, and a floor that computes the crc32c of
//! every byte once, which any reader that verifies must do.
//!
//! The same records intact: the reference's `RecordReader` against the
//! `tfrecord` crate's reader (the peer; it stops at the first damage, so it
//! is measured only where there is none).
//!
//! `cargo bench --bench tfrecord`; the ratios that matter are
//! reference / floor (`read_records`, goal 1.3; the reader, goal 1.5) and
//! candidate / reference. `cargo bench --bench tfrecord --features peers`
//! (or `tfrecord-peer`) adds the peer: its build dependencies include an
//! HTTP client with TLS and prost-build, so the default build leaves it out.

use std::hint::black_box;
use std::io::BufReader;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use kata::bench::{self, Role};
use kata::generate::records::{file_of, random_records};
#[cfg(feature = "with-reference")]
use kata::reference;
use kata::seed::rng_for;
use kata::subject;
use kata_types::masked_crc32c;

/// The plain rung: check each header and record in turn, scan byte by byte after damage.
#[cfg(feature = "with-reference")]
#[allow(unused, unreachable_pub, clippy::all, clippy::pedantic, clippy::unwrap_used)]
#[path = "../answers/tfrecord/right_plain_scanner.rs"]
mod plain;
use rand::RngExt;
use rand::rngs::StdRng;

const FILE_BYTES: usize = 64 << 20;
/// One record in this many is damaged.
const DAMAGED_ONE_IN: usize = 100;

/// Records of 1 to 16 KiB filling about `FILE_BYTES`, intact, and the
/// random generator that made them.
fn intact_file() -> (Vec<u8>, Vec<Vec<u8>>, StdRng) {
    let mut rng = rng_for("bench-tfrecord");
    let count = FILE_BYTES / (16 + (1024 + (16 << 10)) / 2);
    let records = random_records(&mut rng, count, 1024..=16 << 10);
    (file_of(&records), records, rng)
}

/// The records of `intact_file`, one in a hundred with one bit flipped
/// somewhere in its 16 + length bytes.
fn damaged_file() -> Vec<u8> {
    let (mut file, records, mut rng) = intact_file();
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
    #[cfg(feature = "tfrecord-peer")]
    {
        let (records, errors) = tfrecord_peer::BytesIter::from_reader(&file[..], peer_config()).fold(
            (0, 0),
            |(records, errors), item| {
                if item.is_ok() { (records + 1, errors) } else { (records, errors + 1) }
            },
        );
        eprintln!(
            "note: on the damaged file the tfrecord crate reads {records} records (and {errors} errors); \
             the reference recovers {}",
            reference::tfrecord::read_records(&file).records.len()
        );
    }

    let mut group = c.benchmark_group("tfrecord_read_records");
    group.throughput(Throughput::Bytes(file.len() as u64));
    #[cfg(feature = "with-reference")]
    {
        group.bench_function(BenchmarkId::new(Role::Reference.implementation(""), &size), |b| {
            b.iter(|| reference::tfrecord::read_records(black_box(&file)).records.len())
        });
        group.bench_function(BenchmarkId::new(Role::Plain.implementation("plain scanner"), &size), |b| {
            b.iter(|| plain::read_records(black_box(&file)).records.len())
        });
    }
    if candidate_ready {
        group.bench_function(BenchmarkId::new(Role::Candidate.implementation(""), &size), |b| {
            b.iter(|| subject::tfrecord::read_records(black_box(&file)).records.len())
        });
    }
    group.bench_function(BenchmarkId::new(Role::Floor.implementation("crc32c of every byte"), &size), |b| {
        b.iter(|| masked_crc32c(black_box(&file)))
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
        b.iter(|| masked_crc32c(black_box(&file)))
    });
    group.finish();
}

fn read_intact(c: &mut Criterion) {
    let (file, _, _) = intact_file();
    let size = format!("{} MiB", file.len() >> 20);
    let mut group = c.benchmark_group("tfrecord_intact");
    group.throughput(Throughput::Bytes(file.len() as u64));
    #[cfg(feature = "with-reference")]
    group.bench_function(BenchmarkId::new(Role::Reference.implementation("BufReader"), &size), |b| {
        b.iter(|| reference::tfrecord::RecordReader::new(BufReader::new(black_box(&file[..]))).count())
    });
    #[cfg(feature = "tfrecord-peer")]
    {
        #[cfg(feature = "with-reference")]
        {
            let theirs = tfrecord_peer::BytesIter::from_reader(BufReader::new(&file[..]), peer_config());
            let ours = reference::tfrecord::RecordReader::new(&file[..]);
            let agree = theirs.map(Result::ok).eq(ours.map(|record| match record {
                Ok(reference::tfrecord::Record::Data(data)) => Some(data),
                _ => None,
            }));
            assert!(agree, "the tfrecord crate and the reference read different records from intact data");
        }
        group.bench_function(BenchmarkId::new(Role::Peer.implementation("tfrecord"), &size), |b| {
            b.iter(|| {
                tfrecord_peer::BytesIter::from_reader(BufReader::new(black_box(&file[..])), peer_config())
                    .count()
            })
        });
    }
    group.bench_function(BenchmarkId::new(Role::Floor.implementation("crc32c of every byte"), &size), |b| {
        b.iter(|| masked_crc32c(black_box(&file)))
    });
    group.finish();
}

/// The peer's reader, verifying both crcs as the reference does.
#[cfg(feature = "tfrecord-peer")]
fn peer_config() -> tfrecord_peer::RecordReaderConfig {
    tfrecord_peer::RecordReaderConfig { check_integrity: true }
}

criterion_group!(benches, read_damaged, read_intact);
criterion_main!(benches);
