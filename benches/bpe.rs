//! Byte-level BPE on Zipf text over 20,000 made-up words: training a
//! 4,096-id vocabulary on 5 MB, and encoding 10 MB with it. The reference
//! against the candidate, the plain recount-every-merge trainer and
//! find-the-lowest-pair-again encoder (naive: the oracle), and two peers
//! for encoding: `tiktoken-rs` (`CoreBPE` built from the same vocabulary
//! with the pattern `\s+|\S+`, which cuts the same pieces) and the `bpe`
//! crate (backtracking encoder over the same vocabulary, fed the same
//! pieces).
//!
//! `cargo bench --bench bpe`; the ratios that matter are candidate /
//! reference and peer / reference. The peers merge by the rank of the
//! joined bytes rather than by pair; on these vocabularies their ids may
//! differ from ours in a few pieces (the run prints how many), which does
//! not change what they cost.

use std::collections::HashMap;
use std::hint::black_box;
use std::panic::{AssertUnwindSafe, catch_unwind};

use bpe_peer::byte_pair_encoding::BytePairEncoding;
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use kata::bench::Role;
use kata::generate::bpe::{words, zipf_text};
use kata::oracle::bpe as oracle;
#[cfg(feature = "with-reference")]
use kata::reference;
use kata::seed::rng_for;
use kata::{bench, subject};
use tiktoken_rs::CoreBPE;

/// Ids in the trained vocabulary.
const VOCAB_SIZE: usize = 4096;
/// Bytes of training text.
const TRAIN_BYTES: usize = 5_000_000;
/// Bytes of text to encode.
const ENCODE_BYTES: usize = 10_000_000;
/// Made-up words the text draws from.
const WORDS: usize = 20_000;

/// The bytes of every id, in id order.
fn vocabulary(merges: &[(u32, u32)]) -> Vec<Vec<u8>> {
    let mut tokens: Vec<Vec<u8>> = (0..=255_u8).map(|byte| vec![byte]).collect();
    for &(left, right) in merges {
        let joined = [tokens[left as usize].as_slice(), tokens[right as usize].as_slice()].concat();
        tokens.push(joined);
    }
    tokens
}

/// tiktoken's `CoreBPE` over the same vocabulary: rank = id (the first id
/// for bytes that two merges both make), pieces from `\s+|\S+`.
fn tiktoken_peer(tokens: &[Vec<u8>]) -> Option<CoreBPE> {
    let mut encoder = HashMap::with_capacity(tokens.len());
    for (id, bytes) in tokens.iter().enumerate() {
        encoder.entry(bytes.clone()).or_insert(id as u32);
    }
    let encoder = encoder.into_iter().collect();
    CoreBPE::new(encoder, Default::default(), r"\s+|\S+").ok()
}

/// The `bpe` crate over the same vocabulary (duplicates dropped). Its
/// builder asserts that every token encodes to itself; `None` if not.
fn bpe_crate_peer(tokens: &[Vec<u8>]) -> Option<BytePairEncoding> {
    let mut seen = std::collections::HashSet::new();
    let unique: Vec<Vec<u8>> = tokens.iter().filter(|bytes| seen.insert(bytes.to_vec())).cloned().collect();
    let quiet = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let built = catch_unwind(AssertUnwindSafe(|| BytePairEncoding::from_dictionary(unique, None)));
    std::panic::set_hook(quiet);
    built.ok()
}

fn train(c: &mut Criterion) {
    let candidate_ready = bench::candidate_ready("bpe", || {
        let _ = subject::bpe::Bpe::train(&["aaab aaab"], 258);
    });
    let mut rng = rng_for("bench-bpe-train");
    let vocabulary = words(&mut rng, WORDS);
    let text = zipf_text(&mut rng, TRAIN_BYTES, &vocabulary);
    let corpus = [text.as_str()];
    let mut group = c.benchmark_group(format!("bpe train {VOCAB_SIZE} ids on 5 MB"));
    group.sample_size(10);
    group.throughput(Throughput::Bytes(text.len() as u64));
    #[cfg(feature = "with-reference")]
    group.bench_function(BenchmarkId::new(Role::Reference.implementation(""), TRAIN_BYTES), |bench| {
        bench.iter(|| reference::bpe::Bpe::train(black_box(&corpus), VOCAB_SIZE))
    });
    if candidate_ready {
        group.bench_function(BenchmarkId::new(Role::Candidate.implementation(""), TRAIN_BYTES), |bench| {
            bench.iter(|| subject::bpe::Bpe::train(black_box(&corpus), VOCAB_SIZE))
        });
    }
    group.bench_function(
        BenchmarkId::new(Role::Naive.implementation("recount every merge"), TRAIN_BYTES),
        |bench| bench.iter(|| oracle::train(black_box(&corpus), VOCAB_SIZE)),
    );
    group.finish();
}

