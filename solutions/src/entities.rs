//! # Entities from an API response, in one pass over the JSON
//!
//! **A scanner for the usual shape, serde_json the judge of the rest.**
//! Almost every response a service sends has the documented shape: plain
//! strings (a few escapes), small integers, short decimal scores, keys in
//! the order the service writes them. The `scan` module reads such a
//! response byte by byte, once, and builds the raw documents and entities
//! the contract reads. A key where it is expected, with the `: ` after
//! it, is recognised by one 16-byte comparison. Where a string ends is
//! found a block at a time while the text's code points are counted: 64
//! bytes with AVX-512BW where the CPU has it (checked at run time), 16
//! with SSE2 elsewhere, so a 200-character text is four blocks, not
//! fourteen. A span or a score and the byte after it fit in one 8-byte
//! word: one load finds where the integer digits end, the `.` and where
//! the fraction's end, and one multiply chain values them all. The
//! moment it meets anything it is not certain to judge as
//! `serde_json::Value` would (invalid JSON, a number with an exponent or
//! past 19 digits, a fraction past 2^53, a lone surrogate, nesting deeper
//! than 100, an `error` member, two `documents`), it gives up, and the
//! whole response goes through the serde path below, which gives the exact
//! verdict, and the line and column of an error. What the scanner accepts
//! it extracts exactly as the serde path does: the same raw values go
//! through the same validation; property tests compare the two on
//! generated and garbled responses.
//!
//! **The serde path: parse straight into what is needed.** Building a
//! `serde_json::Value` allocates a map per object and a `String` per
//! string, and then the tree is walked once more. Here serde drives small
//! visitors that keep only the fields the contract reads (`documents`,
//! `error`, `id`, `text`, `entities`, `label`, `start`, `end`, `score`)
//! and borrow every string from the response (a string with escapes is
//! the one that must be copied). Every value, kept or skipped, goes
//! through `deserialize_any`, the very path `Value` takes, so the parser
//! rejects the same inputs at the same line and column (numbers out of
//! range, lone surrogates, nesting past 128, trailing garbage). The
//! visitors accept every JSON type and record a field of the wrong type as
//! absent, so they add no errors of their own; a repeated key overwrites,
//! so the last one counts, as in `Value`. An `error` member wins wherever
//! it stands.
//!
//! **One document at a time, no allocation per document.** On both paths
//! each document is finished (validated, filtered, its overlaps resolved)
//! as soon as its closing brace is read, while it is still in cache. Its
//! raw entities, the candidates and the kept spans live in buffers reused
//! from one document to the next, so the only allocations left are the
//! output's own strings, and those only for the entities kept: a label is
//! upper-cased once it has won its place, not before. A score is as likely
//! to pass `min_score` as not, so the filter sets the candidates' length
//! from the comparison instead of branching on it (a branch that would
//! mispredict half the time). The scanner reserves the output once, at
//! the density of entities it found in the first documents: letting the
//! vector double its way up to 200,000 entities cost as much as scanning
//! the whole response.
//!
//! **Offsets.** The service counts code points, Rust slices by bytes.
//! Validation needs only the text's length in code points, and overlaps
//! compare the same in code points as in bytes, since the one is a
//! monotonic function of the other. Only the spans kept are converted, all
//! of a document's at once, in order of start, by one cursor that walks
//! the text once, a block at a time while the code point it looks for
//! lies further on; within a block, the mask of the bytes that start a
//! code point gives its position (one `pdep` in a 64-byte block). A text
//! of fewer than 256 bytes, the usual, has its four 64-byte blocks
//! classified up front, and each offset's block is picked by three
//! comparisons rather than by a loop whose exit mispredicts.
//!
//! **Overlaps.** Within a document the valid entities are taken best first;
//! the kept spans are disjoint. A handful (the usual case) are checked
//! against each other directly; past that a `BTreeMap` from start to end
//! answers "does this span overlap a kept one?" with one predecessor
//! lookup: `O(m log m)` for `m` entities.
//!
//! **Cost.** One pass over the response, `O(n)` for `n` bytes, plus
//! `O(m log m)` per document (a response the scanner gives up on is read
//! twice); memory is the largest document's raw entities (borrowed
//! strings, a few words each), and the output. On the bench's 51 MB
//! response (AMD EPYC Zen 5, AVX-512) the whole extraction, owned output
//! included (three `String`s per entity kept, most of what is left), takes
//! a little under twice the time serde_json takes to validate the bytes
//! into `IgnoredAny`: the README has the figures.

