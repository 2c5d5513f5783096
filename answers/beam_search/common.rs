// Shared by the answers in this folder: one plain implementation (every
// candidate of a step collected, then the best taken, by a full sort or a
// bounded heap) whose mistakes each answer file switches on.

pub use kata_types::{BeamError, Hypothesis};
use std::collections::BinaryHeap;

#[allow(dead_code)]
#[derive(Clone, Copy, PartialEq)]
enum Mistake {
    None,
    PerBeamTop,
    ExtendFinished,
    FixedWidth,
    DoubleCall,
    FillWithNegInf,
    TiesReversed,
    LengthNormalised,
}

#[allow(dead_code)]
#[derive(Clone, Copy, PartialEq)]
enum Select {
    FullSort,
    Heap,
}

/// A candidate (score, beam, token) ordered best first: score descending,
/// then beam and token ascending (token descending with `TiesReversed`).
#[derive(Clone, Copy)]
struct Ranked((f32, usize, u32), bool);

impl Ord for Ranked {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        let ((sa, ba, ta), (sb, bb, tb)) = (self.0, other.0);
        let tokens = if self.1 { tb.cmp(&ta) } else { ta.cmp(&tb) };
        sb.total_cmp(&sa).then(ba.cmp(&bb)).then(tokens)
    }
}

impl PartialOrd for Ranked {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Ranked {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other).is_eq()
    }
}

impl Eq for Ranked {}

/// The best `slots` of `candidates` (score, beam, token), best first.
fn best(candidates: Vec<(f32, usize, u32)>, slots: usize, select: Select, mistake: Mistake) -> Vec<(f32, usize, u32)> {
    let reversed = mistake == Mistake::TiesReversed;
    let mut ranked: Vec<Ranked> = match select {
        Select::FullSort => {
            let mut all: Vec<Ranked> = candidates.into_iter().map(|c| Ranked(c, reversed)).collect();
            all.sort();
            all.truncate(slots);
            all
        }
        Select::Heap => {
            // The heap's greatest is the worst kept candidate.
            let mut heap = BinaryHeap::new();
            for candidate in candidates {
                heap.push(Ranked(candidate, reversed));
                if heap.len() > slots {
                    heap.pop();
                }
            }
            heap.into_vec()
        }
    };
    ranked.sort();
    ranked.into_iter().map(|r| r.0).collect()
}

#[allow(dead_code)]
#[allow(clippy::too_many_arguments)]
fn search<F: FnMut(&[u32], &mut [f32])>(
    prompt: &[u32],
    eos: u32,
    vocab_size: usize,
    beam_width: usize,
    max_new_tokens: usize,
    mut model: F,
    select: Select,
    mistake: Mistake,
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
    let mut out = vec![0.0_f32; vocab_size];
    for step in 0..max_new_tokens {
        let slots = if mistake == Mistake::FixedWidth { beam_width } else { beam_width - finished.len() };
        let mut candidates = Vec::new();
        for (beam, (tokens, score)) in live.iter().enumerate() {
            let sequence: Vec<u32> = prompt.iter().chain(tokens).copied().collect();
            model(&sequence, &mut out);
            if mistake == Mistake::DoubleCall {
                model(&sequence, &mut out);
            }
            if out.iter().any(|x| x.is_nan() || *x == f32::INFINITY) {
                return Err(BeamError::InvalidLogProb { step });
            }
            let mut own = Vec::new();
            for (token, &log_prob) in out.iter().enumerate() {
                let candidate = score + log_prob;
                if candidate.is_finite() || (mistake == Mistake::FillWithNegInf && candidate == f32::NEG_INFINITY) {
                    own.push((candidate, beam, token as u32));
                }
            }
            if mistake == Mistake::PerBeamTop {
                own = best(own, slots, select, mistake);
            }
            candidates.extend(own);
        }
        if candidates.is_empty() {
            break;
        }
        let chosen = if mistake == Mistake::PerBeamTop {
            candidates.truncate(slots);
            candidates
        } else {
            best(candidates, slots, select, mistake)
        };
        let mut next = Vec::new();
        for (score, beam, token) in chosen {
            let mut tokens = live[beam].0.clone();
            tokens.push(token);
            if token == eos && mistake != Mistake::ExtendFinished {
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
    hypotheses.extend(live.into_iter().map(|(tokens, log_prob)| {
        let finished = mistake == Mistake::ExtendFinished && tokens.contains(&eos);
        Hypothesis { tokens, log_prob, finished }
    }));
    let normalised = |h: &Hypothesis| {
        if mistake == Mistake::LengthNormalised { h.log_prob / h.tokens.len().max(1) as f32 } else { h.log_prob }
    };
    hypotheses.sort_by(|a, b| normalised(b).total_cmp(&normalised(a)).then_with(|| a.tokens.cmp(&b.tokens)));
    Ok(hypotheses)
}
