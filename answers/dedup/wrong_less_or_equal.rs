//! Wrong: keeps a row whose similarity equals the threshold (`<=` instead of `<`).
//! Fails: examples_a_similarity_equal_to_the_threshold_is_a_duplicate: "equal_to_the_threshold"

include!("../../answers/dedup/common.rs");

pub fn dedup(embeddings: ArrayView2<f32>, threshold: f32) -> Result<Vec<usize>, DedupError> {
    dedup_with(embeddings, threshold, Mistake::LessOrEqual)
}
