//! # Beam search decoding
//!
//! A language model gives, after any sequence of tokens, a log-probability
//! for every possible next token. Greedy decoding takes the best token each
//! step; beam search keeps the `beam_width` best partial continuations
//! ("beams") instead, and so finds sequences whose first tokens were not
//! the single best. Write the decoder, the way a serving stack needs it:
//! exact in its tie-breaking, and cheap per step.
//!
//! ## Task
//! Implement [`beam_search`]. `next_log_probs(sequence, out)` is the model:
//! it writes into `out` (`out.len() == vocab_size`) the log-probability of
//! every next token after `sequence` (the prompt followed by the tokens
//! generated so far).
//!
//! ## The algorithm, exactly
//! - One live beam holds the prompt, with score 0.
//! - Each step, call the model **once per live beam** (never twice for one
//!   sequence, never for a finished hypothesis). Every live beam extended
//!   by every token is a candidate, scored `score + log_prob` in f32. A
//!   candidate whose score is not finite (`-inf`: a masked token) is never
//!   chosen.
//! - Of all the candidates of the step, across all beams, select the
//!   `beam_width − finished` best, where `finished` counts the hypotheses
//!   finished so far: score descending, ties by the earlier beam, then the
//!   lower token id. A selected candidate that ends in `eos` is finished
//!   (its tokens include `eos`); the others are the next step's live beams,
//!   in selection order.
//! - Stop when no beam is live, or after `max_new_tokens` steps: the live
//!   beams then join the result unfinished. If no candidate of a step has a
//!   finite score, stop too: that step's live beams join the result
//!   unfinished (so the result is never empty).
//! - Return the hypotheses (tokens after the prompt) sorted by `log_prob`
//!   descending, ties by token sequence ascending: at most `beam_width`.
//!   No length normalisation: `log_prob` is the plain sum.
//!
//! ## Examples
//! The model here depends on the last token only (vocabulary 0, 1, 2):
//! ```text
//! after []      (the prompt): [-1.0, -0.5, -2.0]
//! after …, 0:                 [-0.5, -4.0, -1.0]
//! after …, 1:                 [-3.0, -3.0, -0.25]
//! ```
//! 1. `prompt = [], eos = 2, beam_width = 2, max_new_tokens = 2`:
//!    step 0 scores `[0]` -1.0, `[1]` -0.5, `[2]` -2.0: keep `[1]`, `[0]`.
//!    Step 1: from `[1]` (-0.5): `[1,0]` -3.5, `[1,1]` -3.5, `[1,2]` -0.75;
//!    from `[0]` (-1.0): `[0,0]` -1.5, `[0,1]` -5.0, `[0,2]` -2.0. The best
//!    two: `[1,2]` (ends in eos: finished) and `[0,0]`. Out of steps:
//!    ```text
//!    → [Hypothesis { tokens: [1, 2], log_prob: -0.75, finished: true },
//!       Hypothesis { tokens: [0, 0], log_prob: -1.5, finished: false }]
//!    ```
//! 2. The same with `eos = 1, max_new_tokens = 3`: step 0 selects `[1]`
//!    (finished at -0.5) and `[0]`; from then on only one slot is left:
//!    step 1 keeps `[0,0]` (-1.5), step 2 keeps `[0,0,0]` (-2.0). The model
//!    is called 3 times (`[]`, `[0]`, `[0,0]`) →
//!    `[([1], -0.5, finished), ([0,0,0], -2.0, unfinished)]`.
//! 3. `beam_width = 1` is greedy: `[1]`, then `[1,2]` finishes (eos = 2)
//!    → `[([1, 2], -0.75, finished)]`.
//! 4. A model that gives 0.0 to every token, `beam_width = 2,
//!    max_new_tokens = 1`: all three candidates tie, the lower token ids
//!    win → `[([0], 0.0, unfinished), ([1], 0.0, unfinished)]`.
//! 5. A model that gives `[-inf, -inf, -1.0]` with `eos = 0` and
//!    `beam_width = 3`: only `[2]` is finite, so one beam is live, not
//!    three; `-inf` never fills a slot.
//! 6. `max_new_tokens = 0` → `[Hypothesis { tokens: [], log_prob: 0.0,
//!    finished: false }]`, and the model is never called.
//!
//! ## Errors
//! Checked in this order before the model is ever called:
//! 1. `beam_width == 0` → `Err(ZeroBeamWidth)`;
//! 2. `vocab_size == 0` → `Err(EmptyVocabulary)`;
//! 3. `eos as usize >= vocab_size` → `Err(EosOutOfRange { eos, vocab_size })`.
//!
//! Then, while decoding: a NaN or `+inf` anywhere in what the model wrote
//! at step `s` (0-based) → `Err(InvalidLogProb { step: s })`. `-inf` is
//! valid (a masked token), and so is a finite positive value.
//!
//! ## What a strong answer looks like
//! Per step, O(live · vocab) work: one pass over each beam's
//! log-probabilities that keeps the best `beam_width` candidates in a
//! bounded heap (most candidates are rejected by one comparison with the
//! heap's worst), never a sort of all `live · vocab` candidates, and no
//! allocation per candidate (nor, once warmed up, per step): reuse the
//! buffers, and never copy the prompt per candidate.

pub use kata_types::{BeamError, Hypothesis};

/// The best continuations of `prompt` found by beam search, best first.
///
/// See the module documentation for the algorithm, the ties and the errors.
pub fn beam_search<F: FnMut(&[u32], &mut [f32])>(
    prompt: &[u32],
    eos: u32,
    vocab_size: usize,
    beam_width: usize,
    max_new_tokens: usize,
    next_log_probs: F,
) -> Result<Vec<Hypothesis>, BeamError> {
    let _ = next_log_probs; // Delete this line with the todo!(): it only makes the stub compile.
    todo!(
        "open exercises/src/beam_search.rs: decode {max_new_tokens} tokens after a prompt of {} with \
         {beam_width} beams over {vocab_size} tokens (eos {eos})",
        prompt.len()
    )
}
