//! The fast path: a scanner written for the response's usual shape.
//!
//! It reads the bytes once, left to right, and builds the same
//! `RawDocument`s and `RawEntity`s the serde visitors build, so the
//! validation, the overlaps and the output are the same code. What it
//! accepts it reads exactly as `serde_json::Value` would; anything else it
//! leaves to serde_json by answering `Unsure`, and the whole response goes
//! through the serde path, which gives the exact verdict (and the line and
//! column of an error). It is unsure of:
//!
//! - invalid JSON of any kind (a stray byte, a control character in a
//!   string, an unknown escape, a lone surrogate, trailing text);
//! - a number with an exponent, more than 19 digits, or a fraction whose
//!   digits exceed 2^53: within those bounds the digits and the power of
//!   ten are exact f64s and one division rounds them correctly, which is
//!   what serde_json computes with or without its `float_roundtrip`
//!   feature; beyond them it might round differently, or find the number
//!   out of range;
//! - nesting deeper than `MAX_DEPTH` (serde_json's own limit is 128);
//! - a top level that is not an object holding one `documents` array and no
//!   `error` (shape errors and error envelopes are small: serde_json
//!   decides).
//!
//! Where the time goes: a key where the service usually writes it (`id`,
//! `text`, `entities`; `label`, `start`, `end`, `score`), and the `: `
//! after it, is recognised by one masked 16-byte comparison; a string's
//! plain run is found a block (64 or 16 bytes, `blocks`) at a time, which
//! also counts a text's code points; a number that fits in eight bytes is
//! read in one word, integer and fraction digits together, longer ones
//! eight digits at a time. Any other key is read as a string and matched
//! by name, as the serde path does.

use std::borrow::Cow;

use super::blocks::plain_run;
use super::{DocumentText, Extraction, Key, NumberKind, RawDocument, RawEntity, Workspace, extract_document};

/// The scanner met something it leaves to serde_json (see the module doc).
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Unsure;

type Scan<T> = Result<T, Unsure>;

/// The deepest nesting the scanner follows, counting the top-level object.
const MAX_DEPTH: usize = 100;

/// How many containers enclose each part of the usual shape.
const IN_TOP: usize = 1;
const IN_DOCUMENTS: usize = 2;
const IN_DOCUMENT: usize = 3;
const IN_ENTITIES: usize = 4;
const IN_ENTITY: usize = 5;

/// The extraction of a response of the usual shape, exactly as the serde
/// path would make it, or `Unsure`.
pub(super) fn extract(response: &str, min_score: f32) -> Scan<Extraction> {
    let mut scanner = Scanner { json: response, at: 0 };
    let extraction = scanner.top(min_score)?;
    scanner.skip_whitespace();
    if scanner.at == response.len() { Ok(extraction) } else { Err(Unsure) }
}

/// A position in the response.
struct Scanner<'a> {
    json: &'a str,
    /// The next byte to read.
    at: usize,
}

