//! # Entities from an API response
//!
//! A named-entity service answers in JSON. Turn its response into entities
//! you can slice out of the documents, without letting one malformed entity
//! lose the whole batch, and without mistaking an error for "no entities".
//!
//! ## The response
//! ```text
//! {"documents": [{"id": "d1", "text": "...",
//!                 "entities": [{"label": "person", "start": 0, "end": 12, "score": 0.98}]}]}
//! ```
//! or, on failure, `{"error": {"code": 429, "message": "..."}}`. Fields beyond
//! these may appear and are ignored. `serde` and `serde_json` are available.
//!
//! ## Task
//! Implement [`extract_entities`]: every valid entity scoring at least
//! `min_score`, as an [`Entity`] (byte offsets, the text slice, the label
//! upper-cased), and a [`Problem`] for every document or entity skipped.
//!
//! ## Rules
//! - `start`/`end` count Unicode code points (as Python does); `Entity.start`
//!   and `end` are *byte* offsets into the text, `Entity.text` that slice.
//!   A span is valid when `start < end <= number of code points`.
//! - A score must be finite and in `[0, 1]`, checked on the JSON number as
//!   f64 (`1.00000001` is bad). After that check the score is the f32.
//! - Entities scoring below `min_score` are dropped (after validation); a
//!   NaN `min_score` keeps nothing.
//! - Overlaps within a document: take entities by score descending (ties:
//!   earlier start, then longer span, then upper-cased label ascending) and
//!   keep each that overlaps no entity already kept (`[s, e)` spans: ones
//!   that only touch do not overlap). Exact repeats count once.
//! - Output in document order, then by start.
//!
//! ## Problems: one per document or entity, in document then entity order
//! Skip the document or entity and report the first that applies:
//! 1. `MissingField { doc, entity, field }`: the document or entity is not an
//!    object (`field: "object"`), or a field is missing, null or of the
//!    wrong JSON type, checked in the order `id`, `text`, `entities` (with
//!    `entity: None`) / `label`, `start`, `end`, `score`;
//! 2. `BadSpan { doc, entity }`: start/end are numbers but not non-negative
//!    integers as `serde_json::Value` holds them (`3.0`, `-0`, `-1`, beyond
//!    u64), or the span is not `start < end <= chars`;
//! 3. `BadScore { doc, entity }`.
//!
//! A duplicate JSON key: the last one counts (as in `serde_json::Value`).
//!
//! ## Errors: the response as a whole
//! 1. Not JSON (whatever `serde_json::from_str::<serde_json::Value>` rejects,
//!    trailing garbage and nesting past its limit included) →
//!    `Json { line, column }` from that error.
//! 2. A top-level object with an `error` member (it wins over `documents`) →
//!    `Api { code, message }` when `code` is an integer that fits an i64
//!    (`429.0` does not) and `message` a string, else `Shape`.
//! 3. A top level that is not an object with a `documents` array → `Shape`.
//!
//! ## Examples
//! ```text
//! text "Zoë met Ada", entity person 0..3 score 0.9, min_score 0.5
//!   → Entity { label: "PERSON", text: "Zoë", start: 0, end: 4, .. }   (ë is 2 bytes)
//! entities (0..3, 0.9) and (2..6, 0.95) in "abcdefgh" → only 2..6 kept
//! entities (0..2, 0.9) and (2..4, 0.9)                → both kept (they touch)
//! entity {"label": "x", "start": 0, "score": 0.9}      → MissingField { field: "end", .. }
//! score 1.5 → BadScore;  start 1.0 → BadSpan;  "label": null → MissingField
//! {"error": {"code": 429, "message": "slow down"}}     → Err(Api { code: 429, .. })
//! ""                                                   → Err(Json { line: 1, column: 0 })
//! {"documents": []}                                    → Ok, nothing
//! ```
//!
//! ## What a strong answer looks like
//! One pass over the response, `O(n)` for `n` bytes: deserialize straight
//! into the few fields you read, borrowing strings from the input, instead of
//! building a `serde_json::Value` tree and walking it again. Code points to
//! bytes in one walk of each text (none at all for ASCII text). Overlaps in
//! `O(m log m)` per document of `m` entities.

pub use kata_types::{Entity, Extraction, Problem, ResponseError};

/// The entities of a named-entity service's response, and the documents or
/// entities skipped.
///
/// See the module documentation for the rules, problems and errors.
pub fn extract_entities(response: &str, min_score: f32) -> Result<Extraction, ResponseError> {
    todo!(
        "open exercises/src/entities.rs: extract entities scoring at least {min_score} from a response of {} bytes",
        response.len()
    )
}
