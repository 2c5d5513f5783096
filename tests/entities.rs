//! Hidden tests for the `entities` exercise (`exercises/src/entities.rs`).
//!
//! Tiers, by name prefix: `examples_` (the statement's examples), `edge_`
//! (empty input, every problem and error, their order), `property_` (random
//! responses with malformed parts against an oracle on `serde_json::Value`),
//! `robust_` (escapes and surrogate pairs, huge numbers, deep nesting,
//! duplicate keys, a 0-byte response, trailing garbage), `scale_` (a large
//! response, and a document with many overlapping entities).

use kata::generate::responses::{large_response, response};
use kata::grade;
use kata::oracle::entities as oracle;
use kata::property;
use kata::seed::rng_for;
use kata::subject::entities::{Entity, Extraction, Problem, ResponseError, extract_entities};
use proptest::prelude::*;

const EXERCISE: &str = "entities";

type Answer = Result<Extraction, ResponseError>;

/// The subject's answer, under the time limit.
fn subject(response: &str, min_score: f32) -> Answer {
    let response = response.to_owned();
    grade::run(EXERCISE, move || extract_entities(&response, min_score))
}

/// The start of a response, for messages.
fn preview(response: &str) -> String {
    let shown: String = response.chars().take(160).collect();
    if shown.len() < response.len() { format!("{shown}... ({} bytes)", response.len()) } else { shown }
}

/// Why an answer differs from the expected one, with a hint at the usual cause.
fn difference(actual: &Answer, expected: &Answer) -> Option<String> {
    if actual == expected {
        return None;
    }
    let hint = match (actual, expected) {
        (Ok(_), Err(ResponseError::Api { .. })) => " (an error envelope is not an empty response)",
        (Err(ResponseError::Json { .. }), Err(ResponseError::Json { .. })) => {
            " (take line and column from serde_json's error)"
        }
        (Err(_), Ok(_)) => " (one malformed document or entity must not fail the response: report a Problem)",
        (Ok(a), Ok(e)) if a.problems != e.problems => problem_hint(&a.problems, &e.problems),
        (Ok(a), Ok(e)) => entity_hint(&a.entities, &e.entities),
        _ => "",
    };
    let show = |answer: &Answer| match answer {
        Ok(extraction) => {
            format!("Ok(entities: {:?}, problems: {:?})", extraction.entities, extraction.problems)
        }
        Err(error) => format!("Err({error:?})"),
    };
    Some(format!("got      {}\nexpected {}{hint}", show(actual), show(expected)))
}

/// A hint for a wrong problem list.
fn problem_hint(actual: &[Problem], expected: &[Problem]) -> &'static str {
    let missed_score = expected.iter().any(|p| matches!(p, Problem::BadScore { .. }) && !actual.contains(p));
    if missed_score {
        " (a score must be a finite number in [0, 1]: anything else is a BadScore problem)"
    } else {
        " (one problem per entity, the first that applies)"
    }
}

fn entity_hint(actual: &[Entity], expected: &[Entity]) -> &'static str {
    // Extra entities shift every pair after them: name that before comparing pairs.
    if actual.len() > expected.len() {
        return " (of overlapping spans only the best is kept)";
    }
    let pair = actual.iter().zip(expected).find(|(a, e)| a != e);
    match pair {
        Some((a, e)) if a.label != e.label && a.label.to_uppercase() == e.label => {
            " (labels are upper-cased)"
        }
        Some((a, e)) if a.start != e.start || a.end != e.end => {
            " (start and end count code points in the response; Entity offsets are bytes into the text)"
        }
        _ => "",
    }
}

fn assert_answer(response: &str, min_score: f32, expected: Answer) {
    if let Some(message) = difference(&subject(response, min_score), &expected) {
        panic!("{message}\n  min_score = {min_score}, response = {}", preview(response));
    }
}

fn assert_matches_oracle(response: &str, min_score: f32) {
    assert_answer(response, min_score, oracle::extract(response, min_score));
}

fn entity(doc_id: &str, label: &str, text: &str, start: usize, end: usize, score: f32) -> Entity {
    Entity { doc_id: doc_id.into(), label: label.into(), text: text.into(), start, end, score }
}

fn document(text: &str, entities: &str) -> String {
    format!(
        r#"{{"documents": [{{"id": "d1", "text": {}, "entities": [{entities}]}}]}}"#,
        serde_json::json!(text)
    )
}

fn only(entities: Vec<Entity>) -> Answer {
    Ok(Extraction { entities, problems: vec![] })
}

