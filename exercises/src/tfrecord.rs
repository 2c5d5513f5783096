//! # A TFRecord reader that survives corrupted files
//!
//! Training data often sits in TFRecord files, and at scale some of them
//! arrive damaged: a flipped bit, a copy cut short, a block of zeros. A
//! loader that dies on the first bad byte loses a night of training; one
//! that trusts a corrupted length field tries to allocate an exabyte. Write
//! the reader that recovers every intact record and reports the damage.
//!
//! ## The format
//! A file is a sequence of records, each framed as
//! ```text
//! length: u64 LE | masked_crc32c(length bytes): u32 LE | data: [u8; length] | masked_crc32c(data): u32 LE
//! ```
//! (`16 + length` bytes; the first 12 are the header). `masked_crc32c` and
//! `write_record` are given (in `kata_types`, re-exported here).
//!
//! ## Task
//! Implement [`read_records`] over bytes in memory, and [`RecordReader`]
//! over any [`Read`], which yields the same sequence (records and damage
//! interleaved in file order) whatever sizes the `read` calls return.
//!
//! ## What to do at each offset `o` (a clean end, `o == len`, is no damage)
//! 1. Fewer than 12 bytes left → `Truncated`, covering the rest. Stop.
//! 2. The header's length crc fails → `BadLengthCrc`, then resynchronise.
//! 3. A valid header whose record runs past the end → `Truncated`, then
//!    resynchronise.
//! 4. A valid header, bad data crc → `BadDataCrc`, skipping exactly that
//!    record (`16 + length` bytes).
//! 5. Otherwise an intact record: return its data, move on by `16 + length`.
//!
//! To resynchronise, find the next offset `o' > o` (scan from `o + 1`)
//! whose 12 bytes form a valid header; the damage is
//! `Damage { offset: o, skipped: o' − o, kind }` and reading goes on at
//! `o'`. With no such offset the damage covers the rest of the file.
//!
//! ## Examples
//! With `A` = a record of 5 data bytes (21 bytes), `B` = one of 4 (20 bytes):
//! ```text
//! A B                        → records [A, B], no damage
//! A B, one bit of A's data flipped
//!                            → records [B], damage [{0, 21, BadDataCrc}]
//! A B, last byte cut         → records [A], damage [{21, 19, Truncated}]
//! 3 zero bytes, then A B     → records [A, B], damage [{0, 3, BadLengthCrc}]
//! 7 bytes of garbage alone   → records [], damage [{0, 7, Truncated}]
//! []                         → records [], damage []
//! ```
//!
//! ## Edge cases and traps
//! - A corrupted length can read 2^60. Use a length only once its crc
//!   matches, and even then never allocate or reserve it before the bytes
//!   are there: compare it with what is present.
//! - A bad header says nothing about where the next record starts: scan
//!   forward one byte at a time, never jump by the broken length, and do
//!   not skip a whole header's worth (records may start at `o + 1`).
//! - The crc is *masked*; integers are little-endian.
//! - Nothing panics, whatever the bytes (a truncated tail included).
//! - A `Read` may return fewer bytes than asked for, even one at a time:
//!   `read` filling the buffer is not the end of the file; 0 is.
//!
//! ## What a strong answer looks like
//! `read_records` borrows every record from the input (no copy) and reads
//! each intact byte once, for its crc: the whole file costs about one
//! CRC-32C pass (hardware-accelerated by the given function). A damaged
//! span of `s` bytes costs `O(s)` header checks. `RecordReader`'s memory
//! stays within the longest span it must hold to decide (a record, at most
//! the bytes present) plus a constant; its buffer grows only as bytes
//! arrive, never by a length it has not read.

use std::io::{self, Read};

pub use kata_types::{Corruption, Damage, ReadReport, Record, masked_crc32c, write_record};

/// Every intact record of `bytes` (borrowed), and every damaged span, both
/// in file order.
///
/// See the module documentation for the rules at each offset.
pub fn read_records(bytes: &[u8]) -> ReadReport<'_> {
    todo!("open exercises/src/tfrecord.rs: read the records of {} bytes", bytes.len())
}

/// A streaming reader of TFRecord files over any [`Read`]: an iterator of
/// `io::Result<Record>`, the same sequence as [`read_records`] over the same
/// bytes. An error from the underlying reader is yielded as `Err`.
///
/// Add the fields you need; keep `new` and the `Iterator` impl.
#[derive(Debug)]
pub struct RecordReader<R: Read> {
    reader: R,
}

impl<R: Read> RecordReader<R> {
    /// A reader of the records in `reader`.
    pub fn new(reader: R) -> Self {
        RecordReader { reader }
    }
}

impl<R: Read> Iterator for RecordReader<R> {
    type Item = io::Result<Record>;

    fn next(&mut self) -> Option<Self::Item> {
        let _ = &mut self.reader;
        todo!("open exercises/src/tfrecord.rs: the next record of a RecordReader")
    }
}
