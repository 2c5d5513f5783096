//! Right: every document's term counts, scanned per query in f64, then a full sort.

const MISTAKE: Mistake = Mistake::None;

include!("../../answers/bm25/common.rs");