use std::borrow::Cow;
use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, Deserialize, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

mod blocks;
mod scan;

use blocks::code_points_to_bytes;

pub use kata_types::{Entity, Extraction, Problem, ResponseError};

/// The entities of a named-entity service's response, and the problems
/// that made it skip some documents or entities.
///
/// See the module documentation of the exercise for the full contract.
///
/// ```
/// use solutions::entities::{extract_entities, Problem, ResponseError};
/// let response = r#"{"documents": [{"id": "d1", "text": "Zoë met Ada",
///     "entities": [{"label": "person", "start": 0, "end": 3, "score": 0.9},
///                  {"label": "person", "start": 8, "end": 11, "score": 0.4},
///                  {"label": "person", "start": 8, "score": 0.8}]}]}"#;
/// let extraction = extract_entities(response, 0.5).unwrap();
/// assert_eq!(extraction.entities.len(), 1);
/// assert_eq!((extraction.entities[0].text.as_str(), extraction.entities[0].end), ("Zoë", 4));
/// assert_eq!(extraction.problems, [Problem::MissingField { doc: 0, entity: Some(2), field: "end" }]);
///
/// let busy = r#"{"error": {"code": 429, "message": "slow down"}}"#;
/// assert_eq!(extract_entities(busy, 0.5), Err(ResponseError::Api { code: 429, message: "slow down".into() }));
/// ```
pub fn extract_entities(response: &str, min_score: f32) -> Result<Extraction, ResponseError> {
    scan::extract(response, min_score).or_else(|scan::Unsure| extract_through_serde(response, min_score))
}

/// The contract through serde_json: every value through `deserialize_any`,
/// as `Value` takes it, so any input gets `Value`'s verdict.
fn extract_through_serde(response: &str, min_score: f32) -> Result<Extraction, ResponseError> {
    let json = |error: serde_json::Error| ResponseError::Json { line: error.line(), column: error.column() };
    // What `serde_json::from_str` does, with the seed that carries `min_score`.
    let mut deserializer = serde_json::Deserializer::from_str(response);
    let top = TopSeed { min_score }.deserialize(&mut deserializer).map_err(json)?;
    deserializer.end().map_err(json)?;
    let Top::Object { error, documents } = top else {
        return Err(ResponseError::Shape);
    };
    if let Some(error) = error {
        return Err(error.into_response_error());
    }
    documents.flatten().ok_or(ResponseError::Shape)
}

/// Buffers reused from one document to the next.
#[derive(Default)]
struct Workspace<'de> {
    /// The current document's entities as parsed.
    raw: Vec<RawEntity<'de>>,
    /// Its valid entities scoring at least `min_score`.
    candidates: Vec<Candidate>,
    /// Those kept, by start.
    kept: Vec<Candidate>,
    /// Kept spans, start → end, when there are too many to compare directly.
    taken: BTreeMap<u64, u64>,
    /// The kept spans' starts and ends, code points then bytes.
    offsets: Vec<usize>,
}

