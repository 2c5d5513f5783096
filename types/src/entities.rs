//! Types of the `entities` exercise: what a named-entity service's response
//! becomes.

use thiserror::Error;

/// One entity found in a document, with its span as byte offsets into the
/// document's text.
///
/// ```
/// use kata_types::Entity;
/// let text = "Zoë Ng";
/// let entity = Entity {
///     doc_id: "d1".into(),
///     label: "PERSON".into(),
///     text: text[0..7].into(),
///     start: 0,
///     end: 7,
///     score: 0.9,
/// };
/// assert_eq!(entity.text, "Zoë Ng");
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Entity {
    /// The `id` of the document it was found in.
    pub doc_id: String,
    /// Its label, upper-cased (`"person"` becomes `"PERSON"`).
    pub label: String,
    /// The slice `document text[start..end]`.
    pub text: String,
    /// Byte offset of its first byte in the document's text.
    pub start: usize,
    /// Byte offset just past its last byte.
    pub end: usize,
    /// The service's confidence, in `[0, 1]`.
    pub score: f32,
}

/// A part of the response that was skipped, and why. `doc` and `entity`
/// count from 0 in the response's arrays.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Problem {
    /// A field is missing, null or of the wrong JSON type (`field` names
    /// it), or the document or entity is not an object (`field` is
    /// `"object"`). `entity` is `None` for a document's own fields.
    MissingField {
        /// Index of the document.
        doc: usize,
        /// Index of the entity within the document, if the problem is in one.
        entity: Option<usize>,
        /// The field's name, or `"object"`.
        field: &'static str,
    },
    /// The span is not `start < end <= chars`, or start/end are numbers
    /// that are not non-negative integers.
    BadSpan {
        /// Index of the document.
        doc: usize,
        /// Index of the entity within the document.
        entity: usize,
    },
    /// The score is not a finite number in `[0, 1]`.
    BadScore {
        /// Index of the document.
        doc: usize,
        /// Index of the entity within the document.
        entity: usize,
    },
}

/// The entities kept from a response, and the problems met on the way.
#[derive(Debug, Clone, PartialEq)]
pub struct Extraction {
    /// Kept entities, in document order, then by start.
    pub entities: Vec<Entity>,
    /// Skipped documents and entities, in document then entity order.
    pub problems: Vec<Problem>,
}

/// Why a response as a whole has no entities.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ResponseError {
    /// Not valid JSON; where the parser stopped (both from 1).
    #[error("invalid JSON at line {line}, column {column}")]
    Json {
        /// Line of the error.
        line: usize,
        /// Column of the error.
        column: usize,
    },
    /// The service answered with an error.
    #[error("the service answered error {code}: {message}")]
    Api {
        /// The error's code (an HTTP status, such as 429).
        code: i64,
        /// The service's message.
        message: String,
    },
    /// Valid JSON, but neither a `documents` array nor a well-formed `error`.
    #[error("the response has neither a documents array nor a well-formed error")]
    Shape,
}
