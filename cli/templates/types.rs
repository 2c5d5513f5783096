//! The given types of the `{name}` exercise.

use thiserror::Error;

/// What can go wrong in `{name}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum {Camel}Error {
    /// The input holds no values.
    #[error("the input holds no values")]
    Empty,
}
