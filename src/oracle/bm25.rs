//! Okapi BM25 straight from the formula, in f64, walking every document.
//!
//! For each query it recounts document frequencies over the whole corpus and
//! scores every document term by term, exactly as the contract writes it:
//!
//! ```text
//! idf(t)      = ln(1 + (N - df(t) + 0.5) / (df(t) + 0.5))
//! score(q, d) = Σ over query tokens t (each occurrence)
//!               idf(t) · tf·(k1 + 1) / (tf + k1·(1 − b + b·|d|/avgdl))
//! ```
//!
//! where a term adds 0 to a document that does not contain it. It is the
//! grading oracle and the benchmarks' naive baseline: no inverted index, no
//! precomputation beyond counting each document's terms once.

use std::collections::HashMap;

use kata_types::{Bm25Params, tokenize};

/// A corpus tokenized once, scored from scratch for every query.
#[derive(Debug, Clone)]
pub struct Bm25Oracle {
    /// Per document: how often each term occurs in it.
    term_counts: Vec<HashMap<String, usize>>,
    /// Per document: its number of tokens.
    lengths: Vec<usize>,
    k1: f64,
    b: f64,
}

impl Bm25Oracle {
    /// Tokenizes every document with [`tokenize`] and counts its terms.
    /// The parameters are taken as they are (validating them is the subject's job).
    pub fn new<S: AsRef<str>>(docs: &[S], params: Bm25Params) -> Bm25Oracle {
        let mut term_counts = Vec::with_capacity(docs.len());
        let mut lengths = Vec::with_capacity(docs.len());
        for doc in docs {
            let tokens = tokenize(doc.as_ref());
            lengths.push(tokens.len());
            let mut counts = HashMap::new();
            for token in tokens {
                *counts.entry(token).or_insert(0) += 1;
            }
            term_counts.push(counts);
        }
        Bm25Oracle { term_counts, lengths, k1: f64::from(params.k1), b: f64::from(params.b) }
    }

    /// Number of documents.
    pub fn len(&self) -> usize {
        self.lengths.len()
    }

    /// Whether the corpus has no documents.
    pub fn is_empty(&self) -> bool {
        self.lengths.is_empty()
    }

    /// The exact score of every document for `query`, in input order.
    ///
    /// ```
    /// use kata::oracle::bm25::Bm25Oracle;
    /// use kata_types::Bm25Params;
    /// let docs = ["the cat sat", "the dog sat on the log", "cats and dogs"];
    /// let oracle = Bm25Oracle::new(&docs, Bm25Params::default());
    /// let scores = oracle.scores("cat");
    /// assert!((scores[0] - 1.092_569).abs() < 1e-6);
    /// assert_eq!(&scores[1..], [0.0, 0.0]);
    /// ```
    pub fn scores(&self, query: &str) -> Vec<f64> {
        let n = self.len() as f64;
        let total: usize = self.lengths.iter().sum();
        let avgdl = if self.is_empty() { 0.0 } else { total as f64 / n };
        let mut scores = vec![0.0; self.len()];
        if avgdl == 0.0 {
            return scores;
        }
        for term in tokenize(query) {
            let df = self.term_counts.iter().filter(|counts| counts.contains_key(&term)).count() as f64;
            let idf = (1.0 + (n - df + 0.5) / (df + 0.5)).ln();
            for ((score, counts), &length) in scores.iter_mut().zip(&self.term_counts).zip(&self.lengths) {
                let Some(&tf) = counts.get(&term) else { continue };
                let tf = tf as f64;
                let norm = 1.0 - self.b + self.b * length as f64 / avgdl;
                *score += idf * tf * (self.k1 + 1.0) / (tf + self.k1 * norm);
            }
        }
        scores
    }

    /// The top `k` documents with a positive score, best first, equal scores
    /// lower index first: every document scored, then all of them sorted.
    pub fn search(&self, query: &str, k: usize) -> Vec<(usize, f64)> {
        let mut ranked: Vec<(usize, f64)> =
            self.scores(query).into_iter().enumerate().filter(|&(_, score)| score > 0.0).collect();
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        ranked.truncate(k);
        ranked
    }
}
