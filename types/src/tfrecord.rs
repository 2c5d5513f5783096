//! Types of the `tfrecord` exercise: the record framing, given as
//! [`masked_crc32c`] and [`write_record`], and what a reader reports.
//!
//! A TFRecord file is a sequence of records, each framed as
//!
//! ```text
//! length: u64 LE | masked_crc32c(length bytes): u32 LE | data: [u8; length] | masked_crc32c(data): u32 LE
//! ```
//!
//! so a record takes `16 + length` bytes and its first 12 bytes (the header)
//! can be checked on their own.

/// The CRC-32C (Castagnoli) of `bytes`, masked as TensorFlow does:
/// `((c >> 15) | (c << 17)).wrapping_add(0xa282_ead8)`.
///
/// The mask keeps a crc stored inside the data it covers from checking
/// itself. The crc runs on the CPU's CRC32 instruction where there is one.
///
/// ```
/// use kata_types::masked_crc32c;
/// // crc32c("123456789") = 0xe306_9283, the standard check value, then masked.
/// let c: u32 = 0xe306_9283;
/// assert_eq!(masked_crc32c(b"123456789"), ((c >> 15) | (c << 17)).wrapping_add(0xa282_ead8));
/// ```
pub fn masked_crc32c(bytes: &[u8]) -> u32 {
    mask(crc32c::crc32c(bytes))
}

/// The TFRecord mask of a crc: rotate right by 15 bits, add a constant.
///
/// ```
/// assert_eq!(kata_types::mask(0), 0xa282_ead8);
/// ```
pub fn mask(crc: u32) -> u32 {
    crc.rotate_right(15).wrapping_add(0xa282_ead8)
}

/// Appends one record holding `data` to `out`: the 12-byte header, the data,
/// and the data's masked crc (`16 + data.len()` bytes in all).
///
/// ```
/// use kata_types::{masked_crc32c, write_record};
/// let mut file = Vec::new();
/// write_record(&mut file, b"hi");
/// assert_eq!(file.len(), 18);
/// assert_eq!(file[..8], 2_u64.to_le_bytes());
/// assert_eq!(file[8..12], masked_crc32c(&2_u64.to_le_bytes()).to_le_bytes());
/// assert_eq!(&file[12..14], b"hi");
/// assert_eq!(file[14..], masked_crc32c(b"hi").to_le_bytes());
/// ```
pub fn write_record(out: &mut Vec<u8>, data: &[u8]) {
    let length = (data.len() as u64).to_le_bytes();
    out.reserve(16 + data.len());
    out.extend_from_slice(&length);
    out.extend_from_slice(&masked_crc32c(&length).to_le_bytes());
    out.extend_from_slice(data);
    out.extend_from_slice(&masked_crc32c(data).to_le_bytes());
}

/// What is wrong with a damaged span of a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Corruption {
    /// The 12 bytes at the span's start are not a valid header: the length's
    /// crc does not match.
    BadLengthCrc,
    /// A valid header, but the data's crc does not match: exactly that
    /// record (`16 + length` bytes) is skipped.
    BadDataCrc,
    /// The file ends too early: fewer than 12 bytes for a header, or a valid
    /// header whose record runs past the end.
    Truncated,
}

/// A damaged span of a file: `skipped` bytes from `offset` that held no
/// intact record.
///
/// ```
/// use kata_types::{Corruption, Damage};
/// let damage = Damage { offset: 18, skipped: 5, kind: Corruption::Truncated };
/// assert_eq!(damage.offset + damage.skipped, 23);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Damage {
    /// Where the span starts, in bytes from the start of the file.
    pub offset: u64,
    /// How many bytes it covers.
    pub skipped: u64,
    /// What was found at `offset`.
    pub kind: Corruption,
}

/// Everything a reader recovered from a file held in memory: every intact
/// record (borrowing the data from the file's bytes), and every damaged
/// span, both in file order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadReport<'a> {
    /// The data of each intact record, in file order.
    pub records: Vec<&'a [u8]>,
    /// Each damaged span, in offset order.
    pub damage: Vec<Damage>,
}

/// One item of a streaming reader: an intact record's data, or a damaged span.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Record {
    /// The data of an intact record.
    Data(Vec<u8>),
    /// A damaged span.
    Damage(Damage),
}
