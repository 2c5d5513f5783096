//! Hidden tests for the `tfrecord` exercise (`exercises/src/tfrecord.rs`).
//!
//! Tiers, by name prefix: `examples_` (the statement's examples), `edge_`
//! (empty input, empty records, short tails, each kind of damage and where
//! resynchronising lands), `property_` (randomly damaged files against the
//! oracle, in memory and through reads of random sizes), `robust_` (a
//! verified length of 2^60 under an allocation cap, one byte per `read`,
//! memory of the streaming reader, records hidden inside records, I/O
//! errors), `scale_` (32 MiB with damage, long garbage, in linear time).

use std::io::{self, BufReader, Read};
use std::process::Command;

use kata::expect_eq;
use kata::generate::records::{ChunkedReader, damage, damaged_file, file_of, random_records};
use kata::grade;
use kata::oracle::tfrecord as oracle;
use kata::property;
use kata::seed::rng_for;
use kata::subject::tfrecord::{Corruption, Damage, Record, RecordReader, masked_crc32c, read_records};
use proptest::prelude::*;
use rand::RngExt;

const EXERCISE: &str = "tfrecord";

#[global_allocator]
static ALLOCATOR: kata::alloc::CountingAllocator = kata::alloc::CountingAllocator;

/// What `read_records` found, owned: (records, damage).
type Report = (Vec<Vec<u8>>, Vec<Damage>);

/// The subject's `read_records` on `file`, under the time limit.
fn subject_read(file: Vec<u8>) -> Report {
    grade::run(EXERCISE, move || owned(&file))
}

fn owned(file: &[u8]) -> Report {
    let report = read_records(file);
    (report.records.iter().map(|record| record.to_vec()).collect(), report.damage)
}

/// Everything the subject's `RecordReader` yields over `reader`, stopping at
/// the first error.
fn stream(reader: impl Read) -> io::Result<Vec<Record>> {
    RecordReader::new(reader).collect()
}

/// The subject's `RecordReader` over `file`, with `read` calls returning at
/// most `sizes` bytes in turn, under the time limit.
fn subject_stream(file: Vec<u8>, sizes: Vec<usize>) -> Vec<Record> {
    grade::run(EXERCISE, move || stream(ChunkedReader::new(file, sizes)))
        .unwrap_or_else(|error| panic!("RecordReader over bytes in memory returned an error: {error}"))
}

fn damage_at(offset: u64, skipped: u64, kind: Corruption) -> Damage {
    Damage { offset, skipped, kind }
}

/// A few bytes of a file, for messages.
fn preview(bytes: &[u8]) -> String {
    let shown: Vec<String> = bytes.iter().take(24).map(|b| format!("{b:02x}")).collect();
    format!("[{}{}] ({} bytes)", shown.join(" "), if bytes.len() > 24 { " ..." } else { "" }, bytes.len())
}

/// Why a report differs from the oracle's, with a hint at the usual cause.
fn report_difference(file: &[u8], actual: &Report) -> Option<String> {
    let items = oracle::read_all(file);
    let (records, damage) = oracle::split(&items);
    if actual.1 != damage {
        let hint = damage_hint(&actual.1, &damage);
        return Some(format!("damage {:?},\n expected {damage:?}{hint}", actual.1));
    }
    if actual.0.len() != records.len() || actual.0.iter().zip(&records).any(|(a, e)| a != e) {
        let lengths = |r: &[&[u8]]| r.iter().map(|d| d.len()).collect::<Vec<_>>();
        let actual_refs: Vec<&[u8]> = actual.0.iter().map(Vec::as_slice).collect();
        return Some(format!(
            "records of lengths {:?}, expected lengths {:?} (the damage is right: are records \
             dropped, duplicated or sliced wrong?)",
            lengths(&actual_refs),
            lengths(&records)
        ));
    }
    None
}

