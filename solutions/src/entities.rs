//! # Entities from an API response, in one pass over the JSON
//!
//! **Parse straight into what is needed.** Building a `serde_json::Value`
//! allocates a map per object and a `String` per string, and then the tree
//! is walked once more. Here serde drives small visitors that keep only the
//! fields the contract reads (`documents`, `error`, `id`, `text`,
//! `entities`, `label`, `start`, `end`, `score`) and borrow every string from
//! the response (a string with escapes is the one that must be copied).
//! Everything else is skipped.
//!
//! **Same verdicts as `Value`.** Every value, kept or skipped, goes through
//! `deserialize_any`, the very path `Value` takes, so the parser rejects the
//! same inputs at the same line and column (numbers out of range, lone
//! surrogates, nesting past 128, trailing garbage). The visitors accept
//! every JSON type and record a field of the wrong type as absent, so they
//! add no errors of their own; a repeated key overwrites, so the last one
//! counts, as in `Value`.
//!
//! **Offsets.** The service counts code points, Rust slices by bytes. ASCII
//! text (checked once, a few bytes per cycle) needs no conversion; other
//! text gets one table of code-point starts, built once per document.
//!
//! **Overlaps.** Within a document the valid entities are taken best first;
//! the kept spans are disjoint, so a `BTreeMap` from start to end answers
//! "does this span overlap a kept one?" with one predecessor lookup:
//! `O(m log m)` for `m` entities.
//!
//! **Cost.** One pass over the response, `O(n)` for `n` bytes, plus
//! `O(m log m)` per document; memory is the entities (borrowed strings, a
//! few words each) of the response, and the output.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

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
    let top: Top = serde_json::from_str(response)
        .map_err(|error| ResponseError::Json { line: error.line(), column: error.column() })?;
    let Top::Object { error, documents } = top else {
        return Err(ResponseError::Shape);
    };
    if let Some(error) = error {
        return Err(error.into_response_error());
    }
    let documents = documents.flatten().ok_or(ResponseError::Shape)?;
    let mut extraction = Extraction { entities: Vec::new(), problems: Vec::new() };
    for (doc, document) in documents.iter().enumerate() {
        extract_document(doc, document, min_score, &mut extraction);
    }
    Ok(extraction)
}

/// Validates one document's entities and appends those kept, or the problem.
fn extract_document(doc: usize, document: &RawDocument<'_>, min_score: f32, out: &mut Extraction) {
    let fields = match document {
        RawDocument::NotObject => Err("object"),
        RawDocument::Object { id: None, .. } => Err("id"),
        RawDocument::Object { text: None, .. } => Err("text"),
        RawDocument::Object { entities: None, .. } => Err("entities"),
        RawDocument::Object { id: Some(id), text: Some(text), entities: Some(entities) } => {
            Ok((id, text, entities))
        }
    };
    let (id, text, entities) = match fields {
        Ok(fields) => fields,
        Err(field) => {
            out.problems.push(Problem::MissingField { doc, entity: None, field });
            return;
        }
    };
    let offsets = CodePoints::of(text);
    let mut candidates = Vec::with_capacity(entities.len());
    for (entity, raw) in entities.iter().enumerate() {
        match validate(raw, &offsets) {
            Ok(candidate) if candidate.score >= min_score => candidates.push(candidate),
            Ok(_) => {}
            Err(problem) => out.problems.push(problem.at(doc, entity)),
        }
    }
    for kept in without_overlaps(candidates) {
        out.entities.push(Entity {
            doc_id: id.to_string(),
            text: text[kept.start..kept.end].to_owned(),
            label: kept.label,
            start: kept.start,
            end: kept.end,
            score: kept.score,
        });
    }
}

