//! Training: incremental pair counts, a lazy priority queue, and per-pair
//! lists of the words a pair occurs in.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use super::hash::FastMap;
use super::pieces::pieces;
use super::{FIRST_MERGE_ID, pair_key};

/// The distinct pieces of the corpus ("words"), each as its current
/// tokens, with how often it occurs, and the counts of every pair.
struct Trainer {
    words: Vec<Vec<u32>>,
    frequencies: Vec<u64>,
    /// Weighted count of each pair (packed with [`pair_key`]) over all words.
    counts: FastMap<u64, u64>,
    /// The words each pair occurs in: may hold words that no longer have
    /// the pair (they are skipped when read), never misses one that has.
    occurrences: FastMap<u64, Vec<u32>>,
    /// Upper bounds of pair counts, most frequent first, then smallest pair.
    queue: BinaryHeap<(u64, Reverse<u64>)>,
    /// Pairs made by the current merge, to queue once it is done.
    new_pairs: Vec<u64>,
}

/// The merges BPE training makes on `corpus`, at most `max_merges`.
pub(super) fn train(corpus: &[&str], max_merges: usize) -> Vec<(u32, u32)> {
    let mut trainer = Trainer::new(corpus);
    let mut merges = Vec::new();
    while merges.len() < max_merges {
        let Some((left, right)) = trainer.best_pair() else { break };
        let Ok(id) = u32::try_from(FIRST_MERGE_ID as usize + merges.len()) else { break };
        trainer.merge(left, right, id);
        merges.push((left, right));
    }
    merges
}

impl Trainer {
    /// Counts the distinct pieces (those of one byte hold no pair) and
    /// every pair in them.
    fn new(corpus: &[&str]) -> Trainer {
        let mut distinct: FastMap<&[u8], u64> = FastMap::default();
        for piece in corpus.iter().flat_map(|text| pieces(text)) {
            if piece.len() >= 2 {
                *distinct.entry(piece.as_bytes()).or_default() += 1;
            }
        }
        let mut trainer = Trainer {
            words: Vec::with_capacity(distinct.len()),
            frequencies: Vec::with_capacity(distinct.len()),
            counts: FastMap::default(),
            occurrences: FastMap::default(),
            queue: BinaryHeap::new(),
            new_pairs: Vec::new(),
        };
        for (index, (bytes, frequency)) in distinct.into_iter().enumerate() {
            let word: Vec<u32> = bytes.iter().map(|&byte| u32::from(byte)).collect();
            let index = index as u32;
            for pair in word.windows(2) {
                let key = pair_key(pair[0], pair[1]);
                *trainer.counts.entry(key).or_default() += frequency;
                push_once(trainer.occurrences.entry(key).or_default(), index);
            }
            trainer.words.push(word);
            trainer.frequencies.push(frequency);
        }
        trainer.queue = trainer.counts.iter().map(|(&key, &count)| (count, Reverse(key))).collect();
        trainer
    }

    /// The most frequent pair (the smallest on a tie), if it occurs twice.
    ///
    /// Queue entries are upper bounds: a pair's count only falls after it
    /// is queued (a merge creates new pairs only with its new id, and they
    /// are queued when the merge is done). So an entry whose count is
    /// current is the true maximum; a stale one is queued again with its
    /// current count.
    fn best_pair(&mut self) -> Option<(u32, u32)> {
        while let Some((queued, Reverse(key))) = self.queue.pop() {
            let current = self.counts.get(&key).copied().unwrap_or(0);
            if current != queued {
                if current > 0 {
                    self.queue.push((current, Reverse(key)));
                }
                continue;
            }
            if current < 2 {
                return None;
            }
            return Some(((key >> 32) as u32, key as u32));
        }
        None
    }

    /// Replaces `(left, right)` by `id` in every word that holds it, left to
    /// right, and updates the counts of the pairs in those words only.
    fn merge(&mut self, left: u32, right: u32, id: u32) {
        let merged = pair_key(left, right);
        let words = self.occurrences.remove(&merged).unwrap_or_default();
        for &index in &words {
            self.merge_in_word(index, left, right, id);
        }
        self.counts.remove(&merged);
        self.new_pairs.sort_unstable();
        self.new_pairs.dedup();
        for &key in &self.new_pairs {
            if let Some(&count) = self.counts.get(&key) {
                self.queue.push((count, Reverse(key)));
            }
        }
        self.new_pairs.clear();
    }

    /// One word: its old pairs uncounted, the merge applied, its new pairs
    /// counted (those with `id` recorded as new).
    fn merge_in_word(&mut self, index: u32, left: u32, right: u32, id: u32) {
        let word = &mut self.words[index as usize];
        if !word.windows(2).any(|pair| pair[0] == left && pair[1] == right) {
            return; // a stale entry, or a word listed twice: already merged
        }
        let frequency = self.frequencies[index as usize];
        for pair in word.windows(2) {
            if let Some(count) = self.counts.get_mut(&pair_key(pair[0], pair[1])) {
                *count -= frequency;
            }
        }
        replace_pair(word, left, right, id);
        for pair in word.windows(2) {
            let key = pair_key(pair[0], pair[1]);
            *self.counts.entry(key).or_default() += frequency;
            if pair[0] == id || pair[1] == id {
                push_once(self.occurrences.entry(key).or_default(), index);
                self.new_pairs.push(key);
            }
        }
    }
}

/// Replaces each occurrence of `(left, right)` in `word` by `id`, left to
/// right, in place: `(a, a)` in `a a a` gives `aa a`.
pub(super) fn replace_pair(word: &mut Vec<u32>, left: u32, right: u32, id: u32) {
    let (mut read, mut write) = (0, 0);
    while read < word.len() {
        if read + 1 < word.len() && word[read] == left && word[read + 1] == right {
            word[write] = id;
            read += 2;
        } else {
            word[write] = word[read];
            read += 1;
        }
        write += 1;
    }
    word.truncate(write);
}

/// Appends `index` unless it is already the last entry (a word meets the
/// same pair several times in a row while it is scanned).
fn push_once(list: &mut Vec<u32>, index: u32) {
    if list.last() != Some(&index) {
        list.push(index);
    }
}
