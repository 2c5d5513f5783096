//! # Beam search: one pass per beam, a bounded heap, no allocation per step
//!
//! Each step extends every live beam by every token, `live · vocab`
//! candidates, and keeps the `beam_width − finished` best. Sorting all of
//! them costs O(live · vocab · log) per step and allocates a vector of
//! candidates; selecting costs one pass.
//!
//! **Selection with a threshold.** The best candidates so far sit in a
//! bounded binary heap whose root is the worst of them. Candidates are
//! visited in tie order (beam by beam, tokens ascending), so a newcomer
//! enters only with a score *strictly* above the root's: one comparison
//! rejects almost every candidate once the heap is full, and ties resolve
//! to the earlier beam and the lower token without ever being compared.
//!
//! **Skipping whole chunks.** The pass reads the model's log-probabilities
//! 64 at a time, taking their maximum and checking them for NaN and `+inf`
//! in eight independent lanes that the compiler vectorises. f32 addition
//! is monotonic, so when `score + max` does not beat the heap's root, no
//! token of the chunk can, and the chunk costs one comparison. The
//! validation the contract demands rides along in the same pass.
//!
//! **No allocation per step.** One buffer receives the model's output for
//! every call, one holds the sequence shown to the model (the prompt is
//! copied into it once; each call rewrites only the generated tail), and
//! the token vectors of dropped beams are recycled for the next step's
//! beams. The heap and the list of selected candidates keep their capacity
//! across steps.
//!
//! Per step: O(live · vocab) time, O(beam_width) extra memory.
//!
//! ```
//! use solutions::beam_search::{beam_search, BeamError, Hypothesis};
//!
//! // A model that depends on the last token only (eos = 2).
//! let model = |sequence: &[u32], out: &mut [f32]| {
//!     out.copy_from_slice(match sequence.last() {
//!         None => &[-1.0, -0.5, -2.0],
//!         Some(0) => &[-0.5, -4.0, -1.0],
//!         Some(_) => &[-3.0, -3.0, -0.25],
//!     })
//! };
//! let hypotheses = beam_search(&[], 2, 3, 2, 2, model).unwrap();
//! assert_eq!(hypotheses, [
//!     Hypothesis { tokens: vec![1, 2], log_prob: -0.75, finished: true },
//!     Hypothesis { tokens: vec![0, 0], log_prob: -1.5, finished: false },
//! ]);
//! assert_eq!(beam_search(&[], 2, 3, 0, 2, model), Err(BeamError::ZeroBeamWidth));
//! ```

use std::cmp::Ordering;
use std::collections::BinaryHeap;

pub use kata_types::{BeamError, Hypothesis};

/// Log-probabilities read per step of the pass: one maximum, one comparison.
const CHUNK: usize = 64;

/// Lanes of the vectorised maximum and validity check.
const LANES: usize = 8;

/// The best continuations of `prompt` found by beam search, sorted by
/// `log_prob` descending (ties by token sequence ascending), at most
/// `beam_width` of them.
///
/// # Errors
/// [`BeamError::ZeroBeamWidth`], [`BeamError::EmptyVocabulary`] and
/// [`BeamError::EosOutOfRange`], in this order, before the model is called;
/// [`BeamError::InvalidLogProb`] when the model writes a NaN or `+inf`.
pub fn beam_search<F: FnMut(&[u32], &mut [f32])>(
    prompt: &[u32],
    eos: u32,
    vocab_size: usize,
    beam_width: usize,
    max_new_tokens: usize,
    next_log_probs: F,
) -> Result<Vec<Hypothesis>, BeamError> {
    if beam_width == 0 {
        return Err(BeamError::ZeroBeamWidth);
    }
    if vocab_size == 0 {
        return Err(BeamError::EmptyVocabulary);
    }
    if eos as usize >= vocab_size {
        return Err(BeamError::EosOutOfRange { eos, vocab_size });
    }
    let mut search = Search::new(prompt, eos, vocab_size, beam_width, next_log_probs);
    for step in 0..max_new_tokens {
        if !search.step().map_err(|()| BeamError::InvalidLogProb { step })? {
            break;
        }
    }
    Ok(search.into_hypotheses())
}

/// A live beam: the tokens generated after the prompt, and their score.
#[derive(Debug)]
struct Beam {
    tokens: Vec<u32>,
    score: f32,
}

