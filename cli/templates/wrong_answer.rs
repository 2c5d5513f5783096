//! Wrong: sums in u32, which overflows.
//! Fails: robust_the_largest_values_do_not_overflow: "overflow"

pub use kata_types::{Camel}Error;

pub fn solve(values: &[u32]) -> Result<u64, {Camel}Error> {
    if values.is_empty() {
        return Err({Camel}Error::Empty);
    }
    Ok(u64::from(values.iter().fold(0_u32, |sum, &value| sum.wrapping_add(value))))
}
