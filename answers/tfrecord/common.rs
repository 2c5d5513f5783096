// Shared by the answers in this folder: a plain reader (one header check
// per offset while resynchronising, a streaming reader that buffers one
// record at a time), with one switch per mistake a candidate makes.

use std::io::{self, Read};

pub use kata_types::{Corruption, Damage, ReadReport, Record, masked_crc32c, write_record};

/// The mistakes the wrong answers make; `None` is the correct answer.
#[allow(dead_code)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mistake {
    None,
    /// The streaming reader reserves `16 + length` before reading the record.
    AllocatesFromLength,
    /// Reading ends at the first damage; every later record is lost.
    StopsAtFirstDamage,
    /// A bad header is skipped by its (corrupted) length.
    SkipsByLength,
    /// Resynchronising starts at o + 12, past the bad header, not at o + 1.
    ResyncAfterHeader,
    /// The crcs are compared unmasked.
    Unmasked,
    /// The length is read big-endian.
    BigEndian,
    /// The header is sliced before checking that 12 bytes are left.
    PanicsOnShortTail,
    /// A short `read` is taken for the end of the input.
    AssumesFullReads,
}

const HEADER: usize = 12;
const FRAMING: usize = 16;

fn crc(bytes: &[u8]) -> u32 {
    let masked = masked_crc32c(bytes);
    if MISTAKE == Mistake::Unmasked { masked.wrapping_sub(0xa282_ead8).rotate_left(15) } else { masked }
}

fn length_field(header: &[u8]) -> u64 {
    let mut field = [0; 8];
    field.copy_from_slice(&header[..8]);
    if MISTAKE == Mistake::BigEndian { u64::from_be_bytes(field) } else { u64::from_le_bytes(field) }
}

fn stored_crc(bytes: &[u8]) -> u32 {
    let mut field = [0; 4];
    field.copy_from_slice(&bytes[..4]);
    u32::from_le_bytes(field)
}

/// Whether `bytes` starts with a valid header.
fn valid_header(bytes: &[u8]) -> bool {
    bytes.len() >= HEADER && crc(&bytes[..8]) == stored_crc(&bytes[8..HEADER])
}

/// What the rest of a file starts with.
enum Step {
    /// An intact record of this many data bytes.
    Record(usize),
    /// Damage of this kind over this many bytes.
    Damage(Corruption, usize),
}

fn step(rest: &[u8]) -> Step {
    if MISTAKE == Mistake::PanicsOnShortTail {
        let _ = length_field(&rest[..HEADER]);
    }
    if rest.len() < HEADER {
        return Step::Damage(Corruption::Truncated, rest.len());
    }
    if !valid_header(rest) {
        if MISTAKE == Mistake::SkipsByLength {
            let skip = length_field(rest).saturating_add(FRAMING as u64).min(rest.len() as u64);
            return Step::Damage(Corruption::BadLengthCrc, skip as usize);
        }
        return Step::Damage(Corruption::BadLengthCrc, resync(rest));
    }
    let length = length_field(rest);
    if length.saturating_add(FRAMING as u64) > rest.len() as u64 {
        return Step::Damage(Corruption::Truncated, resync(rest));
    }
    let length = length as usize;
    let data = &rest[HEADER..HEADER + length];
    if crc(data) == stored_crc(&rest[HEADER + length..]) {
        Step::Record(length)
    } else {
        Step::Damage(Corruption::BadDataCrc, FRAMING + length)
    }
}

/// The distance from a damaged offset to the next valid header, or to the end.
fn resync(rest: &[u8]) -> usize {
    let first = if MISTAKE == Mistake::ResyncAfterHeader { HEADER } else { 1 };
    (first..rest.len()).find(|&at| valid_header(&rest[at..])).unwrap_or(rest.len())
}