/// Validates one parsed document's entities (in `work.raw`) and appends
/// those kept, or the problems.
fn extract_document(
    doc: usize,
    document: RawDocument<'_>,
    min_score: f32,
    work: &mut Workspace<'_>,
    out: &mut Extraction,
) {
    let fields = match document {
        RawDocument::NotObject => Err("object"),
        RawDocument::Object { id: None, .. } => Err("id"),
        RawDocument::Object { text: None, .. } => Err("text"),
        RawDocument::Object { entities: false, .. } => Err("entities"),
        RawDocument::Object { id: Some(id), text: Some(text), entities: true } => Ok((id, text)),
    };
    let (id, text) = match fields {
        Ok(fields) => fields,
        Err(field) => {
            out.problems.push(Problem::MissingField { doc, entity: None, field });
            return;
        }
    };
    let DocumentText { text, chars } = text;
    work.candidates.clear();
    for (entity, raw) in work.raw.iter().enumerate() {
        match validate(raw, chars) {
            Ok((start, end, score)) => {
                // Pushed, then dropped again unless it scores enough: a
                // score is as likely above as below, and a length that
                // depends on it costs no branch to mispredict.
                work.candidates.push(Candidate { start, end, score, entity });
                let kept = work.candidates.len() - 1 + usize::from(score >= min_score);
                work.candidates.truncate(kept);
            }
            Err(problem) => out.problems.push(problem.at(doc, entity)),
        }
    }
    keep_best(work);
    // Kept spans are disjoint and by start: their offsets only increase.
    let offsets = &mut work.offsets;
    offsets.clear();
    offsets.extend(work.kept.iter().flat_map(|kept| [kept.start as usize, kept.end as usize]));
    code_points_to_bytes(&text, offsets);
    for (kept, &[start, end]) in work.kept.iter().zip(offsets.as_chunks::<2>().0) {
        out.entities.push(Entity {
            doc_id: id.to_string(),
            label: work.raw[kept.entity].label().to_uppercase(),
            text: text[start..end].to_owned(),
            start,
            end,
            score: kept.score,
        });
    }
}

/// A valid entity: its span in code points, its score, and where it is in
/// the document's list (for its label).
#[derive(Debug, Clone, Copy)]
struct Candidate {
    start: u64,
    end: u64,
    score: f32,
    entity: usize,
}

/// What is wrong with an entity, before its position is known.
enum EntityProblem {
    Missing(&'static str),
    BadSpan,
    BadScore,
}

impl EntityProblem {
    fn at(self, doc: usize, entity: usize) -> Problem {
        match self {
            EntityProblem::Missing(field) => Problem::MissingField { doc, entity: Some(entity), field },
            EntityProblem::BadSpan => Problem::BadSpan { doc, entity },
            EntityProblem::BadScore => Problem::BadScore { doc, entity },
        }
    }
}

/// Checks one entity in the contract's order: missing fields (label, start,
/// end, score), then the span (against the text's `chars` code points),
/// then the score. Returns the span in code points and the f32 score.
fn validate(raw: &RawEntity<'_>, chars: u64) -> Result<(u64, u64, f32), EntityProblem> {
    if !raw.object {
        return Err(EntityProblem::Missing("object"));
    }
    raw.label.as_ref().ok_or(EntityProblem::Missing("label"))?;
    let start = raw.start.ok_or(EntityProblem::Missing("start"))?;
    let end = raw.end.ok_or(EntityProblem::Missing("end"))?;
    let score = raw.score.ok_or(EntityProblem::Missing("score"))?;
    let (Some(start), Some(end)) = (start, end) else {
        return Err(EntityProblem::BadSpan);
    };
    if !(start < end && end <= chars) {
        return Err(EntityProblem::BadSpan);
    }
    if !(0.0..=1.0).contains(&score) {
        return Err(EntityProblem::BadScore);
    }
    Ok((start, end, score as f32))
}

/// Up to this many candidates, each is checked against the kept ones
/// directly; beyond, through the `BTreeMap`.
const DIRECT_OVERLAP_CHECK: usize = 16;

/// Fills `work.kept` from `work.candidates`: best first (score descending,
/// then earlier start, then longer span, then upper-cased label ascending),
/// each kept unless it overlaps one already kept; then sorted by start.
fn keep_best(work: &mut Workspace<'_>) {
    let Workspace { raw, candidates, kept, taken, .. } = work;
    candidates.sort_unstable_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then(a.start.cmp(&b.start))
            .then(b.end.cmp(&a.end))
            .then_with(|| upper_cased_cmp(raw[a.entity].label(), raw[b.entity].label()))
    });
    kept.clear();
    let disjoint = |a: &Candidate, b: &Candidate| a.end <= b.start || b.end <= a.start;
    if candidates.len() <= DIRECT_OVERLAP_CHECK {
        for candidate in candidates.iter() {
            if kept.iter().all(|other| disjoint(other, candidate)) {
                kept.push(*candidate);
            }
        }
    } else {
        taken.clear();
        for candidate in candidates.iter() {
            // Of the kept spans starting before this one ends, the last one
            // ends last; if it ends by this one's start, none overlaps.
            let overlaps =
                taken.range(..candidate.end).next_back().is_some_and(|(_, &end)| end > candidate.start);
            if !overlaps {
                taken.insert(candidate.start, candidate.end);
                kept.push(*candidate);
            }
        }
    }
    kept.sort_unstable_by_key(|candidate| candidate.start);
}