fn problems(problems: Vec<Problem>) -> Answer {
    Ok(Extraction { entities: vec![], problems })
}

fn missing(entity: Option<usize>, field: &'static str) -> Problem {
    Problem::MissingField { doc: 0, entity, field }
}

// ---------------------------------------------------------------- examples

#[test]
fn examples_code_points_become_byte_offsets() {
    let response = document("Zoë met Ada", r#"{"label": "person", "start": 0, "end": 3, "score": 0.9}"#);
    assert_answer(&response, 0.5, only(vec![entity("d1", "PERSON", "Zoë", 0, 4, 0.9)]));
}

#[test]
fn examples_the_higher_score_wins_an_overlap() {
    let response = document(
        "abcdefgh",
        r#"{"label": "a", "start": 0, "end": 3, "score": 0.9}, {"label": "b", "start": 2, "end": 6, "score": 0.95}"#,
    );
    assert_answer(&response, 0.0, only(vec![entity("d1", "B", "cdef", 2, 6, 0.95)]));
}

#[test]
fn examples_spans_that_touch_do_not_overlap() {
    let response = document(
        "abcd",
        r#"{"label": "a", "start": 2, "end": 4, "score": 0.9}, {"label": "a", "start": 0, "end": 2, "score": 0.9}"#,
    );
    assert_answer(
        &response,
        0.0,
        only(vec![entity("d1", "A", "ab", 0, 2, 0.9), entity("d1", "A", "cd", 2, 4, 0.9)]),
    );
}

#[test]
fn examples_a_missing_end_is_reported() {
    let response = document("abc", r#"{"label": "x", "start": 0, "score": 0.9}"#);
    assert_answer(&response, 0.0, problems(vec![missing(Some(0), "end")]));
}

#[test]
fn examples_bad_score_bad_span_and_null_label() {
    let response = document(
        "abc",
        r#"{"label": "x", "start": 0, "end": 1, "score": 1.5}, {"label": "x", "start": 1.0, "end": 2, "score": 0.5},
           {"label": null, "start": 0, "end": 1, "score": 0.5}"#,
    );
    let expected = vec![
        Problem::BadScore { doc: 0, entity: 0 },
        Problem::BadSpan { doc: 0, entity: 1 },
        missing(Some(2), "label"),
    ];
    assert_answer(&response, 0.0, problems(expected));
}

#[test]
fn examples_an_error_envelope_is_an_error() {
    let response = r#"{"error": {"code": 429, "message": "slow down"}}"#;
    assert_answer(response, 0.5, Err(ResponseError::Api { code: 429, message: "slow down".into() }));
}

#[test]
fn examples_an_empty_response_is_invalid_json() {
    assert_answer("", 0.5, Err(ResponseError::Json { line: 1, column: 0 }));
}

#[test]
fn examples_no_documents_is_nothing() {
    assert_answer(r#"{"documents": []}"#, 0.5, only(vec![]));
}

// ---------------------------------------------------------------- edge

#[test]
fn edge_the_top_level_must_be_an_object_with_a_documents_array() {
    for response in ["[]", "null", "{}", r#"{"documents": {}}"#, r#"{"documents": null}"#, "7"] {
        assert_answer(response, 0.5, Err(ResponseError::Shape));
    }
}

#[test]
fn edge_a_malformed_error_envelope_is_shape() {
    for response in [
        r#"{"error": {"code": 429.0, "message": "x"}}"#,
        r#"{"error": {"code": 429}}"#,
        r#"{"error": {"code": "429", "message": "x"}}"#,
        r#"{"error": {"code": 9223372036854775808, "message": "x"}}"#,
        r#"{"error": "busy"}"#,
    ] {
        assert_answer(response, 0.5, Err(ResponseError::Shape));
    }
}

#[test]
fn edge_the_error_wins_over_documents() {
    let response = r#"{"documents": [], "error": {"code": -1, "message": "partial"}}"#;
    assert_answer(response, 0.5, Err(ResponseError::Api { code: -1, message: "partial".into() }));
}

#[test]
fn edge_document_fields_are_checked_in_order() {
    let response = r#"{"documents": [5, {"text": 1}, {"id": "a", "entities": []}, {"id": "a", "text": "t"},
        {"id": "a", "text": "t", "entities": null}]}"#;
    let expected = vec![
        Problem::MissingField { doc: 0, entity: None, field: "object" },
        Problem::MissingField { doc: 1, entity: None, field: "id" },
        Problem::MissingField { doc: 2, entity: None, field: "text" },
        Problem::MissingField { doc: 3, entity: None, field: "entities" },
        Problem::MissingField { doc: 4, entity: None, field: "entities" },
    ];
    assert_answer(response, 0.5, problems(expected));
}

#[test]
fn edge_entity_problems_come_in_field_order_one_each() {
    let response = document(
        "abc",
        r#""x", {}, {"label": 1, "start": 0}, {"label": "x", "start": null, "end": 1, "score": 0.5},
           {"label": "x", "start": 0, "end": 1, "score": "high"}, {"label": "x", "start": -0, "end": 1, "score": 9},
           {"label": "x", "start": 2, "end": 2, "score": 0.5}, {"label": "x", "start": 0, "end": 4, "score": 0.5},
           {"label": "x", "start": 0, "end": 3, "score": -0.01}"#,
    );
    let expected = vec![
        missing(Some(0), "object"),
        missing(Some(1), "label"),
        missing(Some(2), "label"),
        missing(Some(3), "start"),
        missing(Some(4), "score"),
        Problem::BadSpan { doc: 0, entity: 5 },
        Problem::BadSpan { doc: 0, entity: 6 },
        Problem::BadSpan { doc: 0, entity: 7 },
        Problem::BadScore { doc: 0, entity: 8 },
    ];
    assert_answer(&response, 0.5, problems(expected));
}

#[test]
fn edge_min_score_filters_after_validation_and_nan_keeps_nothing() {
    let response = document(
        "abc",
        r#"{"label": "x", "start": 0, "end": 1, "score": 0.5}, {"label": "x", "start": 1, "end": 2, "score": 2}"#,
    );
    let bad = Problem::BadScore { doc: 0, entity: 1 };
    assert_answer(&response, 0.6, problems(vec![bad]));
    assert_answer(&response, f32::NAN, problems(vec![bad]));
    assert_answer(
        &response,
        0.5,
        Ok(Extraction { entities: vec![entity("d1", "X", "a", 0, 1, 0.5)], problems: vec![bad] }),
    );
}

#[test]
fn edge_scores_just_outside_the_range_are_bad() {
    let response = document(
        "abc",
        r#"{"label": "x", "start": 0, "end": 1, "score": 1.00000001}, {"label": "x", "start": 1, "end": 2, "score": 1}"#,
    );
    let expected = Extraction {
        entities: vec![entity("d1", "X", "b", 1, 2, 1.0)],
        problems: vec![Problem::BadScore { doc: 0, entity: 0 }],
    };
    assert_answer(&response, 0.0, Ok(expected));
}

#[test]
fn edge_overlap_ties_go_to_the_earlier_start_then_the_longer_span_then_the_label() {
    let response = document(
        "abcdefgh",
        r#"{"label": "b", "start": 2, "end": 5, "score": 0.5}, {"label": "a", "start": 1, "end": 3, "score": 0.5},
           {"label": "z", "start": 5, "end": 8, "score": 0.5}, {"label": "q", "start": 5, "end": 7, "score": 0.5},
           {"label": "y", "start": 3, "end": 4, "score": 0.5}, {"label": "x", "start": 3, "end": 4, "score": 0.5},
           {"label": "x", "start": 3, "end": 4, "score": 0.5}"#,
    );
    let expected = vec![
        entity("d1", "A", "bc", 1, 3, 0.5),
        entity("d1", "X", "d", 3, 4, 0.5),
        entity("d1", "Z", "fgh", 5, 8, 0.5),
    ];
    assert_answer(&response, 0.0, only(expected));
}

// ---------------------------------------------------------------- property

#[test]
fn property_random_responses_match_the_oracle() {
    grade::run(EXERCISE, || {
        property::check(
            (response(4, 6), prop::sample::select(&[0.0_f32, 0.3, 0.5, 1.0][..])),
            400,
            |(response, min)| {
                let actual = extract_entities(&response, min);
                match difference(&actual, &oracle::extract(&response, min)) {
                    None => Ok(()),
                    Some(message) => Err(TestCaseError::fail(format!(
                        "{message}\n  min_score = {min}, response = {}",
                        preview(&response)
                    ))),
                }
            },
        )
    });
}

// ---------------------------------------------------------------- robust

#[test]
fn robust_escaped_text_and_surrogate_pairs_count_as_code_points() {
    let response = r#"{"documents": [{"id": "d\u0031", "text": "\u00e9t\u00e9 \ud83e\udd80 \u6771\u4eac",
        "entities": [{"label": "l\u00e9", "start": 4, "end": 5, "score": 0.5}, {"label": "city", "start": 6, "end": 8, "score": 0.5}]}]}"#;
    let expected = vec![entity("d1", "LÉ", "🦀", 6, 10, 0.5), entity("d1", "CITY", "東京", 11, 17, 0.5)];
    assert_answer(response, 0.0, only(expected));
}

