//! Text: English-like prose for benchmarks and scale tests, and documents
//! that mix every kind of Unicode whitespace with multi-byte tokens.

use proptest::prelude::*;
use rand::{Rng, RngExt};

/// Every char for which `char::is_whitespace` is true (Unicode `White_Space`):
/// ASCII tab, line feed, vertical tab, form feed, carriage return and space,
/// then NEL, no-break space, Ogham space mark, the typographic spaces, the
/// line and paragraph separators, narrow no-break, medium mathematical and
/// ideographic space. Multi-byte ones are 2 or 3 bytes long in UTF-8.
pub const WHITESPACE: [char; 25] = [
    '\t', '\n', '\u{0B}', '\u{0C}', '\r', ' ', '\u{85}', '\u{A0}', '\u{1680}', '\u{2000}', '\u{2001}',
    '\u{2002}', '\u{2003}', '\u{2004}', '\u{2005}', '\u{2006}', '\u{2007}', '\u{2008}', '\u{2009}',
    '\u{200A}', '\u{2028}', '\u{2029}', '\u{202F}', '\u{205F}', '\u{3000}',
];

/// Chars that are NOT whitespace for `char::is_whitespace`, but that a
/// hand-written test, another language's definition, or a byte-level
/// shortcut may take for it: other ASCII controls (including the
/// information separators U+001C to U+001F, whitespace for Python), the
/// zero-width space, joiners and word joiner, the Mongolian vowel separator
/// (whitespace before Unicode 6.3), the byte-order mark, and chars whose
/// UTF-8 bytes start like a multi-byte space's (`©` and the soft hyphen
/// after `C2`, `U+1681` after `E1 9A`, `’`, `‰` and the embedding controls
/// after `E2 80`, `、` after `E3 80`).
pub const LOOKALIKES: [char; 25] = [
    '\0', '\u{08}', '\u{0E}', '\u{1C}', '\u{1D}', '\u{1E}', '\u{1F}', '\u{7F}', '\u{A9}', '\u{AD}',
    '\u{1681}', '\u{180E}', '\u{200B}', '\u{200C}', '\u{200D}', '\u{2019}', '\u{2027}', '\u{202A}',
    '\u{202E}', '\u{2030}', '\u{205E}', '\u{2060}', '\u{3001}', '\u{FEFF}', '\u{84}',
];

/// Tokens of one to four bytes per char: accents (precomposed and
/// combining), Greek, Cyrillic, Hebrew, Arabic, CJK, Hangul, emoji with
/// skin tones, ZWJ sequences and flags.
pub const MULTIBYTE_WORDS: [&str; 16] = [
    "naïve",
    "café",
    "Straße",
    "e\u{301}tude",
    "Ωμέγα",
    "привет",
    "שלום",
    "مرحبا",
    "東京",
    "日本語のテキスト",
    "한국어",
    "🦀",
    "👍🏽",
    "👩\u{200D}👩\u{200D}👧",
    "🇫🇷",
    "x",
];

/// Common English words, for prose.
const ENGLISH_WORDS: [&str; 64] = [
    "the",
    "of",
    "and",
    "to",
    "in",
    "a",
    "is",
    "that",
    "for",
    "it",
    "as",
    "was",
    "with",
    "be",
    "by",
    "on",
    "not",
    "he",
    "this",
    "are",
    "or",
    "his",
    "from",
    "at",
    "which",
    "but",
    "have",
    "an",
    "had",
    "they",
    "you",
    "were",
    "their",
    "one",
    "all",
    "we",
    "can",
    "her",
    "has",
    "there",
    "been",
    "if",
    "more",
    "when",
    "will",
    "would",
    "who",
    "so",
    "model",
    "retrieval",
    "embedding",
    "document",
    "token",
    "vector",
    "attention",
    "gradient",
    "inference",
    "latency",
    "throughput",
    "dataset",
    "training",
    "evaluation",
    "transformer",
    "context",
];