/// Compares two labels as their upper-cased forms would compare, without
/// building them (`str::to_uppercase` maps each char on its own, and UTF-8
/// orders bytes as it orders code points).
fn upper_cased_cmp(a: &str, b: &str) -> Ordering {
    a.chars().flat_map(char::to_uppercase).cmp(b.chars().flat_map(char::to_uppercase))
}

// ------------------------------------------------------------ the raw response

/// The top level of the response. Fields hold `None` when present but
/// null or of the wrong type; the outer `Option` of `documents` is whether
/// the member is present at all.
enum Top {
    Object { error: Option<RawError>, documents: Option<Option<Extraction>> },
    NotObject,
}

/// An `error` member: any JSON value, kept only as far as the contract reads it.
enum RawError {
    Object { code: Option<i64>, message: Option<String> },
    NotObject,
}

impl RawError {
    fn into_response_error(self) -> ResponseError {
        match self {
            RawError::Object { code: Some(code), message: Some(message) } => {
                ResponseError::Api { code, message }
            }
            _ => ResponseError::Shape,
        }
    }
}

/// A document as parsed; its entities are in the workspace.
enum RawDocument<'a> {
    /// `entities`: whether the member is an array.
    Object {
        id: Option<Cow<'a, str>>,
        text: Option<DocumentText<'a>>,
        entities: bool,
    },
    NotObject,
}

/// A document's text and its length in code points.
struct DocumentText<'a> {
    text: Cow<'a, str>,
    chars: u64,
}

impl<'a> DocumentText<'a> {
    fn counted(text: Cow<'a, str>) -> Self {
        let chars = text.chars().count() as u64;
        DocumentText { text, chars }
    }
}

/// An entity as parsed: `object` is false for any other JSON value (and
/// then the fields are `None`).
struct RawEntity<'a> {
    object: bool,
    label: Option<Cow<'a, str>>,
    /// `Some(None)`: a number, but not one `Value` holds as a u64.
    start: Option<Option<u64>>,
    end: Option<Option<u64>>,
    score: Option<f64>,
}

impl RawEntity<'_> {
    const NOT_OBJECT: Self = RawEntity { object: false, label: None, start: None, end: None, score: None };

    /// The label, for an entity that passed validation.
    fn label(&self) -> &str {
        self.label.as_deref().unwrap_or_default()
    }
}

/// What a visitor makes of a JSON value of a type it does not want: it
/// still has to walk the value (so the parser validates it) and answers
/// with `on_other`.
macro_rules! visit_other_types {
    ($on_other:expr, [$($skip:ident),*]) => {
        $(visit_other_types!(@one $skip, $on_other);)*
    };
    (@one bool, $v:expr) => { fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> { Ok($v) } };
    (@one i64, $v:expr) => { fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> { Ok($v) } };
    (@one u64, $v:expr) => { fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> { Ok($v) } };
    (@one f64, $v:expr) => { fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> { Ok($v) } };
    (@one str, $v:expr) => { fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> { Ok($v) } };
    (@one unit, $v:expr) => { fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> { Ok($v) } };
    (@one seq, $v:expr) => {
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            while seq.next_element::<Skip>()?.is_some() {}
            Ok($v)
        }
    };
    (@one map, $v:expr) => {
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            while map.next_entry::<Skip, Skip>()?.is_some() {}
            Ok($v)
        }
    };
}

/// The `expecting` every visitor here has: each accepts any JSON value.
macro_rules! expecting_any {
    () => {
        fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
            formatter.write_str("any JSON value")
        }
    };
}

/// Any JSON value, walked through `deserialize_any` (as `Value` is) and dropped.
struct Skip;

impl<'de> Deserialize<'de> for Skip {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(SkipVisitor)
    }
}

struct SkipVisitor;

impl<'de> Visitor<'de> for SkipVisitor {
    type Value = Skip;
    expecting_any!();
    visit_other_types!(Skip, [bool, i64, u64, f64, str, unit, seq, map]);
}

