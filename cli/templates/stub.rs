//! # {name}
//!
//! (The problem statement goes here: the task, worked examples a reader can
//! check by hand, edge cases, the errors and the order they are checked in,
//! the accuracy required, the complexity a strong answer reaches.)
//!
//! The template's task: add up `values`.
//!
//! ```text
//! solve(&[1, 2, 3]) == Ok(6)
//! solve(&[])        == Err({Camel}Error::Empty)
//! ```

pub use kata_types::{Camel}Error;

/// The sum of `values`, or [`{Camel}Error::Empty`] when there are none.
pub fn solve(values: &[u32]) -> Result<u64, {Camel}Error> {
    todo!("add up {values:?}: open exercises/src/{name}.rs")
}
