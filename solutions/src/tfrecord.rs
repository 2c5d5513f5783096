//! # A TFRecord reader that survives corrupted files
//!
//! **One decision per offset.** At offset `o` the bytes decide alone what is
//! there (`frame`): a short tail, a header whose length crc fails, a valid
//! header whose record runs past the end, a record whose data crc fails, or
//! an intact record. The in-memory [`read_records`] and the streaming
//! [`RecordReader`] both walk the file with that one function, so they
//! cannot disagree.
//!
//! **Never trust a length.** The length field is used only after its crc
//! matches, and even then only as a bound checked against the bytes present:
//! `read_records` slices, it never allocates per record, and the reader's
//! buffer grows only as bytes arrive. A corrupted length of 2^60 costs a
//! comparison.
//!
//! **Resynchronise by scanning.** After a bad header or a truncated record
//! the next record may start anywhere, so every later offset is a candidate
//! until 12 bytes form a valid header. That test is one crc of 8 bytes;
//! on x86-64 with SSE 4.2 `find_header` runs it as a single `crc32`
//! instruction per offset, and since the offsets are independent the CPU
//! overlaps them (about one offset per cycle) instead of calling a general
//! crc routine each time.
//!
//! **Cost.** Intact data is read once: the crc of every byte (the CPU's
//! CRC-32C instruction, several bytes per cycle) and nothing else, which is
//! the floor for a reader that verifies. A damaged span of `s` bytes costs
//! `O(s)` header checks. Memory: `read_records` holds two vectors of
//! results; the reader holds at most one record (or the bytes left, if
//! fewer) plus a 64 KiB read buffer.

use std::io::{self, Read};

pub use kata_types::{Corruption, Damage, ReadReport, Record, masked_crc32c, write_record};

/// Bytes in a record's header: the length and its masked crc.
const HEADER: usize = 12;
/// Bytes of framing around a record's data: the header and the data's crc.
const FRAMING: u64 = 16;

/// Every intact record of `bytes`, and every damaged span, in file order.
///
/// Records borrow their data from `bytes`. Nothing panics and nothing is
/// allocated from a length field, whatever the input.
///
/// ```
/// use solutions::tfrecord::{Corruption, Damage, read_records, write_record};
/// let mut file = Vec::new();
/// write_record(&mut file, b"alpha");
/// write_record(&mut file, b"beta");
/// file[13] ^= 1; // a bit flip in "alpha"'s data
/// file.truncate(file.len() - 1);
/// let report = read_records(&file);
/// assert!(report.records.is_empty());
/// assert_eq!(report.damage, [
///     Damage { offset: 0, skipped: 21, kind: Corruption::BadDataCrc },
///     Damage { offset: 21, skipped: 19, kind: Corruption::Truncated },
/// ]);
/// ```
pub fn read_records(bytes: &[u8]) -> ReadReport<'_> {
    let mut report = ReadReport { records: Vec::new(), damage: Vec::new() };
    let mut offset = 0;
    while offset < bytes.len() {
        let rest = &bytes[offset..];
        let (kind, skipped) = match frame(rest) {
            Frame::Intact { data_len } => {
                report.records.push(&rest[HEADER..HEADER + data_len]);
                offset += FRAMING as usize + data_len;
                continue;
            }
            Frame::BadData { data_len } => (Corruption::BadDataCrc, FRAMING as usize + data_len),
            Frame::ShortHeader => (Corruption::Truncated, rest.len()),
            Frame::ShortRecord { .. } => (Corruption::Truncated, resync_distance(rest)),
            Frame::BadHeader => (Corruption::BadLengthCrc, resync_distance(rest)),
        };
        report.damage.push(Damage { offset: offset as u64, skipped: skipped as u64, kind });
        offset += skipped;
    }
    report
}

/// What the bytes at an offset hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Frame {
    /// An intact record with `data_len` bytes of data.
    Intact { data_len: usize },
    /// A valid header, but the data's crc fails.
    BadData { data_len: usize },
    /// Fewer than 12 bytes.
    ShortHeader,
    /// The length's crc fails.
    BadHeader,
    /// A valid header whose record needs `total` bytes, more than `bytes` holds.
    ShortRecord { total: u64 },
}

/// Decides what `bytes` (the rest of a file, or as much of it as has
/// arrived) start with. A `Short*` answer may change as more bytes arrive;
/// the others are final.
fn frame(bytes: &[u8]) -> Frame {
    let Some(header) = bytes.first_chunk::<HEADER>() else {
        return Frame::ShortHeader;
    };
    if !is_header(header) {
        return Frame::BadHeader;
    }
    let total = length_field(header).saturating_add(FRAMING);
    // `total` fits in usize once it is known to be at most `bytes.len()`.
    if total > bytes.len() as u64 {
        return Frame::ShortRecord { total };
    }
    let data_len = total as usize - FRAMING as usize;
    let (data, crc) = bytes[HEADER..total as usize].split_at(data_len);
    if crc == masked_crc32c(data).to_le_bytes() {
        Frame::Intact { data_len }
    } else {
        Frame::BadData { data_len }
    }
}