/// Deserializes a value with `$visitor` through `deserialize_any`.
macro_rules! deserialize_any_with {
    ($type:ty, $visitor:expr) => {
        impl<'de> Deserialize<'de> for $type {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                deserializer.deserialize_any($visitor)
            }
        }
    };
}

/// A string (borrowed when it has no escapes), or `None` for any other value.
struct Text<'a>(Option<Cow<'a, str>>);
struct TextVisitor;
deserialize_any_with!(Text<'de>, TextVisitor);

impl<'de> Visitor<'de> for TextVisitor {
    type Value = Text<'de>;
    expecting_any!();
    fn visit_borrowed_str<E: de::Error>(self, text: &'de str) -> Result<Self::Value, E> {
        Ok(Text(Some(Cow::Borrowed(text))))
    }
    fn visit_str<E: de::Error>(self, text: &str) -> Result<Self::Value, E> {
        Ok(Text(Some(Cow::Owned(text.to_owned()))))
    }
    visit_other_types!(Text(None), [bool, i64, u64, f64, unit, seq, map]);
}

/// A JSON number as the contract reads it (`Value`'s `as_u64`, `as_i64` and
/// `as_f64`), or `None` for any other value.
#[derive(Clone, Copy)]
struct Number(Option<NumberKind>);

#[derive(Clone, Copy)]
enum NumberKind {
    Unsigned(u64),
    Negative(i64),
    Float(f64),
}

impl NumberKind {
    fn as_u64(self) -> Option<u64> {
        match self {
            NumberKind::Unsigned(n) => Some(n),
            NumberKind::Negative(_) | NumberKind::Float(_) => None,
        }
    }
    fn as_i64(self) -> Option<i64> {
        match self {
            NumberKind::Unsigned(n) => i64::try_from(n).ok(),
            NumberKind::Negative(n) => Some(n),
            NumberKind::Float(_) => None,
        }
    }
    fn as_f64(self) -> f64 {
        match self {
            NumberKind::Unsigned(n) => n as f64,
            NumberKind::Negative(n) => n as f64,
            NumberKind::Float(x) => x,
        }
    }
}

struct NumberVisitor;
deserialize_any_with!(Number, NumberVisitor);

impl<'de> Visitor<'de> for NumberVisitor {
    type Value = Number;
    expecting_any!();
    fn visit_u64<E: de::Error>(self, n: u64) -> Result<Self::Value, E> {
        Ok(Number(Some(NumberKind::Unsigned(n))))
    }
    fn visit_i64<E: de::Error>(self, n: i64) -> Result<Self::Value, E> {
        // `Value` stores a non-negative i64 as an unsigned number.
        Ok(Number(Some(u64::try_from(n).map_or(NumberKind::Negative(n), NumberKind::Unsigned))))
    }
    fn visit_f64<E: de::Error>(self, x: f64) -> Result<Self::Value, E> {
        Ok(Number(Some(NumberKind::Float(x))))
    }
    visit_other_types!(Number(None), [bool, str, unit, seq, map]);
}

/// A map key, as one of the fields the contract reads or any other.
#[derive(Clone, Copy)]
enum Key {
    Documents,
    Error,
    Code,
    Message,
    Id,
    Text,
    Entities,
    Label,
    Start,
    End,
    Score,
    Other,
}

struct KeyVisitor;
deserialize_any_with!(Key, KeyVisitor);

impl<'de> Visitor<'de> for KeyVisitor {
    type Value = Key;
    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("a key")
    }
    fn visit_str<E: de::Error>(self, key: &str) -> Result<Self::Value, E> {
        Ok(Key::named(key))
    }
    visit_other_types!(Key::Other, [bool, i64, u64, f64, unit, seq, map]);
}

impl Key {
    fn named(key: &str) -> Key {
        match key {
            "documents" => Key::Documents,
            "error" => Key::Error,
            "code" => Key::Code,
            "message" => Key::Message,
            "id" => Key::Id,
            "text" => Key::Text,
            "entities" => Key::Entities,
            "label" => Key::Label,
            "start" => Key::Start,
            "end" => Key::End,
            "score" => Key::Score,
            _ => Key::Other,
        }
    }
}

