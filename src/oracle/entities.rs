//! What `extract_entities` must return, written on `serde_json::Value`: the
//! contract's rules in order, with a linear scan for overlaps.

use kata_types::{Entity, Extraction, Problem, ResponseError};
use serde_json::Value;

/// The contract's answer for `response`.
///
/// ```
/// use kata::oracle::entities::extract;
/// let response = r#"{"documents": [{"id": "d", "text": "héllo", "entities": [{"label": "x", "start": 1, "end": 2, "score": 1}]}]}"#;
/// let extraction = extract(response, 0.0).unwrap();
/// assert_eq!((extraction.entities[0].start, extraction.entities[0].end), (1, 3));
/// ```
pub fn extract(response: &str, min_score: f32) -> Result<Extraction, ResponseError> {
    let top: Value = serde_json::from_str(response)
        .map_err(|error| ResponseError::Json { line: error.line(), column: error.column() })?;
    let object = top.as_object().ok_or(ResponseError::Shape)?;
    if let Some(error) = object.get("error") {
        let code = error.get("code").and_then(Value::as_i64);
        let message = error.get("message").and_then(Value::as_str);
        return Err(match (code, message) {
            (Some(code), Some(message)) => ResponseError::Api { code, message: message.to_owned() },
            _ => ResponseError::Shape,
        });
    }
    let documents = object.get("documents").and_then(Value::as_array).ok_or(ResponseError::Shape)?;
    let mut extraction = Extraction { entities: Vec::new(), problems: Vec::new() };
    for (doc, document) in documents.iter().enumerate() {
        let missing = |field| Problem::MissingField { doc, entity: None, field };
        let fields = if !document.is_object() {
            Err(missing("object"))
        } else {
            match (
                document.get("id").and_then(Value::as_str),
                document.get("text").and_then(Value::as_str),
                document.get("entities").and_then(Value::as_array),
            ) {
                (None, _, _) => Err(missing("id")),
                (_, None, _) => Err(missing("text")),
                (_, _, None) => Err(missing("entities")),
                (Some(id), Some(text), Some(entities)) => Ok((id, text, entities)),
            }
        };
        match fields {
            Err(problem) => extraction.problems.push(problem),
            Ok((id, text, entities)) => {
                let mut valid = Vec::new();
                for (index, entity) in entities.iter().enumerate() {
                    match check_entity(doc, index, entity, id, text) {
                        Ok(entity) => valid.push(entity),
                        Err(problem) => extraction.problems.push(problem),
                    }
                }
                extraction.entities.extend(resolve(valid, min_score));
            }
        }
    }
    Ok(extraction)
}

fn check_entity(doc: usize, entity: usize, value: &Value, id: &str, text: &str) -> Result<Entity, Problem> {
    let missing = |field| Problem::MissingField { doc, entity: Some(entity), field };
    if !value.is_object() {
        return Err(missing("object"));
    }
    let label = value.get("label").and_then(Value::as_str).ok_or(missing("label"))?;
    let start = value.get("start").filter(|v| v.is_number()).ok_or(missing("start"))?;
    let end = value.get("end").filter(|v| v.is_number()).ok_or(missing("end"))?;
    let score = value.get("score").and_then(Value::as_f64).ok_or(missing("score"))?;
    let chars = text.chars().count() as u64;
    let span = match (start.as_u64(), end.as_u64()) {
        (Some(start), Some(end)) if start < end && end <= chars => (start as usize, end as usize),
        _ => return Err(Problem::BadSpan { doc, entity }),
    };
    if !(score.is_finite() && (0.0..=1.0).contains(&score)) {
        return Err(Problem::BadScore { doc, entity });
    }
    let byte = |index: usize| {
        text.char_indices().map(|(b, _)| b).chain([text.len()]).nth(index).unwrap_or(text.len())
    };
    let (start, end) = (byte(span.0), byte(span.1));
    Ok(Entity {
        doc_id: id.to_owned(),
        label: label.to_uppercase(),
        text: text[start..end].to_owned(),
        start,
        end,
        score: score as f32,
    })
}

/// Drops entities below `min_score`, then keeps the best of overlapping ones.
fn resolve(mut entities: Vec<Entity>, min_score: f32) -> Vec<Entity> {
    entities.retain(|entity| entity.score >= min_score);
    entities.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then(a.start.cmp(&b.start))
            .then(b.end.cmp(&a.end))
            .then(a.label.cmp(&b.label))
    });
    let mut kept: Vec<Entity> = Vec::new();
    for entity in entities {
        if kept.iter().all(|other| other.end <= entity.start || entity.end <= other.start) {
            kept.push(entity);
        }
    }
    kept.sort_by_key(|entity| entity.start);
    kept
}
