//! Wrong: offsets counted in UTF-16 units, as JavaScript counts them (an emoji is two).
//! Fails: robust_escaped_text_and_surrogate_pairs_count_as_code_points: "Entity offsets are bytes"

include!("../../answers/entities/common.rs");

const MISTAKE: Mistake = Mistake::Utf16Offsets;