impl<'a> Scanner<'a> {
    fn bytes(&self) -> &'a [u8] {
        self.json.as_bytes()
    }

    fn skip_whitespace(&mut self) {
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = self.bytes().get(self.at) {
            self.at += 1;
        }
    }

    /// The next byte after whitespace, not consumed.
    fn peek(&mut self) -> Scan<u8> {
        self.skip_whitespace();
        self.bytes().get(self.at).copied().ok_or(Unsure)
    }

    /// Consumes `byte`, after whitespace.
    fn eat(&mut self, byte: u8) -> Scan<()> {
        if self.peek()? != byte {
            return Err(Unsure);
        }
        self.at += 1;
        Ok(())
    }

    /// After a member or an element: true past a `,`, false past `close`.
    fn more(&mut self, close: u8) -> Scan<bool> {
        let next = self.peek()?;
        self.at += 1;
        match next {
            b',' => Ok(true),
            _ if next == close => Ok(false),
            _ => Err(Unsure),
        }
    }

    /// Walks an object: `member` reads the value of each key. `usual` are
    /// the keys in the order a service writes them, quoted: a key found
    /// where it is expected is recognised by one comparison, without
    /// scanning it as a string.
    fn members(
        &mut self,
        usual: &[QuotedKey],
        mut member: impl FnMut(&mut Self, Key) -> Scan<()>,
    ) -> Scan<()> {
        self.eat(b'{')?;
        if self.peek()? == b'}' {
            self.at += 1;
            return Ok(());
        }
        for index in 0.. {
            let key = self.key(usual.get(index))?;
            member(self, key)?;
            if !self.more(b'}')? {
                break;
            }
        }
        Ok(())
    }

    /// A key, after whitespace, and the `:` after it: `expected` if its
    /// quoted bytes are next.
    fn key(&mut self, expected: Option<&QuotedKey>) -> Scan<Key> {
        if self.peek()? != b'"' {
            return Err(Unsure);
        }
        let next = self
            .bytes()
            .get(self.at..)
            .and_then(<[u8]>::first_chunk::<16>)
            .map(|next| u128::from_le_bytes(*next));
        if let (Some(expected), Some(next)) = (expected, next) {
            if expected.spaced.matches(next) {
                self.at += expected.spaced.len;
                return Ok(expected.key);
            }
            if expected.quoted.matches(next) {
                self.at += expected.quoted.len;
                self.eat(b':')?;
                return Ok(expected.key);
            }
        }
        let key = self.string().map(|name| Key::named(&name))?;
        self.eat(b':')?;
        Ok(key)
    }

    /// Walks an array: `element` reads each element.
    fn elements(&mut self, mut element: impl FnMut(&mut Self) -> Scan<()>) -> Scan<()> {
        self.eat(b'[')?;
        if self.peek()? == b']' {
            self.at += 1;
            return Ok(());
        }
        loop {
            element(self)?;
            if !self.more(b']')? {
                return Ok(());
            }
        }
    }

    /// Walks any value, enclosed in `depth` containers, keeping nothing.
    fn skip_value(&mut self, depth: usize) -> Scan<()> {
        match self.peek()? {
            b'{' if depth < MAX_DEPTH => self.members(&[], |scanner, _| scanner.skip_value(depth + 1)),
            b'[' if depth < MAX_DEPTH => self.elements(|scanner| scanner.skip_value(depth + 1)),
            b'"' => self.string().map(drop),
            b'-' | b'0'..=b'9' => self.number().map(drop),
            b't' => self.literal(b"true"),
            b'f' => self.literal(b"false"),
            b'n' => self.literal(b"null"),
            _ => Err(Unsure),
        }
    }

    fn literal(&mut self, word: &[u8]) -> Scan<()> {
        if !self.bytes().get(self.at..).is_some_and(|rest| rest.starts_with(word)) {
            return Err(Unsure);
        }
        self.at += word.len();
        Ok(())
    }

    /// A string value as the serde visitors keep it, or `None` (walked) for
    /// any other value.
    fn text(&mut self, depth: usize) -> Scan<Option<Cow<'a, str>>> {
        if self.peek()? == b'"' { self.string().map(Some) } else { self.skip_value(depth).map(|()| None) }
    }

    /// A number value as the serde visitors keep it, or `None` (walked) for
    /// any other value.
    fn number_value(&mut self, depth: usize) -> Scan<Option<NumberKind>> {
        match self.peek()? {
            b'-' | b'0'..=b'9' => self.number().map(Some),
            _ => self.skip_value(depth).map(|()| None),
        }
    }

    /// A string, the scanner at its opening quote: borrowed from the
    /// response unless it holds escapes.
    fn string(&mut self) -> Scan<Cow<'a, str>> {
        self.counted_string::<false>().map(|text| text.text)
    }

    /// A document's text, or `None` (walked) for any other value.
    fn document_text(&mut self, depth: usize) -> Scan<Option<DocumentText<'a>>> {
        if self.peek()? == b'"' {
            self.counted_string::<true>().map(Some)
        } else {
            self.skip_value(depth).map(|()| None)
        }
    }

    /// A string, and when `COUNT` its length in code points, counted as
    /// the string is scanned.
    fn counted_string<const COUNT: bool>(&mut self) -> Scan<DocumentText<'a>> {
        let start = self.at + 1;
        let (end, chars) = plain_run::<COUNT>(self.bytes(), start);
        match self.bytes().get(end) {
            Some(b'"') => {
                self.at = end + 1;
                Ok(DocumentText { text: Cow::Borrowed(&self.json[start..end]), chars })
            }
            Some(b'\\') => {
                let text = Cow::Owned(self.escaped_string(start, end)?);
                Ok(if COUNT { DocumentText::counted(text) } else { DocumentText { text, chars } })
            }
            _ => Err(Unsure),
        }
    }

    /// The rest of a string from `start`, whose first escape is at `end`.
    #[cold]
    fn escaped_string(&mut self, mut start: usize, mut end: usize) -> Scan<String> {
        let mut decoded = String::new();
        loop {
            decoded.push_str(&self.json[start..end]);
            match self.bytes().get(end) {
                Some(b'"') => {
                    self.at = end + 1;
                    return Ok(decoded);
                }
                Some(b'\\') => {
                    let (char, next) = escape(self.bytes(), end + 1)?;
                    decoded.push(char);
                    start = next;
                    (end, _) = plain_run::<false>(self.bytes(), start);
                }
                _ => return Err(Unsure),
            }
        }
    }

    /// A number, the scanner at its first byte, as serde_json parses it for
    /// `Value`: `Unsure` past 19 digits, with an exponent, or for a
    /// fraction whose digits exceed 2^53.
    fn number(&mut self) -> Scan<NumberKind> {
        let bytes = self.bytes();
        let negative = bytes.get(self.at) == Some(&b'-');
        let integer_start = self.at + usize::from(negative);
        let decimal = match short_decimal(bytes, integer_start) {
            Some(decimal) => decimal,
            None => long_decimal(bytes, integer_start)?,
        };
        let Decimal { significand, integer_digits, fraction_digits, end } = decimal;
        let leading_zero = integer_digits > 1 && bytes[integer_start] == b'0';
        if integer_digits == 0 || leading_zero {
            return Err(Unsure);
        }
        if integer_digits + fraction_digits > MAX_DIGITS || matches!(bytes.get(end), Some(b'e' | b'E')) {
            return Err(Unsure);
        }
        let number = match (fraction_digits, negative) {
            (0, false) => NumberKind::Unsigned(significand),
            (0, true) => negative_integer(significand),
            _ if significand > EXACT_SIGNIFICAND => return Err(Unsure),
            // Both exact, so one correctly rounded division: the value with
            // or without serde_json's `float_roundtrip`.
            _ => {
                let magnitude = significand as f64 / POWERS_OF_TEN[fraction_digits];
                NumberKind::Float(if negative { -magnitude } else { magnitude })
            }
        };
        self.at = end;
        Ok(number)
    }

    // ------------------------------------------------------ the usual shape

    /// The top-level object: its one `documents` array, extracted.
    fn top(&mut self, min_score: f32) -> Scan<Extraction> {
        let mut documents = None;
        self.members(&[], |scanner, key| match key {
            Key::Documents if documents.is_none() => {
                documents = Some(scanner.documents(min_score)?);
                Ok(())
            }
            Key::Documents | Key::Error => Err(Unsure),
            _ => scanner.skip_value(IN_TOP),
        })?;
        documents.ok_or(Unsure)
    }

    /// The `documents` array, each document extracted as soon as it is read.
    fn documents(&mut self, min_score: f32) -> Scan<Extraction> {
        let mut out = Extraction { entities: Vec::new(), problems: Vec::new() };
        let mut work = Workspace::default();
        let mut doc = 0;
        self.elements(|scanner| {
            let document = scanner.document(&mut work.raw)?;
            extract_document(doc, document, min_score, &mut work, &mut out);
            doc += 1;
            if doc == SAMPLE_DOCUMENTS {
                reserve_at_density(&mut out.entities, scanner.at, scanner.json.len());
            }
            Ok(())
        })?;
        Ok(out)
    }

    /// One document, its entities into `raw`.
    fn document(&mut self, raw: &mut Vec<RawEntity<'a>>) -> Scan<RawDocument<'a>> {
        raw.clear();
        if self.peek()? != b'{' {
            return self.skip_value(IN_DOCUMENTS).map(|()| RawDocument::NotObject);
        }
        let (mut id, mut text, mut entities) = (None, None, false);
        self.members(&DOCUMENT_KEYS, |scanner, key| {
            match key {
                Key::Id => id = scanner.text(IN_DOCUMENT)?,
                Key::Text => text = scanner.document_text(IN_DOCUMENT)?,
                Key::Entities => entities = scanner.entities(raw)?,
                _ => scanner.skip_value(IN_DOCUMENT)?,
            }
            Ok(())
        })?;
        Ok(RawDocument::Object { id, text, entities })
    }

    /// An `entities` member: an array fills `raw` (replacing what an
    /// earlier `entities` key left) and answers true; any other value false.
    fn entities(&mut self, raw: &mut Vec<RawEntity<'a>>) -> Scan<bool> {
        if self.peek()? != b'[' {
            return self.skip_value(IN_DOCUMENT).map(|()| false);
        }
        raw.clear();
        self.elements(|scanner| {
            raw.push(scanner.entity()?);
            Ok(())
        })?;
        Ok(true)
    }

    fn entity(&mut self) -> Scan<RawEntity<'a>> {
        if self.peek()? != b'{' {
            return self.skip_value(IN_ENTITIES).map(|()| RawEntity::NOT_OBJECT);
        }
        let mut entity = RawEntity { object: true, ..RawEntity::NOT_OBJECT };
        self.members(&ENTITY_KEYS, |scanner, key| {
            match key {
                Key::Label => entity.label = scanner.text(IN_ENTITY)?,
                Key::Start => entity.start = scanner.number_value(IN_ENTITY)?.map(NumberKind::as_u64),
                Key::End => entity.end = scanner.number_value(IN_ENTITY)?.map(NumberKind::as_u64),
                Key::Score => entity.score = scanner.number_value(IN_ENTITY)?.map(NumberKind::as_f64),
                _ => scanner.skip_value(IN_ENTITY)?,
            }
            Ok(())
        })?;
        Ok(entity)
    }
}

