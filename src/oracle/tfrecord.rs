//! What a TFRecord reader must produce: the contract's rules, one offset at
//! a time, written as plainly as possible.

use kata_types::{Corruption, Damage, Record, masked_crc32c};

/// The items a reader yields for `bytes`, records and damage interleaved in
/// file order (what `RecordReader` yields; `read_records` splits them).
///
/// ```
/// use kata::oracle::tfrecord::read_all;
/// use kata_types::{Corruption, Damage, Record, write_record};
/// let mut file = vec![0xff];
/// write_record(&mut file, b"x");
/// assert_eq!(read_all(&file), [
///     Record::Damage(Damage { offset: 0, skipped: 1, kind: Corruption::BadLengthCrc }),
///     Record::Data(b"x".to_vec()),
/// ]);
/// ```
pub fn read_all(bytes: &[u8]) -> Vec<Record> {
    let mut items = Vec::new();
    let mut offset = 0;
    while offset < bytes.len() {
        let left = bytes.len() - offset;
        let damage = |skipped: usize, kind| {
            Record::Damage(Damage { offset: offset as u64, skipped: skipped as u64, kind })
        };
        if left < 12 {
            items.push(damage(left, Corruption::Truncated));
            break;
        }
        if !header_is_valid(bytes, offset) {
            let skipped = resync(bytes, offset);
            items.push(damage(skipped, Corruption::BadLengthCrc));
            offset += skipped;
            continue;
        }
        let length = u64::from_le_bytes(bytes[offset..offset + 8].try_into().expect("8 bytes"));
        if length > (left - 16.min(left)) as u64 || left < 16 {
            let skipped = resync(bytes, offset);
            items.push(damage(skipped, Corruption::Truncated));
            offset += skipped;
            continue;
        }
        let length = length as usize;
        let data = &bytes[offset + 12..offset + 12 + length];
        let stored = &bytes[offset + 12 + length..offset + 16 + length];
        if masked_crc32c(data).to_le_bytes() == stored {
            items.push(Record::Data(data.to_vec()));
        } else {
            items.push(damage(16 + length, Corruption::BadDataCrc));
        }
        offset += 16 + length;
    }
    items
}

/// The records and the damage of [`read_all`], apart (as `read_records` reports them).
pub fn split(items: &[Record]) -> (Vec<&[u8]>, Vec<Damage>) {
    let mut records = Vec::new();
    let mut damage = Vec::new();
    for item in items {
        match item {
            Record::Data(data) => records.push(data.as_slice()),
            Record::Damage(span) => damage.push(*span),
        }
    }
    (records, damage)
}

fn header_is_valid(bytes: &[u8], offset: usize) -> bool {
    offset + 12 <= bytes.len()
        && masked_crc32c(&bytes[offset..offset + 8]).to_le_bytes() == bytes[offset + 8..offset + 12]
}

/// Bytes from `offset` to the next later offset with a valid header, or to the end.
fn resync(bytes: &[u8], offset: usize) -> usize {
    (offset + 1..bytes.len()).find(|&next| header_is_valid(bytes, next)).unwrap_or(bytes.len()) - offset
}
