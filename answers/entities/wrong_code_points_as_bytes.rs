//! Wrong: the API's code-point offsets used as byte offsets ("é" is two bytes).

include!("../../answers/entities/common.rs");

const MISTAKE: Mistake = Mistake::CodePointsAsBytes;
