//! Wrong: offsets counted in UTF-16 units, as JavaScript counts them (an emoji is two).

include!("../../answers/entities/common.rs");

const MISTAKE: Mistake = Mistake::Utf16Offsets;
