//! Text corpora for retrieval: Zipf-distributed documents and queries.
//!
//! Natural language follows Zipf's law: the word of rank `r` occurs with
//! frequency proportional to `1 / r^s` (`s` near 1). A few terms ("the",
//! "of") appear in almost every document and have long posting lists; most
//! terms are rare. That skew is what makes an inverted index pay, and what a
//! benchmark or a scale test must reproduce.

use kata_types::Bm25Params;
use proptest::prelude::*;
use rand::{Rng, RngExt};

/// A sampler of ranks `0..size` with `P(r) ∝ 1 / (r + 1)^exponent`.
#[derive(Debug, Clone)]
pub struct Zipf {
    /// `cumulative[r]` = P(rank <= r), the last one exactly 1.
    cumulative: Vec<f64>,
}

impl Zipf {
    /// A sampler over `size` ranks (at least one).
    ///
    /// ```
    /// use kata::generate::corpus::Zipf;
    /// let zipf = Zipf::new(1000, 1.0);
    /// let mut rng = kata::seed::rng_for("doc");
    /// let draws: Vec<usize> = (0..10_000).map(|_| zipf.sample(&mut rng)).collect();
    /// let top = draws.iter().filter(|&&rank| rank == 0).count();
    /// let tenth = draws.iter().filter(|&&rank| rank == 9).count();
    /// assert!(top > 5 * tenth); // rank 0 is ten times as likely as rank 9
    /// ```
    pub fn new(size: usize, exponent: f64) -> Zipf {
        let size = size.max(1);
        let mut total = 0.0;
        let mut cumulative: Vec<f64> = (1..=size)
            .map(|rank| {
                total += (rank as f64).powf(-exponent);
                total
            })
            .collect();
        for value in &mut cumulative {
            *value /= total;
        }
        if let Some(last) = cumulative.last_mut() {
            *last = 1.0;
        }
        Zipf { cumulative }
    }

    /// Number of ranks.
    pub fn size(&self) -> usize {
        self.cumulative.len()
    }

    /// One rank, drawn by inverting the cumulative distribution.
    pub fn sample(&self, rng: &mut impl Rng) -> usize {
        let u: f64 = rng.random_range(0.0..1.0);
        self.cumulative.partition_point(|&p| p <= u).min(self.size() - 1)
    }
}

/// The term of a rank: a lowercase word in bijective base 26 (`a`, ..., `z`,
/// `aa`, `ab`, ...), so frequent terms are short, as in real text, and every
/// term survives [`kata_types::tokenize`] unchanged.
///
/// ```
/// use kata::generate::corpus::term;
/// assert_eq!([term(0), term(25), term(26), term(27)], ["a", "z", "aa", "ab"]);
/// ```
pub fn term(rank: usize) -> String {
    let mut letters = Vec::new();
    let mut n = rank + 1;
    while n > 0 {
        n -= 1;
        letters.push(b'a' + (n % 26) as u8);
        n /= 26;
    }
    letters.iter().rev().map(|&letter| char::from(letter)).collect()
}

/// `count` documents of Zipf-distributed terms over a vocabulary of
/// `vocabulary` terms; each document's length is uniform in
/// `[mean_tokens / 2, 3 * mean_tokens / 2]`. Terms are separated by a space,
/// now and then by punctuation, and sometimes capitalised, so that the text
/// goes through a real tokenizer.
pub fn zipf_documents(
    rng: &mut impl Rng,
    count: usize,
    vocabulary: usize,
    mean_tokens: usize,
) -> Vec<String> {
    let zipf = Zipf::new(vocabulary, 1.0);
    let (low, high) = (mean_tokens / 2, mean_tokens + mean_tokens / 2);
    (0..count)
        .map(|_| {
            let length = rng.random_range(low..=high);
            let mut document = String::with_capacity(length * 6);
            for position in 0..length {
                if position > 0 {
                    document.push_str(match rng.random_range(0..20) {
                        0 => ", ",
                        1 => ". ",
                        _ => " ",
                    });
                }
                let word = term(zipf.sample(rng));
                if rng.random_range(0..10) == 0 {
                    document.push_str(&word.to_uppercase());
                } else {
                    document.push_str(&word);
                }
            }
            document
        })
        .collect()
}

/// `count` queries of `min_terms..=max_terms` terms each, drawn from the
/// same Zipf distribution as [`zipf_documents`] (so common terms, with long
/// posting lists, are common in queries too).
pub fn zipf_queries(
    rng: &mut impl Rng,
    count: usize,
    vocabulary: usize,
    min_terms: usize,
    max_terms: usize,
) -> Vec<String> {
    let zipf = Zipf::new(vocabulary, 1.0);
    (0..count)
        .map(|_| {
            let terms = rng.random_range(min_terms..=max_terms);
            (0..terms).map(|_| term(zipf.sample(rng))).collect::<Vec<_>>().join(" ")
        })
        .collect()
}

/// Words for small proptest corpora: few enough that documents share terms,
/// with case variants, Unicode letters that lowercase (`É`, `Σ`), CJK and
/// digits, so that tokenization and case folding matter.
pub const SMALL_VOCABULARY: [&str; 12] =
    ["cat", "Cat", "dog", "the", "THE", "école", "ÉCOLE", "σοφία", "ΣΟΦΊΑ", "東京", "42", "x"];

/// Separators for small proptest corpora: whitespace of several kinds and
/// punctuation, all of which split terms.
pub const SEPARATORS: [&str; 6] = [" ", "  ", "\t", "\n", ", ", "... "];

/// A proptest strategy for one text of up to `max_words` words from
/// [`SMALL_VOCABULARY`] joined by [`SEPARATORS`] (possibly empty).
pub fn small_text(max_words: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(
        (prop::sample::select(&SMALL_VOCABULARY[..]), prop::sample::select(&SEPARATORS[..])),
        0..=max_words,
    )
    .prop_map(|words| words.into_iter().map(|(word, separator)| format!("{word}{separator}")).collect())
}

/// A proptest strategy for a small corpus: up to `max_documents` texts of
/// [`small_text`], some repeated verbatim (ties) and some empty.
pub fn small_corpus(max_documents: usize, max_words: usize) -> impl Strategy<Value = Vec<String>> {
    let document = prop_oneof![
        6 => small_text(max_words),
        1 => Just(String::new()),
        1 => Just("the cat".to_owned()),
    ];
    prop::collection::vec(document, 0..=max_documents)
}

/// A proptest strategy for BM25 parameters inside the valid range, with the
/// boundaries (`k1 = 0`, `b = 0`, `b = 1`) drawn often.
pub fn bm25_params() -> impl Strategy<Value = Bm25Params> {
    let k1 = prop_oneof![1 => Just(0.0_f32), 1 => Just(1.2_f32), 3 => 0.0_f32..3.0, 1 => 3.0_f32..100.0];
    let b = prop_oneof![1 => Just(0.0_f32), 1 => Just(1.0_f32), 1 => Just(0.75_f32), 3 => 0.0_f32..=1.0];
    (k1, b).prop_map(|(k1, b)| Bm25Params { k1, b })
}
