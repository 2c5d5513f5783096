//! Inner loops shared by several reference solutions.

pub(crate) mod exp;