/// The state of one search, and the buffers it reuses from step to step.
struct Search<F> {
    model: F,
    eos: u32,
    beam_width: usize,
    prompt_len: usize,
    /// The prompt followed by the tokens of the beam being extended.
    sequence: Vec<u32>,
    /// The model's output for the beam being extended.
    log_probs: Vec<f32>,
    live: Vec<Beam>,
    next: Vec<Beam>,
    finished: Vec<Hypothesis>,
    /// Token vectors of dropped beams, ready for new ones.
    spare: Vec<Vec<u32>>,
    selection: Selection,
    selected: Vec<Candidate>,
}

impl<F: FnMut(&[u32], &mut [f32])> Search<F> {
    fn new(prompt: &[u32], eos: u32, vocab_size: usize, beam_width: usize, model: F) -> Search<F> {
        Search {
            model,
            eos,
            beam_width,
            prompt_len: prompt.len(),
            sequence: prompt.to_vec(),
            log_probs: vec![0.0; vocab_size],
            live: vec![Beam { tokens: Vec::new(), score: 0.0 }],
            next: Vec::new(),
            finished: Vec::new(),
            spare: Vec::new(),
            selection: Selection::default(),
            selected: Vec::new(),
        }
    }

    /// One step: every live beam scored against every token, the best
    /// selected. Returns whether a beam is still live (`Err` for a NaN or
    /// `+inf` log-probability).
    fn step(&mut self) -> Result<bool, ()> {
        self.selection.reset(self.beam_width - self.finished.len());
        for (index, beam) in self.live.iter().enumerate() {
            self.sequence.truncate(self.prompt_len);
            self.sequence.extend_from_slice(&beam.tokens);
            (self.model)(&self.sequence, &mut self.log_probs);
            self.selection.scan(index, beam.score, &self.log_probs)?;
        }
        if self.selection.is_empty() {
            return Ok(false); // No finite candidate: the live beams stay as they are.
        }
        self.selection.drain_best_first(&mut self.selected);
        for candidate in &self.selected {
            let mut tokens = self.spare.pop().unwrap_or_default();
            tokens.clear();
            tokens.extend_from_slice(&self.live[candidate.beam].tokens);
            tokens.push(candidate.token);
            if candidate.token == self.eos {
                self.finished.push(Hypothesis { tokens, log_prob: candidate.score, finished: true });
            } else {
                self.next.push(Beam { tokens, score: candidate.score });
            }
        }
        self.spare.extend(self.live.drain(..).map(|beam| beam.tokens));
        std::mem::swap(&mut self.live, &mut self.next);
        Ok(!self.live.is_empty())
    }

    /// The finished hypotheses and the live beams, best first.
    fn into_hypotheses(self) -> Vec<Hypothesis> {
        let live = self.live.into_iter().map(|beam| Hypothesis {
            tokens: beam.tokens,
            log_prob: beam.score,
            finished: false,
        });
        let mut hypotheses: Vec<Hypothesis> = self.finished.into_iter().chain(live).collect();
        hypotheses.sort_by(|a, b| b.log_prob.total_cmp(&a.log_prob).then_with(|| a.tokens.cmp(&b.tokens)));
        hypotheses
    }
}

/// A candidate: beam `beam` extended by `token`, with its f32 score.
#[derive(Debug, Clone, Copy)]
struct Candidate {
    score: f32,
    beam: usize,
    token: u32,
}

/// The best `capacity` candidates offered so far, in a heap whose root is
/// the worst of them. Candidates must be offered in tie order (beam, then
/// token, ascending), so an equal score never displaces a kept one.
#[derive(Default)]
struct Selection {
    capacity: usize,
    heap: BinaryHeap<WorstFirst>,
    /// The score to beat: the root's once the heap is full, else `-inf`
    /// (which no finite score fails to beat).
    bar: f32,
}

impl Selection {
    /// Empties the selection (keeping its memory) for `capacity` candidates.
    fn reset(&mut self, capacity: usize) {
        self.capacity = capacity;
        self.heap.clear();
        self.bar = f32::NEG_INFINITY;
    }

    fn is_empty(&self) -> bool {
        self.heap.is_empty()
    }