/// A hint for a wrong damage list: the mistakes the statement warns about.
fn damage_hint(actual: &[Damage], expected: &[Damage]) -> &'static str {
    if actual.len() < expected.len() && actual.last().is_some_and(|d| d.offset + d.skipped >= u64::MAX / 2) {
        return " (a length was trusted before checking the bytes present)";
    }
    if actual.len() < expected.len() {
        return " (does reading stop at the first damage? every later record must still be found)";
    }
    if expected.is_empty() {
        return " (intact records were reported as damaged: the length is a little-endian u64, and both crcs \
                are masked crc32c values read little-endian)";
    }
    let first = actual.iter().zip(expected).find(|(a, e)| a != e);
    match first {
        Some((a, e)) if a.offset == e.offset && a.kind == e.kind && a.skipped > e.skipped => {
            " (the scan for the next valid header starts at o + 1 and stops at the first one)"
        }
        Some((a, e)) if a.offset == e.offset && a.kind != e.kind => {
            " (check the kind: the length's crc first, then that the record fits, then the data's crc)"
        }
        _ => "",
    }
}

fn assert_report(file: &[u8], actual: &Report, case: &str) {
    if let Some(difference) = report_difference(file, actual) {
        panic!("{case}: {difference}\n  file = {}", preview(file));
    }
}

/// The two statement records: `A` (5 data bytes, 21 in all) and `B` (4, 20).
fn statement_file() -> Vec<u8> {
    file_of(&[b"alpha".as_slice(), b"beta"])
}

/// Checks `read_records` against the expected records and damage, then
/// `RecordReader` (whole reads, then one byte per call) against the same
/// sequence.
fn assert_read(file: Vec<u8>, records: &[&[u8]], damage: &[Damage], case: &str) {
    let actual = subject_read(file.clone());
    if actual.1 != damage {
        panic!("{case}: damage {:?},\n expected {damage:?}{}", actual.1, damage_hint(&actual.1, damage));
    }
    let expected: Vec<Vec<u8>> = records.iter().map(|r| r.to_vec()).collect();
    if actual.0 != expected {
        let early = expected.starts_with(&actual.0);
        panic!(
            "{case}: records: expected {expected:?}, got {:?}{}",
            actual.0,
            if early {
                " (reading stopped early: every record after a damage must still be found)"
            } else {
                ""
            }
        );
    }
    assert_stream(file, case);
}

/// Checks `RecordReader` against the oracle's sequence, with whole reads
/// and with one byte per `read`.
fn assert_stream(file: Vec<u8>, case: &str) {
    let expected = oracle::read_all(&file);
    for (sizes, how) in [(vec![usize::MAX], "whole reads"), (vec![1], "one byte per read")] {
        let actual = subject_stream(file.clone(), sizes);
        if actual != expected {
            panic!(
                "{case}, RecordReader with {how}: yielded {},\n expected {} (the same sequence as \
                 read_records; a short read is not the end of the input, only Ok(0) is)",
                describe(&actual),
                describe(&expected)
            );
        }
    }
}

/// A sequence of items, records shown by length.
fn describe(items: &[Record]) -> String {
    let shown: Vec<String> = items
        .iter()
        .take(12)
        .map(|item| match item {
            Record::Data(data) => format!("Data({} bytes)", data.len()),
            Record::Damage(d) => format!("{d:?}"),
        })
        .collect();
    format!("[{}{}]", shown.join(", "), if items.len() > 12 { ", ..." } else { "" })
}

/// A header claiming `length` bytes, with a valid length crc.
fn header(length: u64) -> Vec<u8> {
    let mut bytes = length.to_le_bytes().to_vec();
    bytes.extend_from_slice(&masked_crc32c(&length.to_le_bytes()).to_le_bytes());
    bytes
}

// ---------------------------------------------------------------- examples

#[test]
fn examples_an_intact_file_gives_every_record() {
    assert_read(statement_file(), &[b"alpha", b"beta"], &[], "A B");
}

#[test]
fn examples_a_flipped_data_bit_skips_exactly_that_record() {
    let mut file = statement_file();
    file[13] ^= 0x10;
    assert_read(
        file,
        &[b"beta"],
        &[damage_at(0, 21, Corruption::BadDataCrc)],
        "A B, a bit of A's data flipped",
    );
}

#[test]
fn examples_a_cut_last_byte_is_truncated() {
    let mut file = statement_file();
    file.pop();
    assert_read(file, &[b"alpha"], &[damage_at(21, 19, Corruption::Truncated)], "A B, last byte cut");
}

#[test]
fn examples_leading_garbage_is_skipped_by_resynchronising() {
    let mut file = vec![0, 0, 0];
    file.extend(statement_file());
    assert_read(
        file,
        &[b"alpha", b"beta"],
        &[damage_at(0, 3, Corruption::BadLengthCrc)],
        "3 zero bytes, A B",
    );
}

