//! Beam search the plain way: every candidate of a step in one vector,
//! sorted, the best taken. Slow (a full sort per step), obviously right;
//! the benchmark's naive baseline.

use kata_types::{BeamError, Hypothesis};

/// The `beam_search` contract, step by step with a full sort of the candidates.
///
/// ```
/// let model = |_: &[u32], out: &mut [f32]| out.copy_from_slice(&[-1.0, -0.5, -2.0]);
/// let best = kata::oracle::beam_search::beam_search(&[], 2, 3, 1, 1, model).unwrap();
/// assert_eq!(best[0].tokens, [1]);
/// assert_eq!(best[0].log_prob, -0.5);
/// ```
///
/// # Errors
/// As the contract: the argument errors first, then `InvalidLogProb`.
pub fn beam_search<F: FnMut(&[u32], &mut [f32])>(
    prompt: &[u32],
    eos: u32,
    vocab_size: usize,
    beam_width: usize,
    max_new_tokens: usize,
    mut next_log_probs: F,
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
    let mut live: Vec<(Vec<u32>, f32)> = vec![(Vec::new(), 0.0)];
    let mut finished: Vec<Hypothesis> = Vec::new();
    for step in 0..max_new_tokens {
        // (score, beam, token) of every finite candidate.
        let mut candidates: Vec<(f32, usize, u32)> = Vec::new();
        for (beam, (tokens, score)) in live.iter().enumerate() {
            let sequence: Vec<u32> = prompt.iter().chain(tokens).copied().collect();
            let mut out = vec![0.0_f32; vocab_size];
            next_log_probs(&sequence, &mut out);
            if out.iter().any(|x| x.is_nan() || *x == f32::INFINITY) {
                return Err(BeamError::InvalidLogProb { step });
            }
            for (token, &log_prob) in out.iter().enumerate() {
                let candidate = score + log_prob;
                if candidate.is_finite() {
                    candidates.push((candidate, beam, token as u32));
                }
            }
        }
        if candidates.is_empty() {
            break;
        }
        candidates.sort_by(|a, b| b.0.total_cmp(&a.0).then((a.1, a.2).cmp(&(b.1, b.2))));
        candidates.truncate(beam_width - finished.len());
        let mut next = Vec::new();
        for (score, beam, token) in candidates {
            let mut tokens = live[beam].0.clone();
            tokens.push(token);
            if token == eos {
                finished.push(Hypothesis { tokens, log_prob: score, finished: true });
            } else {
                next.push((tokens, score));
            }
        }
        live = next;
        if live.is_empty() {
            break;
        }
    }
    let mut hypotheses = finished;
    hypotheses.extend(live.into_iter().map(|(tokens, log_prob)| Hypothesis {
        tokens,
        log_prob,
        finished: false,
    }));
    hypotheses.sort_by(|a, b| b.log_prob.total_cmp(&a.log_prob).then_with(|| a.tokens.cmp(&b.tokens)));
    Ok(hypotheses)
}
