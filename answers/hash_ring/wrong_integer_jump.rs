//! Wrong: the jump computed in exact integer arithmetic, (b + 1)·2³¹/(r + 1),
//! which floors differently from the paper's f64 step for some keys.
//! Fails: robust_jump_hash_uses_the_papers_f64_step_not_integer_division: "in f64"

const MISTAKE: Mistake = Mistake::IntegerJump;

include!("../../answers/hash_ring/common.rs");
