//! Synthetic language models for the `beam_search` exercise: a fixed table
//! of log-probability rows, one chosen by hashing the sequence, so the model
//! is a pure function of the sequence, as a real one is.

use proptest::prelude::*;
use rand::rngs::StdRng;
use rand::{Rng, RngExt, SeedableRng};

/// A model whose output after a sequence is one row of a fixed table,
/// picked by an FNV-1a hash of the sequence.
#[derive(Debug, Clone, PartialEq)]
pub struct TableModel {
    vocab_size: usize,
    /// `rows × vocab_size` log-probabilities, row-major.
    table: Vec<f32>,
}

impl TableModel {
    /// A table of `rows` rows over `vocab_size` tokens. Each log-probability
    /// is `-inf` with probability `masked`, else uniform in `[-8, 0)`,
    /// rounded to a multiple of `quantum` when `quantum > 0` (a coarse
    /// quantum such as 0.5 makes exact ties between candidates common).
    pub fn random(
        rng: &mut impl Rng,
        vocab_size: usize,
        rows: usize,
        masked: f64,
        quantum: f32,
    ) -> TableModel {
        let table = (0..rows.max(1) * vocab_size)
            .map(|_| {
                if rng.random_bool(masked) {
                    return f32::NEG_INFINITY;
                }
                let value = rng.random_range(-8.0_f32..0.0);
                if quantum > 0.0 { (value / quantum).round() * quantum } else { value }
            })
            .collect();
        TableModel { vocab_size, table }
    }

    /// The vocabulary size.
    pub fn vocab_size(&self) -> usize {
        self.vocab_size
    }

    /// Writes the log-probabilities after `sequence` into `out`.
    ///
    /// ```
    /// use kata::generate::language_model::TableModel;
    /// let model = TableModel::random(&mut kata::seed::rng_for("doc"), 4, 3, 0.0, 0.5);
    /// let (mut first, mut again) = ([0.0; 4], [0.0; 4]);
    /// model.fill(&[1, 2], &mut first);
    /// model.fill(&[1, 2], &mut again);
    /// assert_eq!(first, again); // a function of the sequence
    /// ```
    pub fn fill(&self, sequence: &[u32], out: &mut [f32]) {
        let rows = self.table.len() / self.vocab_size.max(1);
        let hash = sequence.iter().fold(0xcbf2_9ce4_8422_2325_u64, |hash, &token| {
            (hash ^ u64::from(token)).wrapping_mul(0x0100_0000_01b3)
        });
        let row = (hash % rows.max(1) as u64) as usize;
        out.copy_from_slice(&self.table[row * self.vocab_size..][..self.vocab_size]);
    }
}

/// A random `beam_search` case: the model and the arguments.
#[derive(Debug, Clone)]
pub struct BeamCase {
    /// The model.
    pub model: TableModel,
    /// The prompt.
    pub prompt: Vec<u32>,
    /// The end-of-sequence token, inside the vocabulary.
    pub eos: u32,
    /// The beam width, at least 1.
    pub beam_width: usize,
    /// The number of steps.
    pub max_new_tokens: usize,
}

/// A proptest strategy for [`BeamCase`]s: vocabularies of 1 to `max_vocab`
/// tokens, widths of 1 to 6, up to 6 steps, log-probabilities on a coarse
/// grid (ties are common) with some `-inf`.
pub fn beam_case(max_vocab: usize) -> impl Strategy<Value = BeamCase> {
    (any::<u64>(), 1..=max_vocab, 1_usize..=6, 0_usize..=6, 0_usize..=3).prop_map(
        |(seed, vocab_size, beam_width, max_new_tokens, prompt_len)| {
            let mut rng = StdRng::seed_from_u64(seed);
            let masked = [0.0, 0.2, 0.7][rng.random_range(0..3)];
            let quantum = [0.0_f32, 0.5, 2.0][rng.random_range(0..3)];
            let model = TableModel::random(&mut rng, vocab_size, 16, masked, quantum);
            let prompt = (0..prompt_len).map(|_| rng.random_range(0..100)).collect();
            let eos = rng.random_range(0..vocab_size) as u32;
            BeamCase { model, prompt, eos, beam_width, max_new_tokens }
        },
    )
}