/// Whether 12 bytes form a valid header: the masked crc of the first 8
/// matches the last 4 (little-endian).
fn is_header(header: &[u8; HEADER]) -> bool {
    masked_crc32c(&header[..8]) == stored_crc(header)
}

/// The length field of a header (whether or not its crc matches).
fn length_field(header: &[u8; HEADER]) -> u64 {
    let [a, b, c, d, e, f, g, h, ..] = *header;
    u64::from_le_bytes([a, b, c, d, e, f, g, h])
}

/// The crc stored in a header.
fn stored_crc(header: &[u8; HEADER]) -> u32 {
    let [.., a, b, c, d] = *header;
    u32::from_le_bytes([a, b, c, d])
}

/// How far to skip from a damaged offset: to the next later offset that
/// starts a valid header, or to the end of `rest` if there is none.
fn resync_distance(rest: &[u8]) -> usize {
    find_header(&rest[1..]).map_or(rest.len(), |position| position + 1)
}

/// The first offset of `bytes` whose next 12 bytes form a valid header.
fn find_header(bytes: &[u8]) -> Option<usize> {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("sse4.2") {
        // SAFETY: the CPU supports SSE 4.2, the only feature `find_header_sse42` enables.
        return unsafe { find_header_sse42(bytes) };
    }
    bytes.windows(HEADER).position(|window| window.first_chunk().is_some_and(is_header))
}

/// [`find_header`] with one `crc32` instruction per candidate offset.
///
/// The CRC-32C of 8 bytes is `!crc32_u64(!0, the bytes as a little-endian
/// u64)`; each offset's crc is independent of the others, so the loop's
/// iterations overlap in the pipeline.
///
/// # Safety
/// The CPU must support SSE 4.2.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "sse4.2")]
unsafe fn find_header_sse42(bytes: &[u8]) -> Option<usize> {
    use std::arch::x86_64::_mm_crc32_u64;
    bytes.windows(HEADER).position(|window| {
        window.first_chunk().is_some_and(|header| {
            let crc = !(_mm_crc32_u64(u64::from(u32::MAX), length_field(header)) as u32);
            kata_types::mask(crc) == stored_crc(header)
        })
    })
}

/// A streaming reader over any [`Read`]: yields the same sequence of records
/// and damaged spans as [`read_records`] over the same bytes, whatever sizes
/// the underlying `read` calls return.
///
/// Its buffer holds at most the span it must see to decide (one record, or
/// the bytes left if fewer) plus a 64 KiB read window; it never reserves a
/// length it has not read. An I/O error is yielded as `Err` and the next call
/// retries (an `Interrupted` read is retried at once).
///
/// ```
/// use solutions::tfrecord::{Record, RecordReader, write_record};
/// let mut file = Vec::new();
/// write_record(&mut file, b"alpha");
/// write_record(&mut file, b"beta");
/// let items: Vec<Record> = RecordReader::new(&file[..]).collect::<Result<_, _>>().unwrap();
/// assert_eq!(items, [Record::Data(b"alpha".to_vec()), Record::Data(b"beta".to_vec())]);
/// ```
#[derive(Debug)]
pub struct RecordReader<R: Read> {
    reader: R,
    /// Bytes read; `buffer[start..end]` are not yet consumed. The whole
    /// vector is initialised, so reads go straight into `buffer[end..]`.
    buffer: Vec<u8>,
    start: usize,
    end: usize,
    /// File offset of `buffer[start]`.
    offset: u64,
    /// Whether `read` has returned 0.
    at_end: bool,
    /// A damaged span being skipped: where it started and why.
    resync: Option<(u64, Corruption)>,
}

/// The read window: the least the buffer grows by.
const WINDOW: usize = 64 * 1024;

impl<R: Read> RecordReader<R> {
    /// A reader of the records `reader` yields; nothing is read until the
    /// first call to `next`.
    pub fn new(reader: R) -> Self {
        RecordReader { reader, buffer: Vec::new(), start: 0, end: 0, offset: 0, at_end: false, resync: None }
    }

