//! Responses of a named-entity service for the `entities` exercise: valid
//! and malformed documents and entities over ASCII, accented, CJK and emoji
//! text, written out as JSON text.

use proptest::prelude::*;
use rand::{Rng, RngExt};

/// Characters of 1 to 4 bytes in UTF-8 (and 1 or 2 UTF-16 units).
pub const ALPHABET: [char; 8] = ['a', 'B', ' ', 'é', 'ß', '東', '京', '🦀'];

/// One entity's JSON object, well formed or not: `kind` picks the flaw.
fn entity_json(kind: u8, label: &str, start: u64, end: u64, score: f64) -> String {
    let label = serde_json::to_string(label).unwrap_or_default();
    match kind {
        0 => format!(r#"{{"label": {label}, "start": {start}, "score": {score}}}"#),
        1 => format!(r#"{{"label": null, "start": {start}, "end": {end}, "score": {score}}}"#),
        2 => format!(r#"{{"label": {label}, "start": {start}.0, "end": {end}, "score": {score}}}"#),
        3 => format!(r#"{{"label": {label}, "start": {start}, "end": {end}, "score": 1.5}}"#),
        4 => format!(r#"{{"label": {label}, "start": "{start}", "end": {end}, "score": {score}}}"#),
        5 => "[1, 2]".to_owned(),
        6 => {
            format!(r#"{{"label": {label}, "start": -1, "end": {end}, "score": {score}, "start": {start}}}"#)
        }
        7 => format!(
            r#"{{"extra": {{"deep": [1]}}, "label": {label}, "start": {start}, "end": {end}, "score": {score}}}"#
        ),
        _ => format!(r#"{{"label": {label}, "start": {start}, "end": {end}, "score": {score}}}"#),
    }
}

/// A response of up to `max_documents` documents of up to `max_entities`
/// entities each, some of them malformed (about one in four).
pub fn response(max_documents: usize, max_entities: usize) -> impl Strategy<Value = String> {
    let entity =
        (0..36_u8, prop::sample::select(&["person", "Org", "loc", "ß"][..]), 0..14_u64, 0..14_u64, 0..=8_u32);
    let document = (
        prop::collection::vec(prop::sample::select(&ALPHABET[..]), 0..12),
        prop::collection::vec(entity, 0..=max_entities),
        0..20_u8,
    );
    prop::collection::vec(document, 0..=max_documents).prop_map(|documents| {
        let documents: Vec<String> = documents
            .iter()
            .enumerate()
            .map(|(index, (chars, entities, flaw))| {
                let text: String = chars.iter().collect();
                let entities: Vec<String> = entities
                    .iter()
                    .map(|&(kind, label, start, end, score)| {
                        entity_json(kind, label, start, end, f64::from(score) / 8.0)
                    })
                    .collect();
                let text = serde_json::to_string(&text).unwrap_or_default();
                match flaw {
                    0 => format!(r#"{{"text": {text}, "entities": []}}"#),
                    1 => "null".to_owned(),
                    2 => format!(r#"{{"id": "d{index}", "text": {text}, "entities": {{}}}}"#),
                    _ => format!(
                        r#"{{"id": "d{index}", "text": {text}, "entities": [{}]}}"#,
                        entities.join(", ")
                    ),
                }
            })
            .collect();
        format!(r#"{{"model": "ner-1", "documents": [{}]}}"#, documents.join(", "))
    })
}

/// A large valid response: `documents` documents of about `text_len` mixed
/// characters with `per_document` entities each (for scale tests and benches).
pub fn large_response(rng: &mut impl Rng, documents: usize, text_len: usize, per_document: usize) -> String {
    let mut out = String::from(r#"{"model": "ner-1", "documents": ["#);
    for doc in 0..documents {
        let text: String = (0..text_len)
            .map(|_| {
                if rng.random_range(0..10) == 0 { ALPHABET[rng.random_range(0..ALPHABET.len())] } else { 'x' }
            })
            .collect();
        if doc > 0 {
            out.push_str(", ");
        }
        out.push_str(&format!(
            r#"{{"id": "doc-{doc}", "text": {}, "entities": ["#,
            serde_json::to_string(&text).unwrap_or_default()
        ));
        for entity in 0..per_document {
            let start = rng.random_range(0..text_len.max(2) - 1);
            let end = rng.random_range(start + 1..=text_len.max(2).min(start + 20));
            let score = rng.random_range(0..=1000) as f64 / 1000.0;
            if entity > 0 {
                out.push_str(", ");
            }
            out.push_str(&format!(
                r#"{{"label": "person", "start": {start}, "end": {end}, "score": {score}}}"#
            ));
        }
        out.push_str("]}");
    }
    out.push_str("]}");
    out
}
