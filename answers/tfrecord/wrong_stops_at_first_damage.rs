//! Wrong: reading stops at the first damage, losing every later record.
//! Fails: examples_a_flipped_data_bit_skips_exactly_that_record: "reading stopped early"

include!("../../answers/tfrecord/common.rs");

const MISTAKE: Mistake = Mistake::StopsAtFirstDamage;