    /// The next item, or `None` at a clean end.
    fn advance(&mut self) -> io::Result<Option<Record>> {
        loop {
            if let Some((from, kind)) = self.resync {
                let Some(found) = self.scan()? else { continue };
                self.resync = None;
                return Ok(Some(Record::Damage(Damage { offset: from, skipped: found - from, kind })));
            }
            self.fill(HEADER as u64)?;
            if self.start == self.end {
                return Ok(None);
            }
            match frame(&self.buffer[self.start..self.end]) {
                Frame::ShortRecord { total } if !self.at_end => self.fill(total)?,
                // `fill` returned fewer than 12 bytes: the input has ended.
                Frame::ShortHeader => {
                    let damage = Damage {
                        offset: self.offset,
                        skipped: self.available(),
                        kind: Corruption::Truncated,
                    };
                    self.consume(self.end - self.start);
                    return Ok(Some(Record::Damage(damage)));
                }
                Frame::ShortRecord { .. } => self.start_resync(Corruption::Truncated),
                Frame::BadHeader => self.start_resync(Corruption::BadLengthCrc),
                Frame::BadData { data_len } => {
                    let skipped = FRAMING + data_len as u64;
                    let damage = Damage { offset: self.offset, skipped, kind: Corruption::BadDataCrc };
                    self.consume(skipped as usize);
                    return Ok(Some(Record::Damage(damage)));
                }
                Frame::Intact { data_len } => {
                    let data = self.buffer[self.start + HEADER..self.start + HEADER + data_len].to_vec();
                    self.consume(FRAMING as usize + data_len);
                    return Ok(Some(Record::Data(data)));
                }
            }
        }
    }

    /// Starts skipping a damaged span at the current offset.
    fn start_resync(&mut self, kind: Corruption) {
        self.resync = Some((self.offset, kind));
        self.consume(1);
    }

    /// Looks for a valid header in what has arrived. Returns its offset and
    /// stops there; or consumes every offset ruled out, reads more and
    /// returns `None`; or, at the end of the input, consumes the rest and
    /// returns the end offset.
    fn scan(&mut self) -> io::Result<Option<u64>> {
        if let Some(position) = find_header(&self.buffer[self.start..self.end]) {
            self.consume(position);
            return Ok(Some(self.offset));
        }
        if self.at_end {
            self.consume(self.end - self.start);
            return Ok(Some(self.offset));
        }
        // The last 11 bytes may start a header whose end has not arrived.
        self.consume((self.end - self.start).saturating_sub(HEADER - 1));
        self.fill(HEADER as u64)?;
        Ok(None)
    }

    /// Bytes arrived and not consumed.
    fn available(&self) -> u64 {
        (self.end - self.start) as u64
    }

    fn consume(&mut self, bytes: usize) {
        self.start += bytes;
        self.offset += bytes as u64;
    }

    /// Reads until `wanted` bytes are available or the input ends. The
    /// buffer grows only when the bytes it holds fill it, so its size stays
    /// within twice the bytes held plus the window.
    fn fill(&mut self, wanted: u64) -> io::Result<()> {
        while !self.at_end && self.available() < wanted {
            if self.end == self.buffer.len() {
                self.make_room();
            }
            match self.reader.read(&mut self.buffer[self.end..]) {
                Ok(0) => self.at_end = true,
                Ok(read) => self.end += read.min(self.buffer.len() - self.end),
                Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
                Err(error) => return Err(error),
            }
        }
        Ok(())
    }

    /// Frees space after `end`: moves the unconsumed bytes to the front when
    /// that frees at least half the buffer, else grows the buffer.
    fn make_room(&mut self) {
        if self.start > 0 && self.start >= self.buffer.len() / 2 {
            self.buffer.copy_within(self.start..self.end, 0);
            self.end -= self.start;
            self.start = 0;
        } else {
            let grown = (self.buffer.len() * 2).max(WINDOW);
            self.buffer.resize(grown, 0);
        }
    }
}

impl<R: Read> Iterator for RecordReader<R> {
    type Item = io::Result<Record>;

    fn next(&mut self) -> Option<Self::Item> {
        self.advance().transpose()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file_of(records: &[&[u8]]) -> Vec<u8> {
        let mut file = Vec::new();
        for record in records {
            write_record(&mut file, record);
        }
        file
    }

    #[test]
    fn the_fast_scan_agrees_with_the_plain_one() {
        let mut file = file_of(&[b"one", b"", b"three", &[7; 300]]);
        file.splice(0..0, [1, 2, 3]);
        for start in 0..file.len() {
            let plain = file[start..].windows(HEADER).position(|w| w.first_chunk().is_some_and(is_header));
            assert_eq!(find_header(&file[start..]), plain, "from {start}");
        }
    }

    #[test]
    fn a_huge_verified_length_is_truncated_not_allocated() {
        let mut file = Vec::new();
        let length = (1_u64 << 60).to_le_bytes();
        file.extend_from_slice(&length);
        file.extend_from_slice(&masked_crc32c(&length).to_le_bytes());
        file.extend_from_slice(&file_of(&[b"after"]));
        let report = read_records(&file);
        assert_eq!(report.records, [b"after"]);
        assert_eq!(report.damage, [Damage { offset: 0, skipped: 12, kind: Corruption::Truncated }]);
        let streamed: Vec<Record> =
            RecordReader::new(&file[..]).collect::<io::Result<_>>().expect("a slice never fails");
        assert_eq!(streamed, [Record::Damage(report.damage[0]), Record::Data(b"after".to_vec())]);
    }
}
