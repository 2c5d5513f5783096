//! Wrong: labels are left as the service wrote them, not upper-cased.

include!("../../answers/entities/common.rs");

const MISTAKE: Mistake = Mistake::LabelsAsIs;
