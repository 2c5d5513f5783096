//! Wrong: the result is ranked by log_prob divided by the length (length normalisation).
//! Fails: edge_a_beam_wider_than_the_candidates: "no length normalisation"

include!("../../answers/beam_search/common.rs");

pub fn beam_search<F: FnMut(&[u32], &mut [f32])>(
    prompt: &[u32],
    eos: u32,
    vocab_size: usize,
    beam_width: usize,
    max_new_tokens: usize,
    next_log_probs: F,
) -> Result<Vec<Hypothesis>, BeamError> {
    search(prompt, eos, vocab_size, beam_width, max_new_tokens, next_log_probs, Select::FullSort, Mistake::LengthNormalised)
}
