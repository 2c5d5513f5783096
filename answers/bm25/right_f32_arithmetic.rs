//! Right: the same scan with every step in f32 (within the tolerance).

const MISTAKE: Mistake = Mistake::F32Arithmetic;

include!("../../answers/bm25/common.rs");