#[test]
fn examples_seven_bytes_of_garbage_are_truncated() {
    assert_read(vec![7; 7], &[], &[damage_at(0, 7, Corruption::Truncated)], "7 bytes");
}

// ---------------------------------------------------------------- edge

#[test]
fn edge_empty_input_is_no_damage() {
    assert_read(Vec::new(), &[], &[], "an empty file");
}

#[test]
fn edge_an_empty_record_is_a_record() {
    assert_read(file_of(&[b"".as_slice(), b"", b"x"]), &[b"", b"", b"x"], &[], "records of 0, 0 and 1 bytes");
}

#[test]
fn edge_a_header_at_the_very_end_is_truncated() {
    let mut file = file_of(&[b"alpha"]);
    file.extend(header(0));
    assert_read(
        file,
        &[b"alpha"],
        &[damage_at(21, 12, Corruption::Truncated)],
        "A, then a lone header of a 0-byte record",
    );
}

#[test]
fn edge_a_record_running_past_the_end_resynchronises_at_the_next_header() {
    let mut file = file_of(&[b"alpha"]);
    file.extend(header(1000));
    file.extend(file_of(&[b"beta"]));
    assert_read(
        file,
        &[b"alpha", b"beta"],
        &[damage_at(21, 12, Corruption::Truncated)],
        "A, a valid header claiming 1000 bytes, B",
    );
}

#[test]
fn edge_resynchronising_scans_from_the_next_byte() {
    let mut file = vec![0xff];
    file.extend(statement_file());
    assert_read(
        file,
        &[b"alpha", b"beta"],
        &[damage_at(0, 1, Corruption::BadLengthCrc)],
        "1 garbage byte, A B",
    );
}

#[test]
fn edge_a_bad_header_is_never_skipped_by_its_length() {
    // A's length field is corrupted (its crc fails): skipping 16 + length
    // would land inside B or past it.
    let mut file = statement_file();
    file[0] = 2;
    assert_read(
        file,
        &[b"beta"],
        &[damage_at(0, 21, Corruption::BadLengthCrc)],
        "A B, A's length changed to 2",
    );
}

#[test]
fn edge_damage_runs_to_the_end_when_no_header_follows() {
    let mut file = file_of(&[b"alpha"]);
    file.extend([9; 40]);
    assert_read(file, &[b"alpha"], &[damage_at(21, 40, Corruption::BadLengthCrc)], "A, then 40 bytes of 9");
}

#[test]
fn edge_unmasked_crcs_are_not_valid() {
    let length = 5_u64.to_le_bytes();
    let mut file = length.to_vec();
    file.extend(crc32c_unmasked(&length).to_le_bytes());
    file.extend(b"alpha");
    file.extend(crc32c_unmasked(b"alpha").to_le_bytes());
    assert_read(file, &[], &[damage_at(0, 21, Corruption::BadLengthCrc)], "a record with unmasked crcs");
}

/// The crc without the TFRecord mask: undoes `masked_crc32c`'s mask.
fn crc32c_unmasked(bytes: &[u8]) -> u32 {
    masked_crc32c(bytes).wrapping_sub(0xa282_ead8).rotate_left(15)
}

// ---------------------------------------------------------------- property

#[test]
fn property_damaged_files_match_the_oracle_and_keep_every_intact_record() {
    grade::run(EXERCISE, || {
        property::check(damaged_file(6, 40, 3), 400, |(records, mutations)| {
            let damaged = damage(&file_of(&records), &mutations);
            let actual = owned(&damaged.bytes);
            if let Some(difference) = report_difference(&damaged.bytes, &actual) {
                return Err(TestCaseError::fail(format!(
                    "{difference}\n  file = {}",
                    preview(&damaged.bytes)
                )));
            }
            let lengths: Vec<usize> = records.iter().map(Vec::len).collect();
            let mut found = actual.0.iter();
            for (index, place) in damaged.intact_records(&lengths).into_iter().enumerate() {
                let Some(offset) = place else { continue };
                let end = (offset + 16 + lengths[index]) as u64;
                let inside_damage =
                    actual.1.iter().any(|d| d.offset < end && (offset as u64) < d.offset + d.skipped);
                if !inside_damage && !found.any(|record| *record == records[index]) {
                    return Err(TestCaseError::fail(format!(
                        "intact record {index} at offset {offset} is missing"
                    )));
                }
            }
            Ok(())
        })
    });
}