/// The top level, with the `min_score` its documents are filtered by.
struct TopSeed {
    min_score: f32,
}

impl<'de> DeserializeSeed<'de> for TopSeed {
    type Value = Top;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Top, D::Error> {
        deserializer.deserialize_any(TopVisitor { min_score: self.min_score })
    }
}

struct TopVisitor {
    min_score: f32,
}

impl<'de> Visitor<'de> for TopVisitor {
    type Value = Top;
    expecting_any!();
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let (mut error, mut documents) = (None, None);
        while let Some(key) = map.next_key()? {
            match key {
                Key::Error => error = Some(map.next_value()?),
                Key::Documents => {
                    documents = Some(map.next_value_seed(DocumentsSeed { min_score: self.min_score })?);
                }
                _ => {
                    map.next_value::<Skip>()?;
                }
            }
        }
        Ok(Top::Object { error, documents })
    }
    visit_other_types!(Top::NotObject, [bool, i64, u64, f64, str, unit, seq]);
}

struct RawErrorVisitor;
deserialize_any_with!(RawError, RawErrorVisitor);

impl<'de> Visitor<'de> for RawErrorVisitor {
    type Value = RawError;
    expecting_any!();
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let (mut code, mut message) = (None, None);
        while let Some(key) = map.next_key()? {
            match key {
                Key::Code => code = map.next_value::<Number>()?.0.and_then(NumberKind::as_i64),
                Key::Message => message = map.next_value::<Text<'de>>()?.0.map(Cow::into_owned),
                _ => {
                    map.next_value::<Skip>()?;
                }
            }
        }
        Ok(RawError::Object { code, message })
    }
    visit_other_types!(RawError::NotObject, [bool, i64, u64, f64, str, unit, seq]);
}

/// A `documents` member: an array is extracted document by document into
/// `Some(extraction)`; any other value is `None`.
struct DocumentsSeed {
    min_score: f32,
}

impl<'de> DeserializeSeed<'de> for DocumentsSeed {
    type Value = Option<Extraction>;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(DocumentsVisitor { min_score: self.min_score })
    }
}

struct DocumentsVisitor {
    min_score: f32,
}

impl<'de> Visitor<'de> for DocumentsVisitor {
    type Value = Option<Extraction>;
    expecting_any!();
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut out = Extraction { entities: Vec::new(), problems: Vec::new() };
        let mut work = Workspace::default();
        let mut doc = 0;
        while seq
            .next_element_seed(DocumentSeed {
                doc,
                min_score: self.min_score,
                work: &mut work,
                out: &mut out,
            })?
            .is_some()
        {
            doc += 1;
        }
        Ok(Some(out))
    }
    visit_other_types!(None, [bool, i64, u64, f64, str, unit, map]);
}

/// Document number `doc`: parsed, then extracted into `out`.
struct DocumentSeed<'s, 'de> {
    doc: usize,
    min_score: f32,
    work: &'s mut Workspace<'de>,
    out: &'s mut Extraction,
}

impl<'de> DeserializeSeed<'de> for DocumentSeed<'_, 'de> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        let DocumentSeed { doc, min_score, work, out } = self;
        work.raw.clear();
        let document = deserializer.deserialize_any(DocumentVisitor { raw: &mut work.raw })?;
        extract_document(doc, document, min_score, work, out);
        Ok(())
    }
}

/// Parses a document, its entities into `raw`.
struct DocumentVisitor<'s, 'de> {
    raw: &'s mut Vec<RawEntity<'de>>,
}

impl<'de> Visitor<'de> for DocumentVisitor<'_, 'de> {
    type Value = RawDocument<'de>;
    expecting_any!();
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let (mut id, mut text, mut entities) = (None, None, false);
        while let Some(key) = map.next_key()? {
            match key {
                Key::Id => id = map.next_value::<Text<'de>>()?.0,
                Key::Text => text = map.next_value::<Text<'de>>()?.0.map(DocumentText::counted),
                Key::Entities => entities = map.next_value_seed(EntitiesSeed { raw: &mut *self.raw })?,
                _ => {
                    map.next_value::<Skip>()?;
                }
            }
        }
        Ok(RawDocument::Object { id, text, entities })
    }
    visit_other_types!(RawDocument::NotObject, [bool, i64, u64, f64, str, unit, seq]);
}

