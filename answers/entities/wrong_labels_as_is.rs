//! Wrong: labels are left as the service wrote them, not upper-cased.
//! Fails: examples_code_points_become_byte_offsets: "upper-cased"

include!("../../answers/entities/common.rs");

const MISTAKE: Mistake = Mistake::LabelsAsIs;
