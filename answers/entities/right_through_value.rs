//! Right: the contract on `serde_json::Value`, a tree of every value: correct, slower (the benches measure how much).

include!("../../answers/entities/common.rs");

const MISTAKE: Mistake = Mistake::None;