pub fn read_records(bytes: &[u8]) -> ReadReport<'_> {
    let mut report = ReadReport { records: Vec::new(), damage: Vec::new() };
    let mut offset = 0;
    while offset < bytes.len() {
        let rest = &bytes[offset..];
        match step(rest) {
            Step::Record(length) => {
                report.records.push(&rest[HEADER..HEADER + length]);
                offset += FRAMING + length;
            }
            Step::Damage(kind, skipped) => {
                report.damage.push(Damage { offset: offset as u64, skipped: skipped as u64, kind });
                offset += skipped.max(1);
                if MISTAKE == Mistake::StopsAtFirstDamage {
                    break;
                }
            }
        }
    }
    report
}

/// Reads at most this many bytes per call while scanning damage.
const CHUNK: usize = 64 * 1024;

#[derive(Debug)]
pub struct RecordReader<R: Read> {
    reader: R,
    /// The bytes from `offset` on that have arrived: at most one record, or
    /// a chunk of damage being scanned.
    pending: Vec<u8>,
    offset: u64,
    at_end: bool,
}

impl<R: Read> RecordReader<R> {
    pub fn new(reader: R) -> Self {
        RecordReader { reader, pending: Vec::new(), offset: 0, at_end: false }
    }

    /// Reads until `wanted` bytes are pending or the input ends, growing
    /// the buffer only by the bytes each `read` returned.
    fn fill(&mut self, wanted: usize) -> io::Result<()> {
        let mut chunk = [0; 4096];
        while !self.at_end && self.pending.len() < wanted {
            let ask = (wanted - self.pending.len()).min(chunk.len());
            match self.reader.read(&mut chunk[..ask]) {
                Ok(0) => self.at_end = true,
                Ok(read) => {
                    self.pending.extend_from_slice(&chunk[..read]);
                    if MISTAKE == Mistake::AssumesFullReads && read < ask {
                        self.at_end = true;
                    }
                }
                Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
                Err(error) => return Err(error),
            }
        }
        Ok(())
    }

    fn consume(&mut self, bytes: usize) {
        self.pending.drain(..bytes);
        self.offset += bytes as u64;
    }

    /// Skips from a damaged offset to the next valid header (or the end).
    fn skip_damage(&mut self, kind: Corruption) -> io::Result<Record> {
        let offset = self.offset;
        self.consume(1);
        loop {
            if let Some(at) = (0..self.pending.len()).find(|&at| valid_header(&self.pending[at..])) {
                self.consume(at);
                break;
            }
            if self.at_end {
                self.consume(self.pending.len());
                break;
            }
            // The last 11 bytes may begin a header that has not all arrived.
            self.consume(self.pending.len().saturating_sub(HEADER - 1));
            self.fill(self.pending.len() + CHUNK)?;
        }
        Ok(Record::Damage(Damage { offset, skipped: self.offset - offset, kind }))
    }

    fn advance(&mut self) -> io::Result<Option<Record>> {
        self.fill(HEADER)?;
        if self.pending.is_empty() {
            return Ok(None);
        }
        if self.pending.len() < HEADER {
            let skipped = self.pending.len();
            let damage = Damage { offset: self.offset, skipped: skipped as u64, kind: Corruption::Truncated };
            self.consume(skipped);
            return Ok(Some(Record::Damage(damage)));
        }
        if !valid_header(&self.pending) {
            return self.skip_damage(Corruption::BadLengthCrc).map(Some);
        }
        let total = length_field(&self.pending).saturating_add(FRAMING as u64);
        if MISTAKE == Mistake::AllocatesFromLength {
            self.pending.reserve_exact(total as usize);
        }
        self.fill(usize::try_from(total).unwrap_or(usize::MAX))?;
        if (self.pending.len() as u64) < total {
            return self.skip_damage(Corruption::Truncated).map(Some);
        }
        let total = total as usize;
        let item = match step(&self.pending[..total]) {
            Step::Record(length) => Record::Data(self.pending[HEADER..HEADER + length].to_vec()),
            Step::Damage(kind, skipped) => Record::Damage(Damage { offset: self.offset, skipped: skipped as u64, kind }),
        };
        self.consume(total);
        Ok(Some(item))
    }
}

impl<R: Read> Iterator for RecordReader<R> {
    type Item = io::Result<Record>;

    fn next(&mut self) -> Option<Self::Item> {
        self.advance().transpose()
    }
}