/// A key as it is written, quoted, to compare with the next 16 bytes at
/// once: `"name": ` as a service writes it before a value (the colon and
/// the space taken in the same comparison), else `"name"` alone.
struct QuotedKey {
    spaced: Pattern,
    quoted: Pattern,
    key: Key,
}

/// Bytes to compare: the low `len` bytes of a little-endian u128.
struct Pattern {
    bytes: u128,
    mask: u128,
    len: usize,
}

impl Pattern {
    /// `text` (at most 16 bytes).
    const fn new(text: &[u8]) -> Self {
        let mut bytes = [0; 16];
        let mut index = 0;
        while index < text.len() {
            bytes[index] = text[index];
            index += 1;
        }
        let mask = (1 << (8 * text.len())) - 1;
        Pattern { bytes: u128::from_le_bytes(bytes), mask, len: text.len() }
    }

    fn matches(&self, next: u128) -> bool {
        next & self.mask == self.bytes
    }
}

impl QuotedKey {
    /// `name` (at most 12 bytes, so that `"name": ` fits in 16).
    const fn new(name: &str, key: Key) -> Self {
        let name = name.as_bytes();
        let mut spaced = [b'"'; 16];
        let mut index = 0;
        while index < name.len() {
            spaced[index + 1] = name[index];
            index += 1;
        }
        spaced[name.len() + 2] = b':';
        spaced[name.len() + 3] = b' ';
        let (quoted, _) = spaced.split_at(name.len() + 2);
        let (spaced, _) = spaced.split_at(name.len() + 4);
        QuotedKey { spaced: Pattern::new(spaced), quoted: Pattern::new(quoted), key }
    }
}

/// A document's keys in the order a service writes them.
const DOCUMENT_KEYS: [QuotedKey; 3] = [
    QuotedKey::new("id", Key::Id),
    QuotedKey::new("text", Key::Text),
    QuotedKey::new("entities", Key::Entities),
];

/// An entity's keys in the order a service writes them.
const ENTITY_KEYS: [QuotedKey; 4] = [
    QuotedKey::new("label", Key::Label),
    QuotedKey::new("start", Key::Start),
    QuotedKey::new("end", Key::End),
    QuotedKey::new("score", Key::Score),
];

/// The documents read before the output is reserved for the whole response.
const SAMPLE_DOCUMENTS: usize = 256;

/// Reserves room for the entities of the whole response, at the density
/// (entities per byte) of the first `read` bytes of `total`: the output
/// then grows once, instead of doubling a dozen times (each time copying
/// it and touching fresh memory, which for 200,000 entities cost as much
/// as scanning the response). A wrong guess costs one more growth.
fn reserve_at_density<T>(entities: &mut Vec<T>, read: usize, total: usize) {
    let expected = entities.len().saturating_mul(total) / read.max(1);
    entities.reserve((expected + expected / 16).saturating_sub(entities.len()));
}

/// Digits accumulated into a significand: 19 never overflow a u64.
const MAX_DIGITS: usize = 19;

/// Up to 2^53 every integer is exact as an f64.
const EXACT_SIGNIFICAND: u64 = 1 << 53;

/// 10^0 to 10^19, each exact as an f64.
const POWERS_OF_TEN: [f64; MAX_DIGITS + 1] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18,
    1e19,
];