/// English-like ASCII prose of about `len` bytes (at most one word more):
/// sentences of 4 to 24 words with commas and full stops, lines of about
/// 70 bytes, and a blank line between paragraphs.
///
/// ```
/// let text = kata::generate::text::prose(&mut kata::seed::rng_for("doc"), 1000);
/// assert!(text.is_ascii() && (1000..1100).contains(&text.len()));
/// ```
pub fn prose(rng: &mut impl Rng, len: usize) -> String {
    let mut text = String::with_capacity(len + 32);
    let (mut line, mut sentence_left) = (0, 0);
    while text.len() < len {
        if sentence_left == 0 {
            sentence_left = rng.random_range(4..=24);
        }
        let word = ENGLISH_WORDS[rng.random_range(0..ENGLISH_WORDS.len())];
        text.push_str(word);
        line += word.len();
        sentence_left -= 1;
        if sentence_left == 0 {
            text.push('.');
        } else if rng.random_range(0..10) == 0 {
            text.push(',');
        }
        if sentence_left == 0 && rng.random_range(0..8) == 0 {
            text.push_str("\n\n");
            line = 0;
        } else if line > 70 {
            text.push('\n');
            line = 0;
        } else {
            text.push(' ');
            line += 1;
        }
    }
    text
}

/// Multilingual text of about `len` bytes (at most one word more): words
/// from [`MULTIBYTE_WORDS`] and English, one in three non-ASCII, separated
/// by a space or, one time in eight, by any char of [`WHITESPACE`].
///
/// ```
/// let text = kata::generate::text::multilingual(&mut kata::seed::rng_for("doc"), 1000);
/// assert!(!text.is_ascii() && (1000..1100).contains(&text.len()));
/// ```
pub fn multilingual(rng: &mut impl Rng, len: usize) -> String {
    let mut text = String::with_capacity(len + 32);
    while text.len() < len {
        let word = if rng.random_range(0..3) == 0 {
            MULTIBYTE_WORDS[rng.random_range(0..MULTIBYTE_WORDS.len())]
        } else {
            ENGLISH_WORDS[rng.random_range(0..ENGLISH_WORDS.len())]
        };
        text.push_str(word);
        text.push(if rng.random_range(0..8) == 0 {
            WHITESPACE[rng.random_range(0..WHITESPACE.len())]
        } else {
            ' '
        });
    }
    text
}

/// A proptest strategy for one token: plain ASCII, a multi-byte word, or a
/// word with a whitespace lookalike inside.
pub fn token() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "[a-z]{1,8}",
        3 => prop::sample::select(&MULTIBYTE_WORDS[..]).prop_map(str::to_owned),
        2 => ("[a-z]{0,3}", prop::sample::select(&LOOKALIKES[..]), "[a-z]{0,3}")
            .prop_map(|(before, lookalike, after)| format!("{before}{lookalike}{after}")),
    ]
}

/// A proptest strategy for the whitespace between tokens: one to four
/// whitespace chars, mostly a space, any of [`WHITESPACE`] now and then.
pub fn separator() -> impl Strategy<Value = String> {
    let one = prop_oneof![
        6 => Just(' '),
        4 => prop::sample::select(&WHITESPACE[..]),
    ];
    prop::collection::vec(one, 1..=4).prop_map(String::from_iter)
}

/// A proptest strategy for a document of up to `max_tokens` tokens from
/// [`token`], separated by [`separator`], with whitespace at either end
/// now and then.
pub fn document(max_tokens: usize) -> impl Strategy<Value = String> {
    let edge = || prop_oneof![3 => Just(String::new()), 1 => separator()];
    (edge(), prop::collection::vec((token(), separator()), 0..=max_tokens), edge()).prop_map(
        |(leading, pairs, trailing)| {
            let mut text = leading;
            for (index, (token, separator)) in pairs.iter().enumerate() {
                if index > 0 {
                    text.push_str(separator);
                }
                text.push_str(token);
            }
            text.push_str(&trailing);
            text
        },
    )
}
