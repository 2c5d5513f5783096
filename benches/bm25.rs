//! BM25 over a synthetic corpus of 20,000 documents (Zipf vocabulary of
//! 30,000 terms, about 100 tokens each), queries of 2 to 5 terms, k = 10.
//!
//! Two questions, one group each, every input built once from a fixed seed:
//!
//! - `bm25/search`: 64 top-10 queries (throughput in queries). The reference
//!   against `naive`, the f64 oracle that scores every document from its
//!   term counts and sorts them all, and, with `--features peers`, against
//!   `tantivy` searching an in-RAM index of the same documents with its BM25
//!   top-10 collector. tantivy's queries are parsed outside the timed loop;
//!   ours tokenize their text inside it.
//! - `bm25/build`: building the index over the corpus (throughput in bytes of
//!   text), the reference against tantivy (one indexing thread, one
//!   segment, committed in RAM).
//!
//! tantivy takes minutes to compile, so it is an optional dependency:
//! `cargo bench --bench bm25 --features peers` includes it.

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use kata::bench::Role;
use kata::generate::corpus::{zipf_documents, zipf_queries};
use kata::oracle::bm25::Bm25Oracle;
#[cfg(feature = "with-reference")]
use kata::reference;
use kata::seed::rng_for;
use kata::subject::bm25::Bm25Params;
use kata::{bench, subject};

const DOCUMENTS: usize = 20_000;
const VOCABULARY: usize = 30_000;
const MEAN_TOKENS: usize = 100;
const QUERIES: usize = 64;
const K: usize = 10;

fn candidate_ready() -> bool {
    bench::candidate_ready("bm25", || {
        let index = subject::bm25::Bm25Index::new(&["the cat sat", "the dog"], Bm25Params::default());
        let _ = black_box(index.map(|index| index.search("cat", 1)));
    })
}

fn search(c: &mut Criterion, docs: &[String], queries: &[String], candidate: bool) {
    #[cfg(feature = "with-reference")]
    let reference_index =
        reference::bm25::Bm25Index::new(docs, Bm25Params::default()).expect("valid parameters");
    let mut group = c.benchmark_group("bm25/search");
    group.sample_size(10).throughput(Throughput::Elements(queries.len() as u64));
    #[cfg(feature = "with-reference")]
    group.bench_function(BenchmarkId::new(Role::Reference.implementation(""), DOCUMENTS), |bench| {
        bench.iter(|| {
            queries.iter().map(|query| reference_index.search(black_box(query), K)).collect::<Vec<_>>()
        })
    });
    if candidate {
        let index = subject::bm25::Bm25Index::new(docs, Bm25Params::default()).expect("valid parameters");
        group.bench_function(BenchmarkId::new(Role::Candidate.implementation(""), DOCUMENTS), |bench| {
            bench.iter(|| queries.iter().map(|query| index.search(black_box(query), K)).collect::<Vec<_>>())
        });
    }
    let naive = Bm25Oracle::new(docs, Bm25Params::default());
    group.bench_function(BenchmarkId::new(Role::Naive.implementation(""), DOCUMENTS), |bench| {
        bench.iter(|| queries.iter().map(|query| naive.search(black_box(query), K)).collect::<Vec<_>>())
    });
    #[cfg(feature = "peers")]
    {
        let (index, _) = peer::build(docs);
        let searcher = peer::Searcher::new(&index, queries);
        #[cfg(feature = "with-reference")]
        {
            let ours = queries.iter().map(|query| reference_index.search(query, K));
            let agreed: usize = ours
                .zip(searcher.search_all(K))
                .map(|(ours, theirs)| {
                    theirs
                        .iter()
                        .filter(|(_, address)| ours.iter().any(|hit| hit.index == address.doc_id as usize))
                        .count()
                })
                .sum();
            eprintln!(
                "note: tantivy and the reference agree on {agreed} of {} top-{K} documents",
                queries.len() * K
            );
        }
        group.bench_function(BenchmarkId::new(Role::Peer.implementation("tantivy"), DOCUMENTS), |bench| {
            bench.iter(|| searcher.search_all(K))
        });
    }
    group.finish();
}