/// The digits of a number without its sign, read but not yet judged:
/// the integer and fraction digits as one significand, how many of each,
/// and where they end.
struct Decimal {
    significand: u64,
    integer_digits: usize,
    fraction_digits: usize,
    end: usize,
}

/// A number's digits from `start` in any length: the integer digits, then,
/// after a `.`, the fraction's (`Unsure` for a `.` without any). The
/// caller judges the counts.
fn long_decimal(bytes: &[u8], start: usize) -> Scan<Decimal> {
    let (mut significand, integer_end) = digits(bytes, start, 0);
    let mut end = integer_end;
    let mut fraction_digits = 0;
    if bytes.get(end) == Some(&b'.') {
        (significand, end) = digits(bytes, end + 1, significand);
        fraction_digits = end - integer_end - 1;
        if fraction_digits == 0 {
            return Err(Unsure);
        }
    }
    Ok(Decimal { significand, integer_digits: integer_end - start, fraction_digits, end })
}

/// A number's digits from `start` when they and the byte after them lie
/// in the next eight bytes (a span, a score: `12`, `0.875`): one load, the
/// `.` found in the same mask as the digits' end, and one `eight_digits`
/// for integer and fraction together, instead of one per part. `None`
/// leaves the number to `long_decimal`.
fn short_decimal(bytes: &[u8], start: usize) -> Option<Decimal> {
    let word = bytes.get(start..).and_then(<[u8]>::first_chunk::<8>)?;
    let values = u64::from_le_bytes(*word) ^ (ONES * u64::from(b'0'));
    let others = not_digits(values);
    let integer_digits = others.trailing_zeros() as usize / 8;
    if integer_digits == 0 || integer_digits == 8 {
        return None;
    }
    if word[integer_digits] != b'.' {
        let significand = eight_digits(values << (8 * (8 - integer_digits)));
        return Some(Decimal {
            significand,
            integer_digits,
            fraction_digits: 0,
            end: start + integer_digits,
        });
    }
    // The flags above the `.`: the first is exact, as the digits and the
    // `.` below it carry into no byte.
    let after_dot = others.checked_shr(8 * (integer_digits as u32 + 1)).filter(|&rest| rest != 0)?;
    let fraction_digits = after_dot.trailing_zeros() as usize / 8;
    if fraction_digits == 0 {
        return None;
    }
    // The fraction's digits moved down over the `.`, next to the integer's.
    let integer_bytes = (1_u64 << (8 * integer_digits)) - 1;
    let joined = (values & integer_bytes) | ((values >> 8) & !integer_bytes);
    let total = integer_digits + fraction_digits;
    let significand = eight_digits(joined << (8 * (8 - total)));
    Some(Decimal { significand, integer_digits, fraction_digits, end: start + total + 1 })
}

/// One in each byte of a word.
const ONES: u64 = u64::from_le_bytes([1; 8]);

/// The top bit of each byte of `values` (bytes XOR `'0'`) that is not a
/// digit: digits became 0..=9; anything else has its top bit set, or gets
/// it from adding 0x76 (no carry leaves a byte below the lowest one
/// flagged, and that one is found exactly).
fn not_digits(values: u64) -> u64 {
    (values | values.wrapping_add(ONES * 0x76)) & (ONES << 7)
}

/// Reads the decimal digits from `at` onto `significand` (wrapping: the
/// caller refuses more than `MAX_DIGITS`); returns it and where they end.
///
/// Eight bytes at a time: where the digits end is found without a branch
/// per digit, and their value in three multiplications.
fn digits(bytes: &[u8], mut at: usize, mut significand: u64) -> (u64, usize) {
    while let Some(word) = bytes.get(at..).and_then(<[u8]>::first_chunk::<8>) {
        let values = u64::from_le_bytes(*word) ^ (ONES * u64::from(b'0'));
        let count = not_digits(values).trailing_zeros() as usize / 8;
        if count == 0 {
            return (significand, at);
        }
        // The digits moved to the top, zeros (leading zero digits) below.
        let value = eight_digits(values << (8 * (8 - count)));
        significand = significand.wrapping_mul(POWERS_OF_TEN_U64[count]).wrapping_add(value);
        at += count;
        if count < 8 {
            return (significand, at);
        }
    }
    while let Some(&digit @ b'0'..=b'9') = bytes.get(at) {
        significand = significand.wrapping_mul(10).wrapping_add(u64::from(digit - b'0'));
        at += 1;
    }
    (significand, at)
}

/// The value of eight decimal digits, one per byte, the first (most
/// significant) in the lowest byte: pairs, then fours, then all eight.
fn eight_digits(values: u64) -> u64 {
    let pairs = (values.wrapping_mul(10) + (values >> 8)) & 0x00ff_00ff_00ff_00ff;
    let fours = (pairs.wrapping_mul(100) + (pairs >> 16)) & 0x0000_ffff_0000_ffff;
    (fours.wrapping_mul(10_000) + (fours >> 32)) & 0xffff_ffff
}

/// 10^0 to 10^8.
const POWERS_OF_TEN_U64: [u64; 9] = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000];

/// `-significand` as serde_json holds it: an i64, or an f64 for `-0` and
/// below `i64::MIN`.
fn negative_integer(significand: u64) -> NumberKind {
    let negated = (significand as i64).wrapping_neg();
    if negated >= 0 { NumberKind::Float(-(significand as f64)) } else { NumberKind::Negative(negated) }
}

/// The escape after a backslash at `at - 1`: the char and where it ends.
fn escape(bytes: &[u8], at: usize) -> Scan<(char, usize)> {
    let char = match bytes.get(at).ok_or(Unsure)? {
        b'"' => '"',
        b'\\' => '\\',
        b'/' => '/',
        b'b' => '\u{8}',
        b'f' => '\u{c}',
        b'n' => '\n',
        b'r' => '\r',
        b't' => '\t',
        b'u' => return unicode_escape(bytes, at + 1),
        _ => return Err(Unsure),
    };
    Ok((char, at + 1))
}

