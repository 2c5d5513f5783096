//! Wrong: takes the best beam_width − finished of each beam, in beam order, instead of over all candidates.
//! Fails: examples_two_steps_with_a_beam_of_two: "all candidates of all beams"

include!("../../answers/beam_search/common.rs");

pub fn beam_search<F: FnMut(&[u32], &mut [f32])>(
    prompt: &[u32],
    eos: u32,
    vocab_size: usize,
    beam_width: usize,
    max_new_tokens: usize,
    next_log_probs: F,
) -> Result<Vec<Hypothesis>, BeamError> {
    search(prompt, eos, vocab_size, beam_width, max_new_tokens, next_log_probs, Select::FullSort, Mistake::PerBeamTop)
}