fn encode(c: &mut Criterion) {
    let mut rng = rng_for("bench-bpe-encode");
    let word_list = words(&mut rng, WORDS);
    let training = zipf_text(&mut rng, TRAIN_BYTES / 5, &word_list);
    #[cfg(feature = "with-reference")]
    let Ok(ours) = reference::bpe::Bpe::train(&[training.as_str()], VOCAB_SIZE) else { return };
    #[cfg(feature = "with-reference")]
    let merges = ours.merges().to_vec();
    // Without the reference, the oracle trains the same vocabulary, slowly.
    #[cfg(not(feature = "with-reference"))]
    let Some(merges) = oracle::train(&[training.as_str()], VOCAB_SIZE) else { return };
    let text = zipf_text(&mut rng, ENCODE_BYTES, &word_list);
    let candidate = subject::bpe::Bpe::from_merges(&merges);
    let candidate_ready = bench::candidate_ready("bpe", || {
        if let Ok(bpe) = &candidate {
            let _ = bpe.encode("aaab aaab");
        }
    }) && candidate.is_ok();
    let tokens = vocabulary(&merges);
    let distinct: std::collections::HashSet<&Vec<u8>> = tokens.iter().collect();
    eprintln!("note: {} ids, {} distinct byte strings", tokens.len(), distinct.len());
    #[cfg(feature = "with-reference")]
    print_agreement_with_tiktoken(&tokens, &ours, &text);
    let tiktoken = tiktoken_peer(&tokens);
    let bpe_crate = bpe_crate_peer(&tokens);
    if bpe_crate.is_none() {
        eprintln!("note: peer:bpe skipped: its builder rejects this vocabulary");
    }
    let mut group = c.benchmark_group("bpe encode 10 MB, 4096 ids");
    group.sample_size(10);
    group.throughput(Throughput::Bytes(text.len() as u64));
    #[cfg(feature = "with-reference")]
    group.bench_function(BenchmarkId::new(Role::Reference.implementation(""), ENCODE_BYTES), |bench| {
        bench.iter(|| ours.encode(black_box(&text)))
    });
    if let (true, Ok(candidate)) = (candidate_ready, &candidate) {
        group.bench_function(BenchmarkId::new(Role::Candidate.implementation(""), ENCODE_BYTES), |bench| {
            bench.iter(|| candidate.encode(black_box(&text)))
        });
    }
    if let Some(tiktoken) = &tiktoken {
        group.bench_function(
            BenchmarkId::new(Role::Peer.implementation("tiktoken-rs"), ENCODE_BYTES),
            |bench| bench.iter(|| tiktoken.encode_ordinary(black_box(&text))),
        );
    }
    if let Some(bpe_crate) = &bpe_crate {
        group.bench_function(BenchmarkId::new(Role::Peer.implementation("bpe"), ENCODE_BYTES), |bench| {
            bench.iter(|| {
                let mut ids = Vec::with_capacity(text.len() / 4);
                for piece in oracle::pieces(black_box(&text)) {
                    ids.extend(bpe_crate.encode_via_backtracking(piece.as_bytes()));
                }
                ids
            })
        });
    }
    group.bench_function(
        BenchmarkId::new(Role::Naive.implementation("lowest pair again"), ENCODE_BYTES),
        |bench| bench.iter(|| oracle::encode(black_box(&merges), black_box(&text))),
    );
    group.finish();
}

/// Prints how far tiktoken's ids agree with the reference's on 1 MB.
#[cfg(feature = "with-reference")]
fn print_agreement_with_tiktoken(tokens: &[Vec<u8>], ours: &reference::bpe::Bpe, text: &str) {
    if let Some(tiktoken) = tiktoken_peer(tokens) {
        let sample =
            &text[..text.char_indices().map(|(at, _)| at).find(|&at| at >= 1_000_000).unwrap_or(text.len())];
        let (ours_ids, theirs) = (ours.encode(sample), tiktoken.encode_ordinary(sample));
        eprintln!(
            "note: on 1 MB, reference {} ids, tiktoken-rs {} ids, identical: {}",
            ours_ids.len(),
            theirs.len(),
            ours_ids == theirs
        );
    }
}

criterion_group!(benches, train, encode);
criterion_main!(benches);
