//! Inputs for byte-level BPE: Zipf-distributed text over a vocabulary of
//! made-up words (so training has thousands of merges to find), merge lists
//! that build those words, and small proptest corpora dense in ties and
//! overlapping pairs.

use std::collections::HashMap;

use proptest::prelude::*;
use rand::{Rng, RngExt};

use super::corpus::Zipf;
use super::text::{MULTIBYTE_WORDS, WHITESPACE};

/// Syllables of the made-up words: mostly ASCII, some 2- and 3-byte chars,
/// so merges also form inside multi-byte chars.
const SYLLABLES: [&str; 40] = [
    "ka", "to", "ri", "ne", "sa", "mo", "lu", "pe", "di", "ga", "tion", "ing", "er", "al", "st", "pr", "an",
    "en", "or", "th", "qu", "ex", "ly", "un", "re", "co", "ve", "mi", "bo", "zu", "é", "ñe", "ßa", "жи",
    "λο", "日", "本", "ça", "ø", "ü",
];

/// `count` distinct-looking words of one to four syllables (repeats are
/// possible and harmless).
///
/// ```
/// let words = kata::generate::bpe::words(&mut kata::seed::rng_for("doc"), 100);
/// assert_eq!(words.len(), 100);
/// assert!(words.iter().all(|word| !word.is_empty() && !word.contains(char::is_whitespace)));
/// ```
pub fn words(rng: &mut impl Rng, count: usize) -> Vec<String> {
    (0..count)
        .map(|_| {
            let syllables = rng.random_range(1..=4);
            (0..syllables).map(|_| SYLLABLES[rng.random_range(0..SYLLABLES.len())]).collect()
        })
        .collect()
}

/// About `len` bytes (at most one word more) of Zipf-distributed `words`
/// (rank r drawn with probability ∝ 1/(r+1)), separated by a space, now and
/// then by punctuation, a line break, or any Unicode whitespace char, with
/// a multi-byte word from [`MULTIBYTE_WORDS`] one time in fifty.
///
/// ```
/// use kata::generate::bpe::{words, zipf_text};
/// let mut rng = kata::seed::rng_for("doc");
/// let vocabulary = words(&mut rng, 500);
/// let text = zipf_text(&mut rng, 10_000, &vocabulary);
/// assert!((10_000..10_100).contains(&text.len()));
/// ```
pub fn zipf_text(rng: &mut impl Rng, len: usize, words: &[String]) -> String {
    let zipf = Zipf::new(words.len(), 1.0);
    let mut text = String::with_capacity(len + 64);
    while text.len() < len {
        if rng.random_range(0..50) == 0 {
            text.push_str(MULTIBYTE_WORDS[rng.random_range(0..MULTIBYTE_WORDS.len())]);
        } else {
            text.push_str(&words[zipf.sample(rng)]);
        }
        match rng.random_range(0..40) {
            0 => text.push_str(", "),
            1 => text.push_str(".\n"),
            2 => text.push_str("  "),
            3 => text.push(WHITESPACE[rng.random_range(0..WHITESPACE.len())]),
            _ => text.push(' '),
        }
    }
    text
}

/// Valid merges (at most `max_merges`) that build each of `words` byte by
/// byte, left to right, in order: `"abc"` gets `(a, b)` then `(ab, c)`.
/// Shared prefixes share their merges. Cheap to make, unlike trained merges.
///
/// ```
/// let merges = kata::generate::bpe::word_merges(&["abc".to_owned(), "abd".to_owned()], 10);
/// assert_eq!(merges, [(97, 98), (256, 99), (256, 100)]);
/// ```
pub fn word_merges(words: &[String], max_merges: usize) -> Vec<(u32, u32)> {
    let mut ids: HashMap<(u32, u32), u32> = HashMap::new();
    let mut merges = Vec::new();
    'words: for word in words {
        let mut bytes = word.bytes().map(u32::from);
        let Some(mut id) = bytes.next() else { continue };
        for byte in bytes {
            if let Some(&known) = ids.get(&(id, byte)) {
                id = known;
                continue;
            }
            if merges.len() == max_merges {
                break 'words;
            }
            let new_id = 256 + merges.len() as u32;
            merges.push((id, byte));
            ids.insert((id, byte), new_id);
            id = new_id;
        }
    }
    merges
}

/// A proptest strategy for small corpora where pairs tie and overlap: up
/// to `max_texts` texts of up to 40 chars drawn mostly from `a`, `b`, `c`
/// and a space, sometimes a multi-byte char or another whitespace char.
pub fn dense_corpus(max_texts: usize) -> impl Strategy<Value = Vec<String>> {
    let char_strategy = prop_oneof![
        12 => prop::sample::select(&['a', 'b', 'c', ' '][..]),
        2 => prop::sample::select(&['é', '日', '🦀', 'a'][..]),
        1 => prop::sample::select(&WHITESPACE[..]),
    ];
    let text = prop::collection::vec(char_strategy, 0..40).prop_map(String::from_iter);
    prop::collection::vec(text, 0..=max_texts)
}

/// A proptest strategy for merge lists of up to `max_len` merges, each pair
/// naming a byte or an earlier merge's id (valid), with some repeated pairs.
pub fn valid_merges(max_len: usize) -> impl Strategy<Value = Vec<(u32, u32)>> {
    prop::collection::vec((any::<u32>(), any::<u32>(), 0_u8..4), 0..=max_len).prop_map(|draws| {
        let mut merges: Vec<(u32, u32)> = Vec::with_capacity(draws.len());
        for (index, (left, right, kind)) in draws.into_iter().enumerate() {
            let defined = 256 + index as u32;
            let pick = |draw: u32| match kind {
                // Mostly the letters, so that merges apply to generated text.
                0 | 1 => [97, 98, 99, 32][draw as usize % 4].min(defined - 1),
                _ => draw % defined,
            };
            match merges.get(left as usize % (index + 1)) {
                Some(&earlier) if kind == 3 && right % 4 == 0 => merges.push(earlier),
                _ => merges.push((pick(left), pick(right))),
            }
        }
        merges
    })
}