fn build(c: &mut Criterion, docs: &[String], candidate: bool) {
    let bytes: usize = docs.iter().map(String::len).sum();
    let mut group = c.benchmark_group("bm25/build");
    group.sample_size(10).throughput(Throughput::Bytes(bytes as u64));
    #[cfg(feature = "with-reference")]
    group.bench_function(BenchmarkId::new(Role::Reference.implementation(""), DOCUMENTS), |bench| {
        bench.iter(|| reference::bm25::Bm25Index::new(black_box(docs), Bm25Params::default()))
    });
    if candidate {
        group.bench_function(BenchmarkId::new(Role::Candidate.implementation(""), DOCUMENTS), |bench| {
            bench.iter(|| subject::bm25::Bm25Index::new(black_box(docs), Bm25Params::default()))
        });
    }
    #[cfg(feature = "peers")]
    group.bench_function(BenchmarkId::new(Role::Peer.implementation("tantivy"), DOCUMENTS), |bench| {
        bench.iter(|| peer::build(black_box(docs)))
    });
    group.finish();
}

/// tantivy, set up to compute the same BM25 (k1 = 1.2, b = 0.75; its
/// default tokenizer also splits on non-alphanumeric chars and lowercases).
#[cfg(feature = "peers")]
mod peer {
    use std::hint::black_box;

    use tantivy::collector::TopDocs;
    use tantivy::query::{Query, QueryParser};
    use tantivy::schema::{Field, Schema, TEXT};
    use tantivy::{Index, IndexWriter, TantivyDocument, doc};

    /// Indexing memory: far more than the corpus needs, so one segment.
    const WRITER_BUDGET: usize = 400_000_000;

    /// An in-RAM index of `docs`, one document per entry, in order.
    pub fn build(docs: &[String]) -> (Index, Field) {
        let mut schema = Schema::builder();
        let body = schema.add_text_field("body", TEXT);
        let index = Index::create_in_ram(schema.build());
        let mut writer: IndexWriter<TantivyDocument> =
            index.writer_with_num_threads(1, WRITER_BUDGET).expect("an in-RAM writer");
        for text in docs {
            writer.add_document(doc!(body => text.as_str())).expect("indexing in RAM");
        }
        writer.commit().expect("commit in RAM");
        (index, body)
    }

    /// A searcher with the queries already parsed.
    pub struct Searcher {
        searcher: tantivy::Searcher,
        queries: Vec<Box<dyn Query>>,
    }

    impl Searcher {
        pub fn new(index: &Index, queries: &[String]) -> Searcher {
            let body = index.schema().get_field("body").expect("the body field");
            let parser = QueryParser::for_index(index, vec![body]);
            let queries = queries.iter().map(|text| parser.parse_query(text).expect("plain terms")).collect();
            let searcher = index.reader().expect("a reader").searcher();
            let segments = searcher.segment_readers().len();
            assert_eq!(segments, 1, "tantivy should search one segment, like the reference");
            Searcher { searcher, queries }
        }

        /// The top `k` of every query, best first.
        pub fn search_all(&self, k: usize) -> Vec<Vec<(f32, tantivy::DocAddress)>> {
            let collector = TopDocs::with_limit(k).order_by_score();
            self.queries
                .iter()
                .map(|query| {
                    self.searcher.search(black_box(query.as_ref()), &collector).expect("search in RAM")
                })
                .collect()
        }
    }
}

fn benches(c: &mut Criterion) {
    let mut rng = rng_for("bench-bm25");
    let docs = zipf_documents(&mut rng, DOCUMENTS, VOCABULARY, MEAN_TOKENS);
    let queries = zipf_queries(&mut rng, QUERIES, VOCABULARY, 2, 5);
    let candidate = candidate_ready();
    search(c, &docs, &queries, candidate);
    build(c, &docs, candidate);
}

criterion_group!(bm25, benches);
criterion_main!(bm25);
