//! # {name}: the reference solution
//!
//! (Explain the algorithm, its cost, and why the fast path is fast.)

pub use kata_types::{Camel}Error;

/// The sum of `values`, or [`{Camel}Error::Empty`] when there are none.
///
/// ```
/// use solutions::{name}::{solve, {Camel}Error};
/// assert_eq!(solve(&[1, 2, 3]), Ok(6));
/// assert_eq!(solve(&[]), Err({Camel}Error::Empty));
/// ```
pub fn solve(values: &[u32]) -> Result<u64, {Camel}Error> {
    if values.is_empty() {
        return Err({Camel}Error::Empty);
    }
    Ok(values.iter().map(|&value| u64::from(value)).sum())
}
