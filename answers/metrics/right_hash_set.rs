//! Right: one plain function per query (a std HashSet for duplicates), each metric from its definition.

include!("../../answers/metrics/common.rs");

const MISTAKES: Mistakes = NONE;
