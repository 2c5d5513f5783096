//! # BM25 retrieval: an inverted index of precomputed impacts
//!
//! **Pay once, in [`Bm25Index::new`].** Every document is tokenized once.
//! Each term gets an id and a *posting list*: the documents that contain it,
//! in increasing order, side by side with the term's *impact* in each one,
//! `idf(t) · tf·(k1 + 1) / (tf + k1·(1 − b + b·|d|/avgdl))`. Everything in
//! that expression is known when the index is built (N, df, tf, |d|, avgdl
//! and the parameters), so it is computed there, in f64, and stored as one
//! f32 per posting. The postings of all terms live in two flat arrays
//! (document ids and impacts) cut by an offset table: no per-term
//! allocation, and a query streams them sequentially.
//!
//! **A query touches only its terms' postings.** Its tokens become term ids
//! with a multiplicity (a term written twice counts twice); unknown terms
//! drop out. A document's score is the sum of its impacts times those
//! multiplicities, accumulated term by term into a dense array of N
//! floats. Documents that contain no query term are never visited, so a
//! query costs O(Σ df) additions rather than O(total tokens) as a scan of the
//! corpus does.
//!
//! **Selection, not sorting.** [`Bm25Index::search`] keeps the best `k` in a
//! bounded heap whose root is the worst kept hit, so almost every candidate
//! costs one comparison. A one-term query offers its posting list directly
//! (already in document order). For more terms, when the postings are fewer
//! than the documents, the candidates are exactly the documents on those
//! lists: they are offered from there (each once, its accumulator cleared
//! behind it) instead of scanning all N slots; otherwise one pass over the
//! accumulator is cheaper. Only positive scores are offered, and equal
//! scores go lower index first.
//!
//! Cost: build O(T log t) for T tokens (t per document, sorted to count
//! term frequencies); query O(q + Σ df(t) + min(Σ df, N) log k).
//!
//! ```
//! use solutions::bm25::{Bm25Index, Bm25Params};
//!
//! let docs = ["the cat sat", "the dog sat on the log", "cats and dogs"];
//! let index = Bm25Index::new(&docs, Bm25Params::default()).unwrap();
//! let hits = index.search("The sat", 10);
//! let order: Vec<usize> = hits.iter().map(|hit| hit.index).collect();
//! assert_eq!(order, [0, 1]); // "cats and dogs" scores 0: not a hit
//! assert!((hits[0].score - 1.047_097).abs() < 1e-5);
//! assert!((index.scores("cat")[0] - 1.092_569).abs() < 1e-5);
//! ```

use std::borrow::Cow;
use std::collections::HashMap;

pub use kata_types::{Bm25Error, Bm25Params, Hit, tokenize};

use crate::select::TopK;

/// An inverted index over a corpus that scores queries with Okapi BM25.
#[derive(Debug, Clone)]
pub struct Bm25Index {
    /// Number of documents.
    len: usize,
    /// Term → term id, an index into `offsets`.
    dictionary: HashMap<String, u32>,
    /// The postings of term `t` are `offsets[t]..offsets[t + 1]` of
    /// `documents` and `impacts`.
    offsets: Vec<usize>,
    /// Posting lists' document ids, increasing within each list.
    documents: Vec<u32>,
    /// The term's whole BM25 contribution to that document.
    impacts: Vec<f32>,
}