/// A valid entity, its span in bytes.
#[derive(Debug)]
struct Candidate {
    label: String,
    start: usize,
    end: usize,
    score: f32,
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
/// end, score), then the span, then the score.
fn validate(raw: &RawEntity<'_>, offsets: &CodePoints) -> Result<Candidate, EntityProblem> {
    let RawEntity::Object { label, start, end, score } = raw else {
        return Err(EntityProblem::Missing("object"));
    };
    let label = label.as_ref().ok_or(EntityProblem::Missing("label"))?;
    let start = start.ok_or(EntityProblem::Missing("start"))?;
    let end = end.ok_or(EntityProblem::Missing("end"))?;
    let score = score.ok_or(EntityProblem::Missing("score"))?;
    let (Some(start), Some(end)) = (start, end) else {
        return Err(EntityProblem::BadSpan);
    };
    if !(start < end && end <= offsets.chars) {
        return Err(EntityProblem::BadSpan);
    }
    if !(0.0..=1.0).contains(&score) {
        return Err(EntityProblem::BadScore);
    }
    Ok(Candidate {
        label: label.to_uppercase(),
        // Both are at most `chars`, so they fit in usize.
        start: offsets.byte(start as usize),
        end: offsets.byte(end as usize),
        score: score as f32,
    })
}

/// Converts code-point offsets into byte offsets within one text.
struct CodePoints {
    /// Code points in the text.
    chars: u64,
    /// The byte offset of each code point, and the text's length last; empty
    /// for ASCII text, where the two offsets agree.
    starts: Vec<usize>,
}

impl CodePoints {
    fn of(text: &str) -> Self {
        if text.is_ascii() {
            return CodePoints { chars: text.len() as u64, starts: Vec::new() };
        }
        let mut starts: Vec<usize> = text.char_indices().map(|(byte, _)| byte).collect();
        starts.push(text.len());
        CodePoints { chars: starts.len() as u64 - 1, starts }
    }

    /// The byte offset of code point `index` (`index <= chars`).
    fn byte(&self, index: usize) -> usize {
        if self.starts.is_empty() { index } else { self.starts[index] }
    }
}

/// The candidates kept: best first (score descending, then earlier start,
/// then longer span, then label ascending), each kept unless it overlaps one
/// already kept; returned by start.
fn without_overlaps(mut candidates: Vec<Candidate>) -> Vec<Candidate> {
    candidates.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then(a.start.cmp(&b.start))
            .then(b.end.cmp(&a.end))
            .then_with(|| a.label.cmp(&b.label))
    });
    // Kept spans are disjoint: start → end.
    let mut taken: BTreeMap<usize, usize> = BTreeMap::new();
    let mut kept = Vec::new();
    for candidate in candidates {
        // Of the kept spans starting before this one ends, the last one
        // ends last; if it ends by this one's start, none overlaps.
        let overlaps =
            taken.range(..candidate.end).next_back().is_some_and(|(_, &end)| end > candidate.start);
        if !overlaps {
            taken.insert(candidate.start, candidate.end);
            kept.push(candidate);
        }
    }
    kept.sort_by_key(|candidate| candidate.start);
    kept
}

// ------------------------------------------------------------ the raw response

/// The top level of the response. Fields hold `None` when present but
/// null or of the wrong type; the outer `Option` of `documents` is whether
/// the member is present at all.
enum Top<'a> {
    Object { error: Option<RawError<'a>>, documents: Option<Option<Vec<RawDocument<'a>>>> },
    NotObject,
}

/// An `error` member: any JSON value, kept only as far as the contract reads it.
enum RawError<'a> {
    Object { code: Option<i64>, message: Option<Cow<'a, str>> },
    NotObject,
}

impl RawError<'_> {
    fn into_response_error(self) -> ResponseError {
        match self {
            RawError::Object { code: Some(code), message: Some(message) } => {
                ResponseError::Api { code, message: message.into_owned() }
            }
            _ => ResponseError::Shape,
        }
    }
}

enum RawDocument<'a> {
    Object { id: Option<Cow<'a, str>>, text: Option<Cow<'a, str>>, entities: Option<Vec<RawEntity<'a>>> },
    NotObject,
}

enum RawEntity<'a> {
    Object {
        label: Option<Cow<'a, str>>,
        /// `Some(None)`: a number, but not one `Value` holds as a u64.
        start: Option<Option<u64>>,
        end: Option<Option<u64>>,
        score: Option<f64>,
    },
    NotObject,
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
    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("any JSON value")
    }
    visit_other_types!(Skip, [bool, i64, u64, f64, str, unit, seq, map]);
}

/// Deserializes a value with `$visitor` through `deserialize_any`.
macro_rules! deserialize_any_with {
    ($type:ident, $visitor:ident) => {
        impl<'de> Deserialize<'de> for $type<'de> {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                deserializer.deserialize_any($visitor)
            }
        }
    };
}