#[test]
fn robust_huge_numbers_are_bad_spans_or_invalid_json() {
    let response = document(
        "abc",
        r#"{"label": "x", "start": 18446744073709551616, "end": 1, "score": 0.5}, {"label": "x", "start": 0, "end": 1e300, "score": 0.5}"#,
    );
    assert_answer(
        &response,
        0.0,
        problems(vec![Problem::BadSpan { doc: 0, entity: 0 }, Problem::BadSpan { doc: 0, entity: 1 }]),
    );
    assert_matches_oracle(
        &document("abc", r#"{"label": "x", "start": 0, "end": 1, "score": 0.5, "big": 1e400}"#),
        0.0,
    );
}

#[test]
fn robust_deep_nesting_is_rejected_like_serde_json_value() {
    for depth in [100, 127, 128, 129, 5000] {
        let nested = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
        assert_matches_oracle(&format!(r#"{{"documents": [], "extra": {nested}}}"#), 0.0);
    }
}

#[test]
fn robust_duplicate_keys_keep_the_last() {
    let response = r#"{"documents": [{"id": "d1", "text": "ab", "entities": [{"label": "x", "start": 9, "end": 1, "score": 0.5, "start": 0, "label": "y"}], "id": "d2"}], "documents": [{"id": "d3", "text": "abc", "entities": []}]}"#;
    assert_matches_oracle(response, 0.0);
    let response = r#"{"documents": [{"id": "d1", "text": "ab", "entities": [{"label": "x", "start": 0, "end": 1, "score": 0.5, "label": null}]}]}"#;
    assert_answer(response, 0.0, problems(vec![missing(Some(0), "label")]));
}

#[test]
fn robust_invalid_json_reports_serde_json_line_and_column() {
    for response in [
        "",
        "   ",
        r#"{"documents": []} x"#,
        "{\"documents\": [\n  {\"id\": \"d1\",}\n]}",
        r#"{"documents": [], "note": "\ud800"}"#,
        r#"{"documents": [], "note": "\ud800\u0041"}"#,
        "{\"documents\": [], \"note\": \"tab\there\"}",
        r#"{"documents": [],}"#,
        r#"{"documents": [{"id": "a", "text": "b", "entities": [{"score": 01}]}]}"#,
    ] {
        assert_matches_oracle(response, 0.0);
    }
}

// ---------------------------------------------------------------- scale

#[test]
fn scale_a_large_response_in_linear_time() {
    let mut rng = rng_for("scale_a_large_response_in_linear_time");
    let response = large_response(&mut rng, 20_000, 200, 5);
    let expected = oracle::extract(&response, 0.3);
    let copy = response.clone();
    let actual = grade::run_within(EXERCISE, grade::SCALE_LIMIT, move || extract_entities(&copy, 0.3));
    if let Some(message) = difference(&actual, &expected) {
        panic!("{} (a response of {} bytes)", message.chars().take(600).collect::<String>(), response.len());
    }
}

#[test]
fn scale_many_entities_in_one_long_document() {
    let text = "é".repeat(200_000);
    let entities: Vec<String> = (0..40_000)
        .map(|i| {
            format!(
                r#"{{"label": "x", "start": {}, "end": {}, "score": {}}}"#,
                (i * 5) % 199_990,
                (i * 5) % 199_990 + 7,
                (i % 997) as f64 / 997.0
            )
        })
        .collect();
    let response = document(&text, &entities.join(", "));
    let copy = response.clone();
    let actual = grade::run_within(EXERCISE, grade::SCALE_LIMIT, move || extract_entities(&copy, 0.0));
    let kept = actual.as_ref().map(|extraction| extraction.entities.len()).unwrap_or(0);
    assert!(kept > 1000, "expected many disjoint entities, got {kept}");
    let overlapping = actual
        .as_ref()
        .map(|e| e.entities.windows(2).any(|pair| pair[0].end > pair[1].start))
        .unwrap_or(true);
    assert!(!overlapping, "kept entities overlap, or are not sorted by start");
}