impl Bm25Index {
    /// Tokenizes every document with [`tokenize`]'s rules and builds the
    /// posting lists, with each posting's impact computed once.
    ///
    /// # Errors
    /// [`Bm25Error::InvalidParams`] when `k1` is negative or not finite, or
    /// `b` is outside `[0, 1]` or NaN; checked before any document is read.
    ///
    /// # Panics
    /// With more than `u32::MAX` documents (document ids are stored as u32).
    pub fn new<S: AsRef<str>>(docs: &[S], params: Bm25Params) -> Result<Bm25Index, Bm25Error> {
        let Bm25Params { k1, b } = params;
        if !(k1.is_finite() && k1 >= 0.0 && (0.0..=1.0).contains(&b)) {
            return Err(Bm25Error::InvalidParams);
        }
        assert!(u32::try_from(docs.len()).is_ok(), "a BM25 index holds at most u32::MAX documents");

        let forward = ForwardIndex::build(docs);
        let postings: usize = forward.document_frequencies.iter().map(|&df| df as usize).sum();
        let mut offsets = Vec::with_capacity(forward.document_frequencies.len() + 1);
        offsets.push(0);
        for &df in &forward.document_frequencies {
            offsets.push(offsets[offsets.len() - 1] + df as usize);
        }

        let n = docs.len() as f64;
        let total_tokens: usize = forward.lengths.iter().sum();
        let avgdl = total_tokens as f64 / n.max(1.0);
        let idf: Vec<f64> = forward
            .document_frequencies
            .iter()
            .map(|&df| (1.0 + (n - f64::from(df) + 0.5) / (f64::from(df) + 0.5)).ln())
            .collect();
        let (k1, b) = (f64::from(k1), f64::from(b));

        // Documents are visited in order, so every list fills in increasing
        // document order. A term only has postings when some document has a
        // token, so avgdl > 0 wherever it is divided by.
        let mut cursors = offsets[..offsets.len() - 1].to_vec();
        let mut documents = vec![0_u32; postings];
        let mut impacts = vec![0.0_f32; postings];
        for (document, (pairs, &length)) in forward.documents().zip(&forward.lengths).enumerate() {
            let norm = k1 * (1.0 - b + b * length as f64 / avgdl);
            for &(term, tf) in pairs {
                let slot = &mut cursors[term as usize];
                let tf = tf as f64;
                documents[*slot] = document as u32;
                impacts[*slot] = (idf[term as usize] * tf * (k1 + 1.0) / (tf + norm)) as f32;
                *slot += 1;
            }
        }
        Ok(Bm25Index { len: docs.len(), dictionary: forward.dictionary, offsets, documents, impacts })
    }

    /// Number of documents.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the index holds no documents.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The BM25 score of every document for `query`, in input order
    /// (0 for a document that contains no query term).
    pub fn scores(&self, query: &str) -> Vec<f32> {
        let mut scores = vec![0.0_f32; self.len];
        for (term, weight) in self.query_terms(query) {
            self.accumulate(term, weight, &mut scores);
        }
        scores
    }

    /// The `k` best documents for `query` with a positive score, best first,
    /// equal scores lower index first.
    pub fn search(&self, query: &str, k: usize) -> Vec<Hit> {
        let mut selection = TopK::new(k.min(self.len));
        let terms = self.query_terms(query);
        if selection.capacity() == 0 || terms.is_empty() {
            return Vec::new();
        }
        if let [(term, weight)] = terms[..] {
            let (documents, impacts) = self.postings(term);
            for (&document, &impact) in documents.iter().zip(impacts) {
                selection.offer(document as usize, impact * weight);
            }
            return selection.into_sorted_hits();
        }

        let mut scores = vec![0.0_f32; self.len];
        let mut postings = 0;
        for &(term, weight) in &terms {
            postings += self.accumulate(term, weight, &mut scores);
        }
        if postings < self.len {
            for &(term, _) in &terms {
                for &document in self.postings(term).0 {
                    let score = std::mem::take(&mut scores[document as usize]);
                    if score > 0.0 {
                        selection.offer_unordered(document as usize, score);
                    }
                }
            }
        } else {
            for (document, &score) in scores.iter().enumerate() {
                if score > 0.0 {
                    selection.offer(document, score);
                }
            }
        }
        selection.into_sorted_hits()
    }

    /// The query's known terms, each once, with its multiplicity as a weight.
    fn query_terms(&self, query: &str) -> Vec<(u32, f32)> {
        let mut ids: Vec<u32> =
            terms(query).filter_map(|term| self.dictionary.get(term.as_ref()).copied()).collect();
        ids.sort_unstable();
        ids.chunk_by(|a, b| a == b).map(|run| (run[0], run.len() as f32)).collect()
    }

