//! Wrong: returns the removed rows instead of the kept ones.
//! Fails: examples_parallel_rows_go_and_zero_and_opposite_rows_stay: "the kept rows"

include!("../../answers/dedup/common.rs");

pub fn dedup(embeddings: ArrayView2<f32>, threshold: f32) -> Result<Vec<usize>, DedupError> {
    dedup_with(embeddings, threshold, Mistake::ReturnsRemoved)
}