#[test]
fn property_the_reader_matches_read_records_whatever_the_read_sizes() {
    grade::run(EXERCISE, || {
        let strategy = (damaged_file(5, 60, 2), prop::collection::vec(1..40_usize, 1..6));
        property::check(strategy, 300, |((records, mutations), sizes)| {
            let damaged = damage(&file_of(&records), &mutations);
            let expected = oracle::read_all(&damaged.bytes);
            let actual = stream(ChunkedReader::new(damaged.bytes.clone(), sizes))
                .map_err(|error| TestCaseError::fail(format!("an error from bytes in memory: {error}")))?;
            if actual != expected {
                return Err(TestCaseError::fail(format!(
                    "yielded {},\n expected {}\n  file = {}",
                    describe(&actual),
                    describe(&expected),
                    preview(&damaged.bytes)
                )));
            }
            Ok(())
        })
    });
}

// ---------------------------------------------------------------- robust

/// A file whose first header is valid but claims 2^60 bytes, then A.
fn huge_length_file() -> Vec<u8> {
    let mut file = header(1 << 60);
    file.extend(file_of(&[b"alpha"]));
    file
}

/// The bound on any single allocation while reading a file of `size` bytes.
fn allocation_cap(size: usize) -> usize {
    2 * size + (4 << 20)
}

#[test]
fn robust_a_verified_length_of_2_pow_60_is_never_allocated() {
    in_child_process("robust_a_verified_length_of_2_pow_60_is_never_allocated", || {
        let file = huge_length_file();
        let expected =
            [Record::Damage(damage_at(0, 12, Corruption::Truncated)), Record::Data(b"alpha".to_vec())];
        let cap = allocation_cap(file.len());
        let (report, largest) = grade::run(EXERCISE, move || {
            kata::alloc::check_active()
                .map(|()| kata::alloc::largest_allocation_in(|| (owned(&file), stream(&file[..]).ok())))
        })
        .unwrap_or_else(|message| panic!("{message}"));
        assert!(
            largest <= cap,
            "an allocation of {largest} bytes (cap {cap}): never allocate from a length field"
        );
        expect_eq!(
            report.0.1,
            [damage_at(0, 12, Corruption::Truncated)],
            "read_records on a header claiming 2^60 bytes"
        );
        expect_eq!(
            report.1.as_deref(),
            Some(expected.as_slice()),
            "RecordReader on a header claiming 2^60 bytes"
        );
    });
}

