//! Wrong: thresholds the raw dot product of unnormalised rows.
//! Fails: examples_threshold_minus_one_keeps_only_the_first_row: "expected Ok([0])"

include!("../../answers/dedup/common.rs");

pub fn dedup(embeddings: ArrayView2<f32>, threshold: f32) -> Result<Vec<usize>, DedupError> {
    dedup_with(embeddings, threshold, Mistake::RawDot)
}
