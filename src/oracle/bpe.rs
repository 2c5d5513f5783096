//! Byte-level BPE, the plain way: recount every pair after every merge, and
//! encode each piece by finding its lowest-ranked pair again after every
//! merge. Slow (O(merges × corpus) to train, O(n²) per piece to encode) and
//! obviously right; the benchmark's naive trainer too.

use std::cmp::Reverse;
use std::collections::{BTreeMap, HashMap};

/// The first id a merge makes.
const FIRST_MERGE_ID: u32 = 256;

/// The pieces of `text`: maximal runs of whitespace or of non-whitespace
/// chars (`char::is_whitespace`), in order.
///
/// ```
/// assert_eq!(kata::oracle::bpe::pieces("hi  you\n"), ["hi", "  ", "you", "\n"]);
/// ```
pub fn pieces(text: &str) -> Vec<&str> {
    let mut pieces = Vec::new();
    let mut start = 0;
    let mut previous: Option<bool> = None;
    for (at, c) in text.char_indices() {
        let whitespace = c.is_whitespace();
        if previous.is_some_and(|was| was != whitespace) {
            pieces.push(&text[start..at]);
            start = at;
        }
        previous = Some(whitespace);
    }
    if start < text.len() {
        pieces.push(&text[start..]);
    }
    pieces
}

/// The merges BPE training makes on `corpus` for `vocab_size` ids, or
/// `None` when `vocab_size < 256`: every pair recounted after each merge.
///
/// ```
/// use kata::oracle::bpe::train;
/// assert_eq!(train(&["aaabdaaabac"], 259), Some(vec![(97, 97), (97, 98), (256, 257)]));
/// assert_eq!(train(&["aaa"], 300), Some(vec![(97, 97)]));
/// assert_eq!(train(&["x"], 255), None);
/// ```
pub fn train(corpus: &[&str], vocab_size: usize) -> Option<Vec<(u32, u32)>> {
    let max_merges = vocab_size.checked_sub(FIRST_MERGE_ID as usize)?;
    let mut frequencies: BTreeMap<&str, u64> = BTreeMap::new();
    for text in corpus {
        for piece in pieces(text) {
            *frequencies.entry(piece).or_default() += 1;
        }
    }
    let mut words: Vec<(Vec<u32>, u64)> =
        frequencies.into_iter().map(|(piece, n)| (piece.bytes().map(u32::from).collect(), n)).collect();
    let mut merges = Vec::new();
    while merges.len() < max_merges {
        let mut counts: HashMap<(u32, u32), u64> = HashMap::new();
        for (word, frequency) in &words {
            for pair in word.windows(2) {
                *counts.entry((pair[0], pair[1])).or_default() += frequency;
            }
        }
        // Most frequent; among equals the smallest pair.
        let best = counts.iter().max_by_key(|&(&pair, &count)| (count, Reverse(pair)));
        let Some((&(left, right), &count)) = best else { break };
        if count < 2 {
            break;
        }
        let id = FIRST_MERGE_ID + merges.len() as u32;
        for (word, _) in &mut words {
            *word = replace_left_to_right(word, left, right, id);
        }
        merges.push((left, right));
    }
    Some(merges)
}

/// `word` with each `(left, right)` replaced by `id`, scanning left to right.
fn replace_left_to_right(word: &[u32], left: u32, right: u32, id: u32) -> Vec<u32> {
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

/// The ids of `text` under `merges` (assumed valid): in each piece, merge
/// the adjacent pair of lowest merge index (leftmost first) until none
/// merges.
///
/// ```
/// use kata::oracle::bpe::encode;
/// assert_eq!(encode(&[(97, 97), (97, 98), (256, 257)], "aaab aaa"), [258, 32, 256, 97]);
/// ```
pub fn encode(merges: &[(u32, u32)], text: &str) -> Vec<u32> {
    let mut rank_of: BTreeMap<(u32, u32), usize> = BTreeMap::new();
    for (rank, &pair) in merges.iter().enumerate() {
        rank_of.entry(pair).or_insert(rank);
    }
    let mut ids = Vec::new();
    for piece in pieces(text) {
        let mut word: Vec<u32> = piece.bytes().map(u32::from).collect();
        loop {
            let lowest = (0..word.len().saturating_sub(1))
                .filter_map(|at| rank_of.get(&(word[at], word[at + 1])).map(|&rank| (rank, at)))
                .min();
            let Some((rank, at)) = lowest else { break };
            word.splice(at..at + 2, [FIRST_MERGE_ID + rank as u32]);
        }
        ids.extend(word);
    }
    ids
}

/// The bytes of `ids` under `merges`, or the first id outside the vocabulary.
///
/// ```
/// use kata::oracle::bpe::decode;
/// assert_eq!(decode(&[(104, 105)], &[256, 33]), Ok(b"hi!".to_vec()));
/// assert_eq!(decode(&[(104, 105)], &[257]), Err(257));
/// ```
pub fn decode(merges: &[(u32, u32)], ids: &[u32]) -> Result<Vec<u8>, u32> {
    let mut out = Vec::new();
    for &id in ids {
        if id as usize >= FIRST_MERGE_ID as usize + merges.len() {
            return Err(id);
        }
        append_bytes(merges, id, &mut out);
    }
    Ok(out)
}

fn append_bytes(merges: &[(u32, u32)], id: u32, out: &mut Vec<u8>) {
    match id.checked_sub(FIRST_MERGE_ID) {
        None => out.push(id as u8),
        Some(merge) => {
            let (left, right) = merges[merge as usize];
            append_bytes(merges, left, out);
            append_bytes(merges, right, out);
        }
    }
}

/// The index of the first merge that names an id not defined before it.
///
/// ```
/// assert_eq!(kata::oracle::bpe::first_invalid_merge(&[(97, 98), (258, 1)]), Some(1));
/// ```
pub fn first_invalid_merge(merges: &[(u32, u32)]) -> Option<usize> {
    merges.iter().enumerate().position(|(index, &(left, right))| {
        let defined = FIRST_MERGE_ID as usize + index;
        left as usize >= defined || right as usize >= defined
    })
}
