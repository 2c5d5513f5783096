// Shared by the answers in this folder: a plain BM25 index (each document's
// term counts, scored by scanning every document per query, sorted in full)
// with one switch per mistake. Each answer sets `MISTAKE` and includes this.

use std::collections::HashMap;

pub use kata_types::{Bm25Error, Bm25Params, Hit, tokenize};

#[allow(dead_code)]
#[derive(PartialEq, Eq)]
enum Mistake {
    None,
    /// Right too: every step in f32 instead of f64.
    F32Arithmetic,
    RankBm25Idf,
    LuceneWithoutK1Plus1,
    NoLengthNormalisation,
    AvgdlOverUniqueTerms,
    AvgdlOverNonEmptyDocuments,
    DeduplicatedQueryTerms,
    ZeroScoresReturned,
    TiesHigherIndexFirst,
    FractionForAbsentTerms,
    CapacityOfK,
    NanBAccepted,
    ZeroK1Rejected,
    WhitespaceTokenizer,
}

#[derive(Debug, Clone)]
pub struct Bm25Index {
    counts: Vec<HashMap<String, usize>>,
    lengths: Vec<usize>,
    df: HashMap<String, usize>,
    avgdl: f64,
    average_raw_idf: f64,
    params: Bm25Params,
}

fn terms(text: &str) -> Vec<String> {
    if MISTAKE == Mistake::WhitespaceTokenizer {
        text.split_whitespace().map(str::to_lowercase).collect()
    } else {
        tokenize(text)
    }
}

impl Bm25Index {
    pub fn new<S: AsRef<str>>(docs: &[S], params: Bm25Params) -> Result<Bm25Index, Bm25Error> {
        let Bm25Params { k1, b } = params;
        let invalid = match MISTAKE {
            Mistake::NanBAccepted => k1 < 0.0 || !k1.is_finite() || b < 0.0 || b > 1.0,
            Mistake::ZeroK1Rejected => k1 <= 0.0 || !k1.is_finite() || !(0.0..=1.0).contains(&b),
            _ => !(k1 >= 0.0 && k1.is_finite() && (0.0..=1.0).contains(&b)),
        };
        if invalid {
            return Err(Bm25Error::InvalidParams);
        }
        let mut counts = Vec::new();
        let mut lengths = Vec::new();
        let mut df: HashMap<String, usize> = HashMap::new();
        for doc in docs {
            let tokens = terms(doc.as_ref());
            let mut doc_counts: HashMap<String, usize> = HashMap::new();
            for token in &tokens {
                *doc_counts.entry(token.clone()).or_default() += 1;
            }
            for term in doc_counts.keys() {
                *df.entry(term.clone()).or_default() += 1;
            }
            lengths.push(if MISTAKE == Mistake::AvgdlOverUniqueTerms { doc_counts.len() } else { tokens.len() });
            counts.push(doc_counts);
        }
        let total: usize = lengths.iter().sum();
        let averaged_over = if MISTAKE == Mistake::AvgdlOverNonEmptyDocuments {
            lengths.iter().filter(|&&length| length > 0).count()
        } else {
            docs.len()
        };
        let avgdl = if averaged_over == 0 { 0.0 } else { total as f64 / averaged_over as f64 };
        let n = docs.len() as f64;
        let raw_idf = |df: usize| ((n - df as f64 + 0.5) / (df as f64 + 0.5)).ln();
        let average_raw_idf =
            if df.is_empty() { 0.0 } else { df.values().map(|&df| raw_idf(df)).sum::<f64>() / df.len() as f64 };
        Ok(Bm25Index { counts, lengths, df, avgdl, average_raw_idf, params })
    }

    pub fn len(&self) -> usize {
        self.lengths.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn idf(&self, term: &str) -> f64 {
        let n = self.len() as f64;
        let df = self.df.get(term).copied().unwrap_or(0) as f64;
        if MISTAKE == Mistake::RankBm25Idf {
            // rank_bm25's BM25Okapi: no +1, negative IDFs floored at 0.25 x the average.
            let raw = ((n - df + 0.5) / (df + 0.5)).ln();
            if raw < 0.0 { 0.25 * self.average_raw_idf } else { raw }
        } else {
            (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
        }
    }

    pub fn scores(&self, query: &str) -> Vec<f32> {
        let mut query_terms = terms(query);
        if MISTAKE == Mistake::DeduplicatedQueryTerms {
            query_terms.sort();
            query_terms.dedup();
        }
        let (k1, b) = (f64::from(self.params.k1), f64::from(self.params.b));
        let mut scores = vec![0.0_f32; self.len()];
        if self.avgdl == 0.0 {
            return scores;
        }
        for term in &query_terms {
            let idf = self.idf(term);
            for (document, score) in scores.iter_mut().enumerate() {
                let tf = self.counts[document].get(term).copied().unwrap_or(0) as f64;
                if tf == 0.0 && MISTAKE != Mistake::FractionForAbsentTerms {
                    continue;
                }
                let relative_length = self.lengths[document] as f64 / self.avgdl;
                *score += if MISTAKE == Mistake::F32Arithmetic {
                    let (tf, k1, b, idf) = (tf as f32, k1 as f32, b as f32, idf as f32);
                    idf * tf * (k1 + 1.0) / (tf + k1 * (1.0 - b + b * relative_length as f32))
                } else {
                    let norm = if MISTAKE == Mistake::NoLengthNormalisation { 1.0 } else { 1.0 - b + b * relative_length };
                    let saturation = if MISTAKE == Mistake::LuceneWithoutK1Plus1 { tf } else { tf * (k1 + 1.0) };
                    (idf * saturation / (tf + k1 * norm)) as f32
                };
            }
        }
        scores
    }

    pub fn search(&self, query: &str, k: usize) -> Vec<Hit> {
        let mut hits: Vec<Hit> = Vec::with_capacity(if MISTAKE == Mistake::CapacityOfK { k } else { 0 });
        hits.extend(
            self.scores(query)
                .into_iter()
                .enumerate()
                .filter(|&(_, score)| MISTAKE == Mistake::ZeroScoresReturned || score > 0.0)
                .map(|(index, score)| Hit { index, score }),
        );
        if MISTAKE == Mistake::TiesHigherIndexFirst {
            hits.sort_by(|a, b| b.score.total_cmp(&a.score).then(b.index.cmp(&a.index)));
        } else {
            hits.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.index.cmp(&b.index)));
        }
        hits.truncate(k);
        hits
    }
}