/// A string (borrowed when it has no escapes), or `None` for any other value.
struct Text<'a>(Option<Cow<'a, str>>);
struct TextVisitor;
deserialize_any_with!(Text, TextVisitor);

impl<'de> Visitor<'de> for TextVisitor {
    type Value = Text<'de>;
    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("any JSON value")
    }
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

impl<'de> Deserialize<'de> for Number {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(NumberVisitor)
    }
}

struct NumberVisitor;

impl<'de> Visitor<'de> for NumberVisitor {
    type Value = Number;
    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("any JSON value")
    }
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

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(KeyVisitor)
    }
}

struct KeyVisitor;

impl<'de> Visitor<'de> for KeyVisitor {
    type Value = Key;
    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("a key")
    }
    fn visit_str<E: de::Error>(self, key: &str) -> Result<Self::Value, E> {
        Ok(match key {
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
        })
    }
    visit_other_types!(Key::Other, [bool, i64, u64, f64, unit, seq, map]);
}

/// An array of `T`, or `None` for any other value.
struct Array<T>(Option<Vec<T>>);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Array<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ArrayVisitor(std::marker::PhantomData))
    }
}

struct ArrayVisitor<T>(std::marker::PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for ArrayVisitor<T> {
    type Value = Array<T>;
    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("any JSON value")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Array(Some(items)))
    }
    visit_other_types!(Array(None), [bool, i64, u64, f64, str, unit, map]);
}

struct TopVisitor;
deserialize_any_with!(Top, TopVisitor);

impl<'de> Visitor<'de> for TopVisitor {
    type Value = Top<'de>;
    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("any JSON value")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let (mut error, mut documents) = (None, None);
        while let Some(key) = map.next_key()? {
            match key {
                Key::Error => error = Some(map.next_value()?),
                Key::Documents => documents = Some(map.next_value::<Array<RawDocument<'de>>>()?.0),
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
    type Value = RawError<'de>;
    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("any JSON value")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let (mut code, mut message) = (None, None);
        while let Some(key) = map.next_key()? {
            match key {
                Key::Code => code = map.next_value::<Number>()?.0.and_then(NumberKind::as_i64),
                Key::Message => message = map.next_value::<Text<'de>>()?.0,
                _ => {
                    map.next_value::<Skip>()?;
                }
            }
        }
        Ok(RawError::Object { code, message })
    }
    visit_other_types!(RawError::NotObject, [bool, i64, u64, f64, str, unit, seq]);
}

struct RawDocumentVisitor;
deserialize_any_with!(RawDocument, RawDocumentVisitor);

impl<'de> Visitor<'de> for RawDocumentVisitor {
    type Value = RawDocument<'de>;
    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("any JSON value")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let (mut id, mut text, mut entities) = (None, None, None);
        while let Some(key) = map.next_key()? {
            match key {
                Key::Id => id = map.next_value::<Text<'de>>()?.0,
                Key::Text => text = map.next_value::<Text<'de>>()?.0,
                Key::Entities => entities = map.next_value::<Array<RawEntity<'de>>>()?.0,
                _ => {
                    map.next_value::<Skip>()?;
                }
            }
        }
        Ok(RawDocument::Object { id, text, entities })
    }
    visit_other_types!(RawDocument::NotObject, [bool, i64, u64, f64, str, unit, seq]);
}

struct RawEntityVisitor;
deserialize_any_with!(RawEntity, RawEntityVisitor);

impl<'de> Visitor<'de> for RawEntityVisitor {
    type Value = RawEntity<'de>;
    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("any JSON value")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let (mut label, mut start, mut end, mut score) = (None, None, None, None);
        while let Some(key) = map.next_key()? {
            match key {
                Key::Label => label = map.next_value::<Text<'de>>()?.0,
                Key::Start => start = map.next_value::<Number>()?.0.map(NumberKind::as_u64),
                Key::End => end = map.next_value::<Number>()?.0.map(NumberKind::as_u64),
                Key::Score => score = map.next_value::<Number>()?.0.map(NumberKind::as_f64),
                _ => {
                    map.next_value::<Skip>()?;
                }
            }
        }
        Ok(RawEntity::Object { label, start, end, score })
    }
    visit_other_types!(RawEntity::NotObject, [bool, i64, u64, f64, str, unit, seq]);
}