/// Runs `body` in a child process (this test binary, this one test), so
/// that an answer that aborts the process (allocating 2^60 bytes does) fails
/// this test alone, with a message.
fn in_child_process(test: &str, body: impl FnOnce()) {
    const CHILD: &str = "KATA_TFRECORD_CHILD";
    if std::env::var_os(CHILD).is_some() {
        body();
        return;
    }
    let executable = std::env::current_exe().expect("the test binary's path");
    let output = Command::new(executable)
        .args([test, "--exact", "--nocapture", "--test-threads=1"])
        .env(CHILD, "1")
        .output()
        .expect("could not run the test binary again");
    if output.status.success() {
        return;
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    let cause = if stderr.contains("memory allocation of") {
        "the process aborted on an allocation it could not get: a length field was trusted. Check \
         the header's crc and compare the length with the bytes present before allocating anything."
    } else {
        "the test failed in its own process:"
    };
    let lines: Vec<&str> = stderr.lines().filter(|line| !line.trim().is_empty()).take(12).collect();
    panic!("{cause}\n{}", lines.join("\n"));
}

#[test]
fn robust_one_byte_per_read_gives_the_same_sequence() {
    let mut rng = rng_for("robust_one_byte_per_read_gives_the_same_sequence");
    let records = random_records(&mut rng, 30, 0..=300);
    let mut file = file_of(&records);
    file[500] ^= 4;
    file.truncate(file.len() - 3);
    assert_stream(file, "30 records, one damaged, the tail cut");
}

#[test]
fn robust_a_record_larger_than_a_read_buffer_streams_whole() {
    let mut rng = rng_for("robust_a_record_larger_than_a_read_buffer");
    let large: Vec<u8> = (0..(1 << 20) + 3).map(|_| rng.random()).collect();
    let file = file_of(&[b"before".as_slice(), &large, b"after"]);
    assert_stream(
        file,
        "a record of 1 MiB + 3 bytes between two short ones (a buffer that stops growing reports it \
         Truncated: let it grow as the record's bytes arrive)",
    );
}

#[test]
fn robust_the_streaming_reader_holds_one_record_not_the_file() {
    let mut rng = rng_for("robust_the_streaming_reader_holds_one_record_not_the_file");
    let file = file_of(&random_records(&mut rng, 4000, 1000..=4000));
    let cap = 2 * 4016 + (1 << 20);
    let (count, largest) = grade::run(EXERCISE, move || {
        kata::alloc::largest_allocation_in(|| {
            stream(ChunkedReader::new(file, vec![8192])).map(|items| items.len()).ok()
        })
    });
    expect_eq!(count, Some(4000), "RecordReader over 4000 intact records");
    assert!(
        largest <= cap,
        "RecordReader made an allocation of {largest} bytes for a {} MiB file of records of at most 4 KiB          (allowed {cap}): hold one record at a time, not the whole input",
        (4000 * 2500) >> 20
    );
}

#[test]
fn robust_records_inside_a_record_with_a_bad_header_are_recovered() {
    let inner = file_of(&[b"one".as_slice(), b"two"]);
    let mut file = file_of(&[inner.as_slice()]);
    file[8] ^= 1; // the outer header's crc
    assert_read(
        file,
        &[b"one", b"two"],
        &[damage_at(0, 12, Corruption::BadLengthCrc), damage_at(50, 4, Corruption::Truncated)],
        "a record holding two records, its header damaged",
    );
}

#[test]
fn robust_a_zeroed_file_is_one_damaged_span() {
    assert_read(vec![0; 1000], &[], &[damage_at(0, 1000, Corruption::BadLengthCrc)], "1000 zero bytes");
}

#[test]
fn robust_an_io_error_reaches_the_caller() {
    struct Failing(usize);
    impl Read for Failing {
        fn read(&mut self, buffer: &mut [u8]) -> io::Result<usize> {
            let file = statement_file();
            if self.0 >= 21 {
                return Err(io::Error::other("disk on fire"));
            }
            let count = buffer.len().min(21 - self.0);
            buffer[..count].copy_from_slice(&file[self.0..self.0 + count]);
            self.0 += count;
            Ok(count)
        }
    }
    let items: Vec<String> = grade::run(EXERCISE, || {
        RecordReader::new(Failing(0)).take(3).map(|item| format!("{item:?}")).collect()
    });
    assert!(
        items.iter().any(|item| item.contains("disk on fire")),
        "a read error must be yielded as Err, got {items:?}"
    );
}

// ---------------------------------------------------------------- scale

#[test]
fn scale_32_mib_with_damage_in_linear_time() {
    let mut rng = rng_for("scale_32_mib_with_damage_in_linear_time");
    let mut file = file_of(&random_records(&mut rng, 4000, 1..=16 << 10));
    for _ in 0..40 {
        let at = rng.random_range(0..file.len());
        file[at] ^= 0x80;
    }
    let expected = oracle::read_all(&file);
    let copy = file.clone();
    let actual = grade::run_within(EXERCISE, grade::SCALE_LIMIT, move || owned(&copy));
    assert_report(&file, &actual, "32 MiB of records, 40 bits flipped");
    let streamed =
        grade::run_within(EXERCISE, grade::SCALE_LIMIT, move || stream(BufReader::new(&file[..])).ok());
    assert!(
        streamed.as_deref() == Some(expected.as_slice()),
        "RecordReader over a BufReader differs from the oracle"
    );
}

#[test]
fn scale_a_long_damaged_span_is_scanned_in_linear_time() {
    let mut rng = rng_for("scale_a_long_damaged_span_is_scanned_in_linear_time");
    let mut file = vec![0; 4 << 20];
    rng.fill_bytes(&mut file);
    file.extend(file_of(&[b"alpha"]));
    let copy = file.clone();
    let actual = grade::run_within(EXERCISE, grade::SCALE_LIMIT, move || owned(&copy));
    assert_report(&file, &actual, "4 MiB of random bytes, then A");
    let streamed =
        grade::run_within(EXERCISE, grade::SCALE_LIMIT, move || stream(&file[..]).ok().map(|s| s.len()));
    assert!(streamed.is_some_and(|n| n >= 2), "RecordReader over 4 MiB of garbage then A");
}