/// An `entities` member: an array fills `raw` (replacing what an earlier
/// `entities` key left) and answers true; any other value answers false.
struct EntitiesSeed<'s, 'de> {
    raw: &'s mut Vec<RawEntity<'de>>,
}

impl<'de> DeserializeSeed<'de> for EntitiesSeed<'_, 'de> {
    type Value = bool;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<bool, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for EntitiesSeed<'_, 'de> {
    type Value = bool;
    expecting_any!();
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        self.raw.clear();
        while let Some(entity) = seq.next_element()? {
            self.raw.push(entity);
        }
        Ok(true)
    }
    visit_other_types!(false, [bool, i64, u64, f64, str, unit, map]);
}

struct RawEntityVisitor;
deserialize_any_with!(RawEntity<'de>, RawEntityVisitor);

impl<'de> Visitor<'de> for RawEntityVisitor {
    type Value = RawEntity<'de>;
    expecting_any!();
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut entity = RawEntity { object: true, ..RawEntity::NOT_OBJECT };
        while let Some(key) = map.next_key()? {
            match key {
                Key::Label => entity.label = map.next_value::<Text<'de>>()?.0,
                Key::Start => entity.start = map.next_value::<Number>()?.0.map(NumberKind::as_u64),
                Key::End => entity.end = map.next_value::<Number>()?.0.map(NumberKind::as_u64),
                Key::Score => entity.score = map.next_value::<Number>()?.0.map(NumberKind::as_f64),
                _ => {
                    map.next_value::<Skip>()?;
                }
            }
        }
        Ok(entity)
    }
    visit_other_types!(RawEntity::NOT_OBJECT, [bool, i64, u64, f64, str, unit, seq]);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upper_cased_labels_compare_as_their_upper_cased_strings() {
        let labels = ["person", "PERSON", "Straße", "STRASSE", "éa", "Éb", "ß", "ss", "", "ǆ"];
        for a in labels {
            for b in labels {
                assert_eq!(upper_cased_cmp(a, b), a.to_uppercase().cmp(&b.to_uppercase()), "{a:?} vs {b:?}");
            }
        }
    }

    /// The same overlapping entities, few enough to be compared directly
    /// and repeated in many documents' worth so the map decides.
    #[test]
    fn the_direct_check_and_the_map_keep_the_same_spans() {
        let spans =
            [(0, 5, 0.9), (3, 8, 0.95), (8, 9, 0.5), (5, 8, 0.5), (1, 2, 0.99), (9, 12, 0.7), (10, 11, 0.7)];
        let entity = |(start, end, score): (u64, u64, f64)| {
            format!(r#"{{"label": "x", "start": {start}, "end": {end}, "score": {score}}}"#)
        };
        let few: Vec<String> = spans.iter().map(|&span| entity(span)).collect();
        let many: Vec<String> = (0..DIRECT_OVERLAP_CHECK as u64 + 1)
            .flat_map(|block| {
                spans.iter().map(move |&(s, e, score)| entity((s + 12 * block, e + 12 * block, score)))
            })
            .collect();
        let response = |entities: &[String], chars: usize| {
            format!(
                r#"{{"documents": [{{"id": "d", "text": "{}", "entities": [{}]}}]}}"#,
                "é".repeat(chars),
                entities.join(", ")
            )
        };
        let spans_of = |extraction: Extraction| -> Vec<(usize, usize)> {
            extraction.entities.iter().map(|entity| (entity.start / 2, entity.end / 2)).collect()
        };
        let few = spans_of(extract_entities(&response(&few, 12), 0.0).expect("a valid response"));
        assert_eq!(few, [(1, 2), (3, 8), (8, 9), (9, 12)]);
        let many = spans_of(
            extract_entities(&response(&many, 12 * (DIRECT_OVERLAP_CHECK + 1)), 0.0)
                .expect("a valid response"),
        );
        let expected: Vec<(usize, usize)> = (0..DIRECT_OVERLAP_CHECK + 1)
            .flat_map(|block| few.iter().map(move |&(start, end)| (start + 12 * block, end + 12 * block)))
            .collect();
        assert_eq!(many, expected);
    }
}
