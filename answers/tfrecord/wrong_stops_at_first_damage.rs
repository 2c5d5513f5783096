//! Wrong: reading stops at the first damage, losing every later record.

include!("../../answers/tfrecord/common.rs");

const MISTAKE: Mistake = Mistake::StopsAtFirstDamage;
