//! Wrong: the jump computed in exact integer arithmetic, (b + 1)·2³¹/(r + 1),
//! which floors differently from the paper's f64 step for some keys.

const MISTAKE: Mistake = Mistake::IntegerJump;

include!("../../answers/hash_ring/common.rs");
