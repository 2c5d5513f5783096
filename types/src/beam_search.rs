//! Types of the `beam_search` exercise.

use thiserror::Error;

/// One decoded continuation of the prompt.
///
/// ```
/// use kata_types::Hypothesis;
/// let done = Hypothesis { tokens: vec![5, 2], log_prob: -1.5, finished: true };
/// assert_eq!(done.tokens.last(), Some(&2)); // it ended in eos = 2
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Hypothesis {
    /// The tokens generated after the prompt (the prompt itself is not
    /// repeated); a finished hypothesis ends with `eos`.
    pub tokens: Vec<u32>,
    /// The sum of the log-probabilities of `tokens`, accumulated in f32.
    pub log_prob: f32,
    /// Whether the hypothesis ended with `eos` (otherwise the search ran out
    /// of steps, or of finite candidates, while it was live).
    pub finished: bool,
}

/// Why a beam search cannot run.
///
/// The first three are checked in this order before the model is called.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum BeamError {
    /// A beam must hold at least one hypothesis.
    #[error("beam width must be at least 1")]
    ZeroBeamWidth,
    /// There are no tokens to choose from.
    #[error("the vocabulary is empty")]
    EmptyVocabulary,
    /// The end-of-sequence token is not in the vocabulary.
    #[error("eos token {eos} is outside a vocabulary of {vocab_size} tokens")]
    EosOutOfRange {
        /// The end-of-sequence token given.
        eos: u32,
        /// The number of tokens in the vocabulary.
        vocab_size: usize,
    },
    /// The model wrote a NaN or `+inf` log-probability at this step (0-based).
    #[error("the model returned a NaN or +inf log-probability at step {step}")]
    InvalidLogProb {
        /// The step (0-based) whose model output held the invalid value.
        step: usize,
    },
}
