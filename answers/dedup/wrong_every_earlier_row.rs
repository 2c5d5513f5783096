//! Wrong: compares each row with every earlier row, removed ones included (the classic bug).

include!("../../answers/dedup/common.rs");

pub fn dedup(embeddings: ArrayView2<f32>, threshold: f32) -> Result<Vec<usize>, DedupError> {
    dedup_with(embeddings, threshold, Mistake::EveryEarlierRow)
}
