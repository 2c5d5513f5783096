//! Right: every candidate of a step collected and fully sorted (correct, slow: the bench separates it).

include!("../../answers/beam_search/common.rs");

pub fn beam_search<F: FnMut(&[u32], &mut [f32])>(
    prompt: &[u32],
    eos: u32,
    vocab_size: usize,
    beam_width: usize,
    max_new_tokens: usize,
    next_log_probs: F,
) -> Result<Vec<Hypothesis>, BeamError> {
    search(
        prompt,
        eos,
        vocab_size,
        beam_width,
        max_new_tokens,
        next_log_probs,
        Select::FullSort,
        Mistake::None,
    )
}
