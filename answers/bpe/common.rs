// Shared by the answers in this folder: one plain implementation (recount
// every pair after each merge over the distinct pieces; encode each piece by
// merging its lowest-ranked pair again and again) whose mistakes and
// variants each answer file switches on with its own `CHOICES` constant.

pub use kata_types::BpeError;
use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};

#[allow(dead_code)]
#[derive(Clone, Copy, PartialEq)]
enum Encoder {
    /// Per piece: merge the lowest-ranked pair (leftmost), find it again.
    LowestPairAgain,
    /// Per piece: a min-heap of (rank, position) over a linked list.
    HeapOverLinkedList,
    /// Per piece: take the lowest rank present, apply that merge everywhere
    /// in the piece left to right, repeat.
    SequentialMerges,
    /// Whole text: every merge in order, each over every piece.
    ScanMergeListOverText,
}

#[allow(dead_code)]
#[derive(Clone, Copy)]
struct Choices {
    encoder: Encoder,
    non_overlapping_counts: bool,
    ties_by_first_occurrence: bool,
    merges_across_pieces: bool,
    decode_panics_on_unknown: bool,
    vocabulary_of_seen_bytes: bool,
}

#[allow(dead_code)]
impl Choices {
    const PLAIN: Choices = Choices {
        encoder: Encoder::LowestPairAgain,
        non_overlapping_counts: false,
        ties_by_first_occurrence: false,
        merges_across_pieces: false,
        decode_panics_on_unknown: false,
        vocabulary_of_seen_bytes: false,
    };
}

#[derive(Debug, Clone)]
pub struct Bpe {
    merges: Vec<(u32, u32)>,
    ranks: HashMap<(u32, u32), u32>,
}

fn pieces(text: &str) -> Vec<&str> {
    if CHOICES.merges_across_pieces {
        return if text.is_empty() { vec![] } else { vec![text] };
    }
    let mut pieces = Vec::new();
    let mut start = 0;
    let mut previous: Option<bool> = None;
    for (at, c) in text.char_indices() {
        if previous.is_some_and(|was| was != c.is_whitespace()) {
            pieces.push(&text[start..at]);
            start = at;
        }
        previous = Some(c.is_whitespace());
    }
    if start < text.len() {
        pieces.push(&text[start..]);
    }
    pieces
}

fn replace(word: &[u32], left: u32, right: u32, id: u32) -> Vec<u32> {
    let mut out = Vec::with_capacity(word.len());
    let mut at = 0;
    while at < word.len() {
        if at + 1 < word.len() && word[at] == left && word[at + 1] == right {
            out.push(id);
            at += 2;
        } else {
            out.push(word[at]);
            at += 1;
        }
    }
    out
}

impl Bpe {
    pub fn train(corpus: &[&str], vocab_size: usize) -> Result<Bpe, BpeError> {
        if vocab_size < 256 {
            return Err(BpeError::VocabTooSmall { vocab_size });
        }
        let mut order: Vec<&str> = Vec::new();
        let mut frequency: HashMap<&str, u64> = HashMap::new();
        for text in corpus {
            for piece in pieces(text) {
                let count = frequency.entry(piece).or_insert(0);
                if *count == 0 {
                    order.push(piece);
                }
                *count += 1;
            }
        }
        let mut byte_ids: Vec<u32> = (0..256).collect();
        let mut first_id = 256;
        if CHOICES.vocabulary_of_seen_bytes {
            let mut seen: Vec<u8> = order.iter().flat_map(|piece| piece.bytes()).collect();
            seen.sort_unstable();
            seen.dedup();
            for (id, &byte) in seen.iter().enumerate() {
                byte_ids[usize::from(byte)] = id as u32;
            }
            first_id = seen.len() as u32;
        }
        let mut words: Vec<(Vec<u32>, u64)> = order
            .iter()
            .map(|piece| (piece.bytes().map(|b| byte_ids[usize::from(b)]).collect(), frequency[piece]))
            .collect();
        let mut merges = Vec::new();
        while 256 + merges.len() < vocab_size {
            let mut counts: HashMap<(u32, u32), u64> = HashMap::new();
            let mut first_seen: Vec<(u32, u32)> = Vec::new();
            for (word, n) in &words {
                let mut skip = false;
                for at in 0..word.len().saturating_sub(1) {
                    if skip {
                        skip = false;
                        continue;
                    }
                    let pair = (word[at], word[at + 1]);
                    let count = counts.entry(pair).or_insert(0);
                    if *count == 0 {
                        first_seen.push(pair);
                    }
                    *count += n;
                    skip = CHOICES.non_overlapping_counts && at + 2 < word.len() && word[at + 2] == word[at] && word[at] == word[at + 1];
                }
            }
            let best = if CHOICES.ties_by_first_occurrence {
                let top = counts.values().copied().max().unwrap_or(0);
                first_seen.iter().copied().find(|pair| counts[pair] == top).map(|pair| (pair, top))
            } else {
                counts.iter().max_by_key(|&(&pair, &count)| (count, Reverse(pair))).map(|(&pair, &count)| (pair, count))
            };
            let Some(((left, right), count)) = best else { break };
            if count < 2 {
                break;
            }
            let id = first_id + merges.len() as u32;
            for (word, _) in &mut words {
                *word = replace(word, left, right, id);
            }
            merges.push((left, right));
        }
        Ok(Bpe::build(merges))
    }