    /// Offers `score + log_probs[token]` for every token, skipping chunks
    /// that cannot beat the bar.
    ///
    /// # Errors
    /// `Err(())` when a log-probability is NaN or `+inf`.
    fn scan(&mut self, beam: usize, score: f32, log_probs: &[f32]) -> Result<(), ()> {
        for (chunk_index, chunk) in log_probs.chunks(CHUNK).enumerate() {
            let best = checked_maximum(chunk)?;
            if score + best > self.bar {
                let first_token = chunk_index * CHUNK;
                for (offset, &log_prob) in chunk.iter().enumerate() {
                    let candidate = score + log_prob;
                    if candidate > self.bar && candidate < f32::INFINITY {
                        // Token ids fit u32: the vocabulary is indexed by u32 tokens.
                        let token = (first_token + offset) as u32;
                        self.offer(Candidate { score: candidate, beam, token });
                    }
                }
            }
        }
        Ok(())
    }

    /// Keeps `candidate`, which beats the bar, evicting the worst if full.
    fn offer(&mut self, candidate: Candidate) {
        if self.heap.len() < self.capacity {
            self.heap.push(WorstFirst(candidate));
        } else if let Some(mut worst) = self.heap.peek_mut() {
            *worst = WorstFirst(candidate);
        }
        if self.heap.len() == self.capacity
            && let Some(worst) = self.heap.peek()
        {
            self.bar = worst.0.score;
        }
    }

    /// Moves the kept candidates into `out`, best first.
    fn drain_best_first(&mut self, out: &mut Vec<Candidate>) {
        out.clear();
        out.extend(self.heap.drain().map(|kept| kept.0));
        out.sort_unstable_by_key(|candidate| WorstFirst(*candidate));
    }
}

/// The largest of `values` (`-inf` for an empty slice), or `Err(())` if one
/// is NaN or `+inf`; eight independent lanes, so the loop vectorises.
#[inline]
fn checked_maximum(values: &[f32]) -> Result<f32, ()> {
    let (blocks, tail) = values.as_chunks::<LANES>();
    let mut maximum = [f32::NEG_INFINITY; LANES];
    let mut valid = [true; LANES];
    for block in blocks {
        for lane in 0..LANES {
            let x = block[lane];
            valid[lane] &= x < f32::INFINITY; // false for NaN and +inf
            maximum[lane] = if x > maximum[lane] { x } else { maximum[lane] };
        }
    }
    let mut best = f32::NEG_INFINITY;
    let mut all_valid = valid.iter().all(|&ok| ok);
    for &x in tail.iter().chain(&maximum) {
        all_valid &= x < f32::INFINITY;
        best = if x > best { x } else { best };
    }
    if all_valid { Ok(best) } else { Err(()) }
}

/// A candidate ordered so that the worst is the greatest: lower score, or
/// an equal score from a later beam or a higher token.
struct WorstFirst(Candidate);

impl Ord for WorstFirst {
    fn cmp(&self, other: &Self) -> Ordering {
        other
            .0
            .score
            .total_cmp(&self.0.score)
            .then((self.0.beam, self.0.token).cmp(&(other.0.beam, other.0.token)))
    }
}

impl PartialOrd for WorstFirst {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for WorstFirst {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for WorstFirst {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checked_maximum_finds_the_largest_and_rejects_nan_and_infinity() {
        let mut values: Vec<f32> = (0..37).map(|i| -(i as f32)).collect();
        values[21] = 3.5;
        assert_eq!(checked_maximum(&values), Ok(3.5));
        assert_eq!(checked_maximum(&[]), Ok(f32::NEG_INFINITY));
        assert_eq!(checked_maximum(&[f32::NEG_INFINITY; 9]), Ok(f32::NEG_INFINITY));
        for bad in [f32::NAN, f32::INFINITY] {
            for position in [0, 7, 8, 36] {
                let mut spoiled = values.clone();
                spoiled[position] = bad;
                assert_eq!(checked_maximum(&spoiled), Err(()), "{bad} at {position}");
            }
        }
    }

    #[test]
    fn selection_keeps_the_best_with_ties_to_the_earlier_candidate() {
        let mut selection = Selection::default();
        selection.reset(2);
        selection.scan(0, 0.0, &[-1.0, 0.0, 0.0, f32::NEG_INFINITY]).expect("finite log-probabilities");
        selection.scan(1, 0.0, &[0.0, 0.5]).expect("finite log-probabilities");
        let mut best = Vec::new();
        selection.drain_best_first(&mut best);
        let picked: Vec<(usize, u32)> = best.iter().map(|c| (c.beam, c.token)).collect();
        assert_eq!(picked, [(1, 1), (0, 1)]);
    }
}
