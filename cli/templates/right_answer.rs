//! Right: a fold in u64.

pub use kata_types::{Camel}Error;

pub fn solve(values: &[u32]) -> Result<u64, {Camel}Error> {
    if values.is_empty() {
        return Err({Camel}Error::Empty);
    }
    Ok(values.iter().fold(0, |sum, &value| sum + u64::from(value)))
}
