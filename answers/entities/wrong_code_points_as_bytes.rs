//! Wrong: the API's code-point offsets used as byte offsets ("é" is two bytes).
//! Fails: examples_code_points_become_byte_offsets: "Entity offsets are bytes"

include!("../../answers/entities/common.rs");

const MISTAKE: Mistake = Mistake::CodePointsAsBytes;