    pub fn from_merges(merges: &[(u32, u32)]) -> Result<Bpe, BpeError> {
        for (index, &(left, right)) in merges.iter().enumerate() {
            if left as usize >= 256 + index || right as usize >= 256 + index {
                return Err(BpeError::InvalidMerge { index });
            }
        }
        Ok(Bpe::build(merges.to_vec()))
    }

    fn build(merges: Vec<(u32, u32)>) -> Bpe {
        let mut ranks = HashMap::new();
        for (rank, &pair) in merges.iter().enumerate() {
            ranks.entry(pair).or_insert(rank as u32);
        }
        Bpe { merges, ranks }
    }

    pub fn merges(&self) -> &[(u32, u32)] {
        &self.merges
    }

    pub fn encode(&self, text: &str) -> Vec<u32> {
        let mut words: Vec<Vec<u32>> = pieces(text).iter().map(|piece| piece.bytes().map(u32::from).collect()).collect();
        if CHOICES.encoder == Encoder::ScanMergeListOverText {
            for (rank, &(left, right)) in self.merges.iter().enumerate() {
                for word in &mut words {
                    *word = replace(word, left, right, 256 + rank as u32);
                }
            }
            return words.concat();
        }
        words.iter().flat_map(|word| match CHOICES.encoder {
            Encoder::HeapOverLinkedList => self.heap_encode(word),
            Encoder::SequentialMerges => self.sequential_encode(word),
            _ => self.lowest_pair_encode(word),
        }).collect()
    }

    fn rank(&self, left: u32, right: u32) -> Option<u32> {
        self.ranks.get(&(left, right)).copied()
    }

    fn lowest(&self, word: &[u32]) -> Option<(u32, usize)> {
        (0..word.len().saturating_sub(1)).filter_map(|at| self.rank(word[at], word[at + 1]).map(|r| (r, at))).min()
    }

    fn lowest_pair_encode(&self, word: &[u32]) -> Vec<u32> {
        let mut word = word.to_vec();
        while let Some((rank, at)) = self.lowest(&word) {
            word.splice(at..at + 2, [256 + rank]);
        }
        word
    }

    fn sequential_encode(&self, word: &[u32]) -> Vec<u32> {
        let mut word = word.to_vec();
        while let Some((rank, _)) = self.lowest(&word) {
            let (left, right) = self.merges[rank as usize];
            word = replace(&word, left, right, 256 + rank);
        }
        word
    }

    fn heap_encode(&self, word: &[u32]) -> Vec<u32> {
        let n = word.len();
        let mut symbols: Vec<Option<u32>> = word.iter().map(|&id| Some(id)).collect();
        let mut next: Vec<usize> = (1..=n).collect();
        let mut prev: Vec<Option<usize>> = (0..n).map(|i| i.checked_sub(1)).collect();
        let mut heap = BinaryHeap::new();
        for at in 0..n.saturating_sub(1) {
            if let Some(rank) = self.rank(word[at], word[at + 1]) {
                heap.push(Reverse((rank, at)));
            }
        }
        while let Some(Reverse((rank, at))) = heap.pop() {
            let right = next[at];
            let (Some(l), Some(Some(r))) = (symbols[at], symbols.get(right)) else { continue };
            if self.rank(l, *r) != Some(rank) {
                continue;
            }
            symbols[at] = Some(256 + rank);
            symbols[right] = None;
            next[at] = next[right];
            if next[at] < n {
                prev[next[at]] = Some(at);
                if let Some(rank) = self.rank(256 + rank, symbols[next[at]].unwrap_or(u32::MAX)) {
                    heap.push(Reverse((rank, at)));
                }
            }
            if let Some(before) = prev[at] {
                if let Some(rank) = self.rank(symbols[before].unwrap_or(u32::MAX), 256 + rank) {
                    heap.push(Reverse((rank, before)));
                }
            }
        }
        symbols.into_iter().flatten().collect()
    }

    pub fn decode(&self, ids: &[u32]) -> Result<Vec<u8>, BpeError> {
        let mut out = Vec::new();
        for &id in ids {
            if id as usize >= 256 + self.merges.len() {
                if CHOICES.decode_panics_on_unknown {
                    panic!("index out of bounds: id {id}");
                }
                return Err(BpeError::UnknownToken { id });
            }
            self.append_bytes(id, &mut out);
        }
        Ok(out)
    }

    fn append_bytes(&self, id: u32, out: &mut Vec<u8>) {
        match id.checked_sub(256) {
            None => out.push(id as u8),
            Some(merge) => {
                let (left, right) = self.merges[merge as usize];
                self.append_bytes(left, out);
                self.append_bytes(right, out);
            }
        }
    }
}
