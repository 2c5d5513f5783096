//! Wrong: compares each row with every earlier row, removed ones included (the classic bug).
//! Fails: examples_a_row_similar_only_to_a_removed_row_is_kept: "similar_only_to_a_removed_row"

include!("../../answers/dedup/common.rs");

pub fn dedup(embeddings: ArrayView2<f32>, threshold: f32) -> Result<Vec<usize>, DedupError> {
    dedup_with(embeddings, threshold, Mistake::EveryEarlierRow)
}
