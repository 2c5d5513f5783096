//! Wrong: divides a zero row by its zero norm, so its similarities are NaN.
//! Fails: edge_zero_rows_have_similarity_zero_never_nan: "never_nan"

include!("../../answers/dedup/common.rs");

pub fn dedup(embeddings: ArrayView2<f32>, threshold: f32) -> Result<Vec<usize>, DedupError> {
    dedup_with(embeddings, threshold, Mistake::ZeroRowNan)
}