    /// Adds `weight` times term `term`'s impacts into `scores`; returns the
    /// number of postings touched.
    fn accumulate(&self, term: u32, weight: f32, scores: &mut [f32]) -> usize {
        let (documents, impacts) = self.postings(term);
        for (&document, &impact) in documents.iter().zip(impacts) {
            scores[document as usize] += impact * weight;
        }
        documents.len()
    }

    /// The posting list of a term: document ids and impacts.
    fn postings(&self, term: u32) -> (&[u32], &[f32]) {
        let range = self.offsets[term as usize]..self.offsets[term as usize + 1];
        (&self.documents[range.clone()], &self.impacts[range])
    }
}

/// The corpus read once: a term dictionary, and for each document its
/// length and its distinct terms with their frequencies.
struct ForwardIndex {
    dictionary: HashMap<String, u32>,
    /// Per term: the number of documents that contain it.
    document_frequencies: Vec<u32>,
    /// Per document: its number of tokens.
    lengths: Vec<usize>,
    /// `(term, tf)` of every document, one document after another.
    pairs: Vec<(u32, usize)>,
    /// Document `d`'s pairs end at `ends[d]`.
    ends: Vec<usize>,
}

impl ForwardIndex {
    fn build<S: AsRef<str>>(docs: &[S]) -> ForwardIndex {
        let mut forward = ForwardIndex {
            dictionary: HashMap::new(),
            document_frequencies: Vec::new(),
            lengths: Vec::with_capacity(docs.len()),
            pairs: Vec::new(),
            ends: Vec::with_capacity(docs.len()),
        };
        let mut ids = Vec::new();
        for doc in docs {
            ids.clear();
            for term in terms(doc.as_ref()) {
                ids.push(forward.term_id(term));
            }
            forward.lengths.push(ids.len());
            ids.sort_unstable();
            for run in ids.chunk_by(|a, b| a == b) {
                forward.pairs.push((run[0], run.len()));
                forward.document_frequencies[run[0] as usize] += 1;
            }
            forward.ends.push(forward.pairs.len());
        }
        forward
    }

    /// The id of `term`, a new one the first time it is seen.
    fn term_id(&mut self, term: Cow<'_, str>) -> u32 {
        if let Some(&id) = self.dictionary.get(term.as_ref()) {
            return id;
        }
        let id = u32::try_from(self.document_frequencies.len()).expect("fewer than 2^32 distinct terms");
        self.dictionary.insert(term.into_owned(), id);
        self.document_frequencies.push(0);
        id
    }

    /// Each document's `(term, tf)` pairs, in document order.
    fn documents(&self) -> impl Iterator<Item = &[(u32, usize)]> {
        let starts = std::iter::once(0).chain(self.ends.iter().copied());
        starts.zip(&self.ends).map(|(start, &end)| &self.pairs[start..end])
    }
}

/// The terms of `text` by the rules of [`tokenize`], borrowed from `text`
/// when they are already lowercase ASCII (the common case) instead of
/// allocating a `String` per token.
fn terms(text: &str) -> impl Iterator<Item = Cow<'_, str>> {
    text.split(|c: char| !c.is_alphanumeric()).filter(|piece| !piece.is_empty()).map(|piece| {
        if piece.bytes().all(|byte| byte.is_ascii_lowercase() || byte.is_ascii_digit()) {
            Cow::Borrowed(piece)
        } else {
            Cow::Owned(piece.to_lowercase())
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn borrowed_terms_match_tokenize() {
        let text = "The CAT's hat, école ÉCOLE 東京 42x İstanbul ΣΟΦΊΑ  ";
        let ours: Vec<String> = terms(text).map(Cow::into_owned).collect();
        assert_eq!(ours, tokenize(text));
    }
}
