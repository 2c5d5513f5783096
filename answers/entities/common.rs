// Shared by the answers in this folder: the contract written plainly on
// `serde_json::Value`, with one switch per mistake a candidate makes.

use std::collections::BTreeMap;

pub use kata_types::{Entity, Extraction, Problem, ResponseError};
use serde_json::Value;

/// The mistakes the wrong answers make; `None` is the correct answer.
#[allow(dead_code)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mistake {
    None,
    /// The API's code-point offsets used as byte offsets.
    CodePointsAsBytes,
    /// Offsets counted in UTF-16 units (as JavaScript does).
    Utf16Offsets,
    /// One malformed entity fails the whole response.
    OneBadEntityFailsAll,
    /// `unwrap` on a field that may be missing.
    UnwrapsFields,
    /// Overlapping spans are all kept.
    KeepsOverlaps,
    /// Any score is accepted (1.5, NaN).
    AnyScore,
    /// Labels are left as the service wrote them.
    LabelsAsIs,
    /// An error envelope reads as a response without documents.
    ErrorIsEmpty,
}

pub fn extract_entities(response: &str, min_score: f32) -> Result<Extraction, ResponseError> {
    let top: Value = serde_json::from_str(response)
        .map_err(|error| ResponseError::Json { line: error.line(), column: error.column() })?;
    let object = top.as_object().ok_or(ResponseError::Shape)?;
    if MISTAKE == Mistake::ErrorIsEmpty {
        if object.contains_key("error") {
            return Ok(Extraction { entities: Vec::new(), problems: Vec::new() });
        }
    } else if let Some(error) = object.get("error") {
        return match (error.get("code").and_then(Value::as_i64), error.get("message").and_then(Value::as_str)) {
            (Some(code), Some(message)) => Err(ResponseError::Api { code, message: message.to_owned() }),
            _ => Err(ResponseError::Shape),
        };
    }
    let documents = object.get("documents").and_then(Value::as_array).ok_or(ResponseError::Shape)?;
    let mut extraction = Extraction { entities: Vec::new(), problems: Vec::new() };
    for (doc, document) in documents.iter().enumerate() {
        match document_fields(doc, document) {
            Err(problem) => extraction.problems.push(problem),
            Ok((id, text, entities)) => {
                let offsets = byte_offsets(text);
                let mut valid = Vec::new();
                for (index, entity) in entities.iter().enumerate() {
                    match entity_of(doc, index, entity, id, text, &offsets) {
                        Ok(entity) => valid.push(entity),
                        Err(problem) => extraction.problems.push(problem),
                    }
                }
                extraction.entities.extend(keep_best(valid, min_score));
            }
        }
    }
    if MISTAKE == Mistake::OneBadEntityFailsAll && !extraction.problems.is_empty() {
        return Err(ResponseError::Shape);
    }
    Ok(extraction)
}

fn document_fields(doc: usize, document: &Value) -> Result<(&str, &str, &Vec<Value>), Problem> {
    let missing = |field| Problem::MissingField { doc, entity: None, field };
    if MISTAKE == Mistake::UnwrapsFields {
        let id = document["id"].as_str().unwrap();
        let text = document["text"].as_str().unwrap();
        return Ok((id, text, document["entities"].as_array().unwrap()));
    }
    if !document.is_object() {
        return Err(missing("object"));
    }
    let id = document.get("id").and_then(Value::as_str).ok_or(missing("id"))?;
    let text = document.get("text").and_then(Value::as_str).ok_or(missing("text"))?;
    let entities = document.get("entities").and_then(Value::as_array).ok_or(missing("entities"))?;
    Ok((id, text, entities))
}

fn entity_of(doc: usize, entity: usize, value: &Value, id: &str, text: &str, offsets: &[usize]) -> Result<Entity, Problem> {
    let missing = |field| Problem::MissingField { doc, entity: Some(entity), field };
    if !value.is_object() {
        return Err(missing("object"));
    }
    let label = value.get("label").and_then(Value::as_str).ok_or(missing("label"))?;
    let start = value.get("start").filter(|v| v.is_number()).ok_or(missing("start"))?;
    let end = value.get("end").filter(|v| v.is_number()).ok_or(missing("end"))?;
    let score = value.get("score").and_then(Value::as_f64).ok_or(missing("score"))?;
    let bad_span = Problem::BadSpan { doc, entity };
    let (Some(start), Some(end)) = (start.as_u64(), end.as_u64()) else {
        return Err(bad_span);
    };
    let units = (offsets.len() - 1) as u64;
    if !(start < end && end <= units) {
        return Err(bad_span);
    }
    if MISTAKE != Mistake::AnyScore && !(0.0..=1.0).contains(&score) {
        return Err(Problem::BadScore { doc, entity });
    }
    let (start, end) = (offsets[start as usize], offsets[end as usize]);
    let label = if MISTAKE == Mistake::LabelsAsIs { label.to_owned() } else { label.to_uppercase() };
    Ok(Entity {
        doc_id: id.to_owned(),
        label,
        // A wrong offset may fall inside a character: slice what is there.
        text: String::from_utf8_lossy(&text.as_bytes()[start..end]).into_owned(),
        start,
        end,
        score: score as f32,
    })
}

/// The byte offset of every unit of `text` the offsets count (code points,
/// or what the mistake counts), then the end.
fn byte_offsets(text: &str) -> Vec<usize> {
    let mut offsets = Vec::with_capacity(text.len() + 1);
    match MISTAKE {
        Mistake::CodePointsAsBytes => offsets.extend(0..text.len()),
        Mistake::Utf16Offsets => {
            for (byte, c) in text.char_indices() {
                offsets.extend(std::iter::repeat_n(byte, c.len_utf16()));
            }
        }
        _ => offsets.extend(text.char_indices().map(|(byte, _)| byte)),
    }
    offsets.push(text.len());
    offsets
}

/// Drops entities below `min_score`, then keeps the best of overlapping
/// ones, in order of start.
fn keep_best(mut entities: Vec<Entity>, min_score: f32) -> Vec<Entity> {
    entities.retain(|entity| entity.score >= min_score);
    entities.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then(a.start.cmp(&b.start))
            .then(b.end.cmp(&a.end))
            .then_with(|| a.label.cmp(&b.label))
    });
    // Kept spans are disjoint: the one starting last before `end` is the
    // only one that can overlap.
    let mut taken: BTreeMap<usize, usize> = BTreeMap::new();
    let mut kept: Vec<Entity> = Vec::new();
    for entity in entities {
        let free = taken.range(..entity.end).next_back().is_none_or(|(_, &end)| end <= entity.start);
        if free || MISTAKE == Mistake::KeepsOverlaps {
            taken.insert(entity.start, entity.end);
            kept.push(entity);
        }
    }
    kept.sort_by_key(|entity| entity.start);
    kept
}
