//! Wrong: divides a zero row by its zero norm, so its similarities are NaN.

include!("../../answers/dedup/common.rs");

pub fn dedup(embeddings: ArrayView2<f32>, threshold: f32) -> Result<Vec<usize>, DedupError> {
    dedup_with(embeddings, threshold, Mistake::ZeroRowNan)
}