/// The code point of `\uXXXX` (its hex digits at `at`), a surrogate pair
/// taken whole; a lone surrogate is `Unsure`.
fn unicode_escape(bytes: &[u8], at: usize) -> Scan<(char, usize)> {
    let unit = hex4(bytes, at)?;
    let (code, end) = match unit {
        0xd800..=0xdbff => {
            if bytes.get(at + 4..at + 6) != Some(b"\\u") {
                return Err(Unsure);
            }
            let low = hex4(bytes, at + 6)?;
            if !(0xdc00..=0xdfff).contains(&low) {
                return Err(Unsure);
            }
            (0x1_0000 + ((unit - 0xd800) << 10) + (low - 0xdc00), at + 10)
        }
        _ => (unit, at + 4),
    };
    // A lone low surrogate is no char.
    char::from_u32(code).map(|char| (char, end)).ok_or(Unsure)
}

/// Four hex digits at `at`.
fn hex4(bytes: &[u8], at: usize) -> Scan<u32> {
    let digits = bytes.get(at..at + 4).ok_or(Unsure)?;
    digits.iter().try_fold(0, |code, &digit| Ok((code << 4) | char::from(digit).to_digit(16).ok_or(Unsure)?))
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use serde_json::Value;

    use super::super::extract_through_serde;
    use super::*;

    /// The serde path's answer and the scanner's, when it has one, are the
    /// same to the bit (a score of -0.0 is not 0.0 here).
    fn assert_scanner_agrees(response: &str, min_score: f32) -> Scan<()> {
        let fast = extract(response, min_score)?;
        let slow = extract_through_serde(response, min_score);
        assert_eq!(Ok(&fast), slow.as_ref(), "{response:?} at {min_score}");
        let bits = |extraction: &Extraction| -> Vec<u32> {
            extraction.entities.iter().map(|entity| entity.score.to_bits()).collect()
        };
        assert_eq!(slow.map(|slow| bits(&slow)), Ok(bits(&fast)), "{response:?}");
        Ok(())
    }

    /// A number as the scanner reads it, when it reads it all.
    /// The number `text` as the scanner reads it, alone and followed by
    /// what may follow a number in a response (reading it in one word
    /// needs the bytes after it); the reads must agree.
    fn scanned_number(text: &str) -> Scan<NumberKind> {
        let read = |json: &str| {
            let mut scanner = Scanner { json, at: 0 };
            let number = scanner.number()?;
            if scanner.at == text.len() { Ok(number) } else { Err(Unsure) }
        };
        let alone = read(text);
        for follower in [",", "}", "]\n", ", \"end\": 12345678}"] {
            let followed = read(&format!("{text}{follower}"));
            assert_eq!(
                followed.ok().map(bits),
                alone.as_ref().ok().map(|&number| bits(number)),
                "{text}{follower}"
            );
        }
        alone
    }

    /// A number's kind and bits, to compare two reads.
    fn bits(number: NumberKind) -> (u8, u64) {
        match number {
            NumberKind::Unsigned(n) => (0, n),
            NumberKind::Negative(n) => (1, n as u64),
            NumberKind::Float(x) => (2, x.to_bits()),
        }
    }

    /// Whether the scanner's number is the one `Value` holds.
    fn same_number(number: NumberKind, value: &Value) -> bool {
        match number {
            NumberKind::Unsigned(n) => value.is_u64() && value.as_u64() == Some(n),
            NumberKind::Negative(n) => value.is_i64() && value.as_i64() == Some(n),
            NumberKind::Float(x) => value.is_f64() && value.as_f64().map(f64::to_bits) == Some(x.to_bits()),
        }
    }

    fn assert_number_agrees(text: &str) {
        if let Ok(number) = scanned_number(text) {
            let value = serde_json::from_str::<Value>(text);
            assert!(value.as_ref().is_ok_and(|value| same_number(number, value)), "{text}: {value:?}");
        }
    }

    /// A number of a form the scanner reads: sign, digits, fraction.
    fn plain_number() -> impl Strategy<Value = String> {
        ("-?", "(0|[1-9][0-9]{0,19})", prop::option::of("[0-9]{1,20}")).prop_map(
            |(sign, integer, fraction)| {
                fraction.map_or_else(
                    || format!("{sign}{integer}"),
                    |fraction| format!("{sign}{integer}.{fraction}"),
                )
            },
        )
    }

    /// Responses of the usual shape, with what a service may add: escapes,
    /// fields the contract ignores, keys out of order or repeated, numbers
    /// of every sign and form the scanner reads, any whitespace.
    const USUAL: [&str; 7] = [
        r#"{"model": "ner-1", "documents": [{"id": "d1", "text": "Zoë met Ada in 東京 🦀", "entities": [
            {"label": "person", "start": 0, "end": 3, "score": 0.98}, {"label": "loc", "start": 15, "end": 17, "score": 1}]}]}"#,
        "{\"documents\":[{\"id\":\"d\\u0031\",\"text\":\"\\u00e9t\\u00e9 \\ud83e\\udd80 \\\"q\\\" \\n\",\"entities\":[{\"label\":\"l\\u00e9\",\"start\":4,\"end\":5,\"score\":0.5}]}]}",
        r#" { "documents" : [ { "entities" : [ { "score" : 0.25 , "end" : 2 , "start" : 0 , "label" : "x" , "extra" : { "deep" : [ 1 , -2.5 , true , false , null , "s" ] } } ] , "text" : "ab" , "id" : "d" } ] , "meta" : [ ] } "#,
        "{\n\t\"documents\": [null, 7, {\"id\": 1, \"text\": \"abc\", \"entities\": {}},\r\n {\"id\": \"d\", \"text\": \"abc\", \"entities\": [[], {\"label\": \"x\", \"start\": -0, \"end\": 1.0, \"score\": -0.0}]}]}",
        r#"{"documents": [{"id": "d", "text": "abcdef", "entities": [{"label": "x", "start": 0, "end": 1, "score": 0.5, "start": 2, "end": 4, "label": "y"},
            {"label": "x", "start": 0, "end": 2, "score": 0.75}, {"label": "x", "start": 1, "end": 9, "score": 0.5}]}], "usage": {"tokens": 1234567890123456789, "cost": 0.9007199254740992}}"#,
        r#"{"documents": [{"id": "d", "text": "\"\\\/\b\f\n\r\t\u00E9\uD83E\uDD80", "entities": []}]}"#,
        r#"{"documents": []}"#,
    ];

    #[test]
    fn the_usual_shape_takes_the_fast_path_and_agrees_with_serde() {
        for response in USUAL {
            for min_score in [0.0, 0.5, f32::NAN] {
                assert_eq!(assert_scanner_agrees(response, min_score), Ok(()), "{response}");
            }
        }
        let text = "x".repeat(100);
        let many = (0..300)
            .map(|doc| format!(r#"{{"id": "d{doc}", "text": "{text}", "entities": [{{"label": "x", "start": 1, "end": 2, "score": 0.5}}]}}"#))
            .collect::<Vec<_>>()
            .join(",");
        assert_eq!(assert_scanner_agrees(&format!(r#"{{"documents": [{many}]}}"#), 0.0), Ok(()));
    }

    #[test]
    fn what_the_scanner_is_unsure_of_goes_to_serde() {
        let unsure = [
            "",
            r#"{"documents": [], "note": "\ud800"}"#,
            r#"{"documents": [], "note": "\udc00"}"#,
            r#"{"documents": [], "note": "\ud800\u0041"}"#,
            r#"{"documents": [], "note": "\x"}"#,
            "{\"documents\": [], \"note\": \"tab\there\"}",
            r#"{"documents": [], "n": 1e3}"#,
            r#"{"documents": [], "n": 12345678901234567890}"#,
            r#"{"documents": [], "n": 0.12337011033099297}"#,
            r#"{"documents": [], "n": 01}"#,
            r#"{"documents": [], "n": 1.}"#,
            r#"{"documents": [], "n": -}"#,
            r#"{"documents": [], "n": tru}"#,
            r#"{"documents": [],}"#,
            r#"{"documents": [1,]}"#,
            r#"{"documents": []} x"#,
            r#"{"documents": [], "documents": []}"#,
            r#"{"error": {"code": 429, "message": "slow down"}}"#,
            r#"{"documents": {}}"#,
            r#"{"model": "ner-1"}"#,
            r#"[]"#,
            r#"{"documents": ["#,
        ];
        for response in unsure {
            assert_eq!(extract(response, 0.0), Err(Unsure), "{response}");
        }
        let arrays = |depth: usize| "[".repeat(depth) + &"]".repeat(depth);
        let objects = |depth: usize| r#"{"a": "#.repeat(depth - 1) + "{}" + &"}".repeat(depth - 1);
        for nested in [arrays, objects] {
            let response = |depth| format!(r#"{{"documents": [], "n": {}}}"#, nested(depth));
            assert!(extract(&response(MAX_DEPTH - IN_TOP), 0.0).is_ok());
            assert_eq!(extract(&response(MAX_DEPTH - IN_TOP + 1), 0.0), Err(Unsure));
        }
    }

    #[test]
    fn the_output_is_reserved_at_the_density_of_the_sample() {
        let mut entities: Vec<u8> = vec![0; 10];
        reserve_at_density(&mut entities, 100, 1_000);
        assert!((106..=120).contains(&entities.capacity()), "{}", entities.capacity());
    }

    /// A usual key is recognised by its pattern, with the `: ` or without,
    /// and no other key is (the by-name fallback would give the same
    /// answers, only slower, so the answers alone cannot tell).
    #[test]
    fn usual_keys_match_their_own_patterns_only() {
        let next = |text: &str| -> u128 {
            let mut bytes = [b' '; 16];
            bytes.copy_from_slice(&format!("{text:<16}").as_bytes()[..16]);
            u128::from_le_bytes(bytes)
        };
        let names = ["id", "text", "entities", "label", "start", "end", "score"];
        for (expected, name) in DOCUMENT_KEYS.iter().chain(&ENTITY_KEYS).zip(names) {
            for other in names.into_iter().chain(["ids", "entity", "scores", ""]) {
                let (spaced, tight) = (format!("\"{other}\": 1, \"x\""), format!("\"{other}\":1,\"x\""));
                let same = other == name;
                assert_eq!(expected.spaced.matches(next(&spaced)), same, "{name} against {spaced:?}");
                assert!(!expected.spaced.matches(next(&tight)), "{name} against {tight:?}");
                assert_eq!(expected.quoted.matches(next(&tight)), same, "{name} against {tight:?}");
                assert_eq!(expected.quoted.matches(next(&spaced)), same, "{name} against {spaced:?}");
            }
            assert_eq!(
                (expected.spaced.len, expected.quoted.len),
                (name.len() + 4, name.len() + 2),
                "{name}"
            );
        }
    }

    /// A span or a score followed by the rest of its entity is read in one
    /// word (`long_decimal` would read it too, only slower).
    #[test]
    fn short_numbers_are_read_in_one_word() {
        let fields = |decimal: Decimal| {
            (decimal.significand, decimal.integer_digits, decimal.fraction_digits, decimal.end)
        };
        let cases = [
            ("12, \"end\"", (12, 2, 0, 2)),
            ("7}, {\"lab", (7, 1, 0, 1)),
            ("0.875, \"x", (875, 1, 3, 5)),
            ("1234.5}]}", (12_345, 4, 1, 6)),
            ("0.12345}]", (12_345, 1, 5, 7)),
        ];
        for (text, expected) in cases {
            assert_eq!(short_decimal(text.as_bytes(), 0).map(fields), Some(expected), "{text:?}");
        }
        for long in ["12345678,", "0.123456}", "1.}      ", "x1,      ", "12"] {
            assert_eq!(short_decimal(long.as_bytes(), 0).map(fields), None, "{long:?}");
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { failure_persistence: None, ..ProptestConfig::with_cases(4_000) })]

        #[test]
        fn numbers_the_scanner_reads_are_the_ones_value_holds(text in plain_number()) {
            assert_number_agrees(&text);
        }

        #[test]
        fn a_number_read_in_one_word_is_read_as_digit_by_digit(
            text in prop::collection::vec(prop::sample::select(&['0', '1', '5', '9', '.', 'e', '-', ',', 'x', 'é', '"'][..]), 0..12),
        ) {
            let text: String = text.into_iter().collect();
            if let Some(short) = short_decimal(text.as_bytes(), 0) {
                let long = long_decimal(text.as_bytes(), 0);
                let fields = |d: &Decimal| (d.significand, d.integer_digits, d.fraction_digits, d.end);
                prop_assert_eq!(long.as_ref().map(fields), Ok(fields(&short)), "{}", text);
            }
        }

        #[test]
        fn numbers_read_like_scores_are_the_ones_value_holds(thousandths in 0..=1000_u32, digits in 1..18_usize) {
            assert_number_agrees(&(f64::from(thousandths) / 1000.0).to_string());
            assert_number_agrees(&format!("0.{thousandths:0digits$}"));
        }

        #[test]
        fn strings_the_scanner_reads_are_the_ones_serde_json_reads(pieces in prop::collection::vec(string_piece(), 0..12)) {
            let literal = format!("\"{}\"", pieces.concat());
            let mut scanner = Scanner { json: &literal, at: 0 };
            // A piece may close the string early: serde reads what the scanner read.
            if let Ok(text) = scanner.string() {
                let read = serde_json::from_str::<String>(&literal[..scanner.at]).map_err(|_| ());
                prop_assert_eq!(Ok(text.into_owned()), read);
            }
        }

        #[test]
        fn plain_runs_end_where_the_string_ends_and_count_its_chars(
            chars in prop::collection::vec(prop::sample::select(&['a', 'é', '東', '🦀', '"', '\\', '\n'][..]), 0..80),
        ) {
            let text: String = chars.iter().collect();
            let end = text.find(['"', '\\', '\n']).unwrap_or(text.len());
            prop_assert_eq!(plain_run::<true>(text.as_bytes(), 0), (end, text[..end].chars().count() as u64));
            prop_assert_eq!(plain_run::<false>(text.as_bytes(), 0).0, end);
        }

        #[test]
        fn the_scanner_agrees_with_serde_on_generated_responses(
            response in response(),
            min_score in prop::sample::select(&[0.0_f32, 0.3, 0.5, 1.0, f32::NAN][..]),
        ) {
            let _ = assert_scanner_agrees(&response, min_score);
        }

        #[test]
        fn the_scanner_agrees_with_serde_on_garbled_responses(
            response in response(),
            edits in prop::collection::vec((any::<prop::sample::Index>(), garble()), 1..4),
        ) {
            let mut chars: Vec<char> = response.chars().collect();
            for (index, edit) in edits {
                let at = index.index(chars.len() + 1);
                edit.apply(&mut chars, at);
            }
            let _ = assert_scanner_agrees(&chars.into_iter().collect::<String>(), 0.5);
        }
    }

    /// A piece of a string literal's body (the invalid ones come from `garble`).
    fn string_piece() -> impl Strategy<Value = String> {
        prop::sample::select(
            &[
                "a",
                "x y",
                "é",
                "東京",
                "🦀",
                "\\n",
                "\\\"",
                "\\\\",
                "\\/",
                "\\b",
                "\\f",
                "\\r",
                "\\t",
                "\\u00e9",
                "\\u00E9",
                "\\u0000",
                "\\ud83e\\udd80",
                "\\uD83E\\uDD80",
                "\u{7f}",
            ][..],
        )
        .prop_map(str::to_owned)
    }

    /// A string literal.
    fn string_literal() -> impl Strategy<Value = String> {
        prop::collection::vec(string_piece(), 0..4).prop_map(|pieces| format!("\"{}\"", pieces.concat()))
    }

    /// A number, valid or not, in every form JSON has and some it has not.
    fn number_literal() -> impl Strategy<Value = String> {
        prop_oneof![
            40 => (0..=1000_u32).prop_map(|n| (f64::from(n) / 1000.0).to_string()),
            6 => (0..30_u32).prop_map(|n| n.to_string()),
            6 => ("-?", "(0|[1-9][0-9]{0,4})", prop::option::of("[0-9]{1,6}")).prop_map(|(sign, integer, fraction)| {
                fraction.map_or_else(|| format!("{sign}{integer}"), |fraction| format!("{sign}{integer}.{fraction}"))
            }),
            2 => plain_number(),
            // Rarely: forms the scanner leaves to serde_json (the invalid ones come from `garble`).
            1 => prop::sample::select(
                &[
                    "-0", "-0.0", "1e3", "2.5E-3", "1E+2", "18446744073709551616", "18446744073709551615",
                    "-9223372036854775808", "-9223372036854775809", "0.12337011033099297", "1.00000001",
                    "9007199254740993.5",
                ][..],
            )
            .prop_map(str::to_owned),
        ]
    }

    /// Any JSON value, small, sometimes deep.
    fn any_value() -> impl Strategy<Value = String> {
        let leaf = prop_oneof![
            Just("null".to_owned()),
            Just("true".to_owned()),
            Just("false".to_owned()),
            number_literal(),
            string_literal(),
        ];
        let nested = leaf.prop_recursive(4, 16, 4, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4)
                    .prop_map(|items| format!("[{}]", items.join(", "))),
                prop::collection::vec((string_literal(), inner), 0..4).prop_map(|members| {
                    let members: Vec<String> =
                        members.into_iter().map(|(k, v)| format!("{k}: {v}")).collect();
                    format!("{{{}}}", members.join(", "))
                }),
            ]
        });
        prop_oneof![
            200 => nested,
            1 => (95..105_usize).prop_map(|depth| format!("{}{}", "[".repeat(depth), "]".repeat(depth))),
        ]
    }

    /// An object with these members (keys and values as written), each
    /// usually present, some repeated, in a random order, with whitespace.
    fn object(members: Vec<(&'static str, BoxedStrategy<String>)>) -> BoxedStrategy<String> {
        let members: Vec<_> = members
            .into_iter()
            .map(|(key, value)| {
                prop::option::weighted(0.95, value).prop_map(move |value| value.map(|value| (key, value)))
            })
            .collect();
        (members, prop::collection::vec(any::<prop::sample::Index>(), 0..2), whitespace())
            .prop_flat_map(|(members, repeats, space)| {
                let mut present: Vec<(&str, String)> = members.into_iter().flatten().collect();
                if !present.is_empty() {
                    for repeat in repeats {
                        present.push(present[repeat.index(present.len())].clone());
                    }
                }
                Just(present).prop_shuffle().prop_map(move |members| {
                    let members: Vec<String> = members
                        .iter()
                        .map(|(key, value)| format!("{space}\"{key}\"{space}:{space}{value}"))
                        .collect();
                    format!("{{{}{space}}}", members.join(","))
                })
            })
            .boxed()
    }

    fn whitespace() -> impl Strategy<Value = &'static str> {
        prop::sample::select(&["", " ", "\n  ", "\t", "\r\n"][..])
    }

    /// Mostly the type the contract reads, sometimes another.
    fn usually(expected: BoxedStrategy<String>) -> BoxedStrategy<String> {
        prop_oneof![15 => expected, 1 => any_value()].boxed()
    }

    fn entity() -> impl Strategy<Value = String> {
        let label = prop::sample::select(&["\"person\"", "\"Org\"", "\"ß\"", "\"l\\u00e9\"", "\"ǆ\""][..])
            .prop_map(str::to_owned)
            .boxed();
        let offset = prop_oneof![8 => (0..50_u32).prop_map(|n| n.to_string()), 1 => number_literal()].boxed();
        let entity = object(vec![
            ("label", usually(label)),
            ("start", usually(offset.clone())),
            ("end", usually(offset)),
            ("score", usually(number_literal().boxed())),
            ("extra", any_value().boxed()),
        ]);
        prop_oneof![12 => entity, 1 => any_value()]
    }

    fn document() -> impl Strategy<Value = String> {
        let plain = prop::collection::vec(prop::sample::select(&["a", "x y", "é", "東京", "🦀"][..]), 0..40)
            .prop_map(|pieces| format!("\"{}\"", pieces.concat()));
        let escaped = prop::collection::vec(string_piece(), 0..14)
            .prop_map(|pieces| format!("\"{}\"", pieces.concat()));
        let text = prop_oneof![3 => plain, 1 => escaped];
        let entities =
            prop::collection::vec(entity(), 0..6).prop_map(|entities| format!("[{}]", entities.join(", ")));
        let document = object(vec![
            ("id", usually(string_literal().boxed())),
            ("text", usually(text.boxed())),
            ("entities", usually(entities.boxed())),
            ("meta", any_value().boxed()),
        ]);
        prop_oneof![12 => document, 1 => any_value()]
    }

    fn response() -> impl Strategy<Value = String> {
        let documents = prop::collection::vec(document(), 0..5)
            .prop_map(|documents| format!("[{}]", documents.join(", ")))
            .boxed();
        let error = Just(r#"{"code": 429, "message": "slow down"}"#.to_owned()).boxed();
        let usual = (any_value(), documents.clone(), whitespace()).prop_map(|(model, documents, space)| {
            format!("{{{space}\"model\":{space}{model},{space}\"documents\":{space}{documents}{space}}}")
        });
        prop_oneof![
            20 => usual,
            // Rarely: no `documents`, or two.
            1 => object(vec![("model", any_value().boxed()), ("documents", documents)]),
            1 => object(vec![("error", error), ("documents", Just("[]".to_owned()).boxed())]),
            1 => any_value(),
        ]
    }

    /// One edit to a response's chars.
    #[derive(Debug, Clone)]
    enum Garble {
        Delete,
        Insert(&'static str),
        Replace(char),
        Truncate,
    }

    impl Garble {
        fn apply(&self, chars: &mut Vec<char>, at: usize) {
            let at = at.min(chars.len());
            match *self {
                Garble::Delete if at < chars.len() => drop(chars.remove(at)),
                Garble::Insert(text) => drop(chars.splice(at..at, text.chars())),
                Garble::Replace(char) if at < chars.len() => chars[at] = char,
                Garble::Truncate => chars.truncate(at),
                _ => {}
            }
        }
    }

    /// Edits that break the JSON, or make a string or a number one the
    /// scanner must leave to serde_json.
    fn garble() -> impl Strategy<Value = Garble> {
        const SPECIAL: [char; 17] =
            ['{', '}', '[', ']', ',', ':', '"', '\\', '0', '9', '-', '.', 'e', ' ', 'x', '\u{1}', 'é'];
        const SNIPPETS: [&str; 21] = [
            "\\ud800",
            "\\udc00",
            "\\ud800\\u0041",
            "\\ud800\\ud800",
            "\\x",
            "\\u12",
            "\\u12g4",
            "\t",
            "\\",
            "1e400",
            "-1e400",
            "01",
            "1.",
            ".5",
            "-a",
            "nul",
            "true",
            "[",
            "]",
            "{}",
            "\"error\": 1, ",
        ];
        prop_oneof![
            Just(Garble::Delete),
            prop::sample::select(&SNIPPETS[..]).prop_map(Garble::Insert),
            prop::sample::select(&SPECIAL[..]).prop_map(Garble::Replace),
            Just(Garble::Truncate),
        ]
    }
}
