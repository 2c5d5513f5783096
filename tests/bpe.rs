//! Hidden tests for the `bpe` exercise (`exercises/src/bpe.rs`).
//!
//! Tiers, by name prefix: `examples_` (the statement's examples), `edge_`
//! (vocabulary sizes, empty input, every error and the first offender,
//! repeated merges, leftmost-first and left-to-right rules), `property_`
//! (random corpora, merges and texts against the recount-every-merge oracle),
//! `robust_` (every Unicode whitespace char and its lookalikes, long runs,
//! long pieces, merges that double a token's length), `scale_` (training on
//! and encoding megabytes of Zipf text in time).

use kata::expect_eq;
use kata::generate::bpe::{dense_corpus, valid_merges, word_merges, words, zipf_text};
use kata::generate::text::{self, LOOKALIKES, WHITESPACE};
use kata::grade;
use kata::oracle::bpe as oracle;
use kata::property;
use kata::seed::rng_for;
use kata::subject::bpe::{Bpe, BpeError};
use proptest::prelude::*;
use rand::RngExt;

const EXERCISE: &str = "bpe";

/// The subject's merges after training on `corpus`, under the time limit.
fn train(corpus: &[&str], vocab_size: usize) -> Result<Vec<(u32, u32)>, BpeError> {
    let corpus: Vec<String> = corpus.iter().map(|text| (*text).to_owned()).collect();
    grade::run(EXERCISE, move || train_owned(&corpus, vocab_size))
}

/// Trains the subject on owned texts (call it inside `grade::run`).
fn train_owned(corpus: &[String], vocab_size: usize) -> Result<Vec<(u32, u32)>, BpeError> {
    let texts: Vec<&str> = corpus.iter().map(String::as_str).collect();
    Bpe::train(&texts, vocab_size).map(|bpe| bpe.merges().to_vec())
}

/// The subject's tokenizer from `merges`, which must be valid.
fn from_merges(merges: &[(u32, u32)]) -> Bpe {
    let owned = merges.to_vec();
    let built = grade::run(EXERCISE, move || Bpe::from_merges(&owned));
    built.unwrap_or_else(|error| {
        panic!("from_merges({}) must accept valid merges, got Err({error:?})", preview(merges))
    })
}

/// The subject's `encode(text)` with `merges`, under the time limit.
fn encode(merges: &[(u32, u32)], text: &str) -> Vec<u32> {
    let bpe = from_merges(merges);
    let text = text.to_owned();
    grade::run(EXERCISE, move || bpe.encode(&text))
}

/// The subject's `decode(ids)` with `merges`, under the time limit.
fn decode(merges: &[(u32, u32)], ids: &[u32]) -> Result<Vec<u8>, BpeError> {
    let bpe = from_merges(merges);
    let ids = ids.to_vec();
    grade::run(EXERCISE, move || bpe.decode(&ids))
}

/// The first items of a list, for failure messages.
fn preview<T: std::fmt::Debug>(items: &[T]) -> String {
    let shown: Vec<String> = items.iter().take(8).map(|item| format!("{item:?}")).collect();
    let more = if items.len() > 8 { format!(", ... ({} in all)", items.len()) } else { String::new() };
    format!("[{}{more}]", shown.join(", "))
}

/// A text, cut to its first 60 chars, for failure messages.
fn preview_text(text: &str) -> String {
    let cut: String = text.chars().take(60).collect();
    if cut.len() < text.len() { format!("{cut:?}... ({} bytes)", text.len()) } else { format!("{text:?}") }
}

/// The first texts of a corpus, each cut, for failure messages.
fn preview_corpus(corpus: &[String]) -> String {
    let shown: Vec<String> = corpus.iter().take(4).map(|text| preview_text(text)).collect();
    let more = if corpus.len() > 4 { format!(", ... ({} texts)", corpus.len()) } else { String::new() };
    format!("[{}{more}]", shown.join(", "))
}

/// `Ok` when two id lists agree, else where they first differ.
fn check_ids(what: &str, actual: &[u32], expected: &[u32]) -> Result<(), String> {
    let differ = actual.iter().zip(expected).position(|(a, e)| a != e);
    let at = match differ {
        Some(at) => at,
        None if actual.len() == expected.len() => return Ok(()),
        None => actual.len().min(expected.len()),
    };
    let around = |ids: &[u32]| preview(&ids[at.saturating_sub(2)..(at + 4).min(ids.len())]);
    Err(format!(
        "{what}: first difference at position {at} of {} expected / {} actual ids: expected {} there, got {}",
        expected.len(),
        actual.len(),
        around(expected),
        around(actual),
    ))
}

/// Why trained merges can differ, for failure messages.
const TRAINING_RULES: &str = "training rules: pairs inside pieces only (runs of whitespace / \
     non-whitespace chars), overlapping pairs counted (\"aaa\" has (a, a) twice), weighted by \
     how often each piece occurs, ties to the smallest (left, right), occurrences replaced left \
     to right, stop below a count of 2";

/// Fails unless training on `corpus` gives the oracle's merges.
fn check_training(
    corpus: &[String],
    vocab_size: usize,
    actual: Result<Vec<(u32, u32)>, BpeError>,
) -> Result<(), String> {
    let texts: Vec<&str> = corpus.iter().map(String::as_str).collect();
    let expected = oracle::train(&texts, vocab_size).ok_or("test bug: the oracle needs vocab_size >= 256")?;
    let actual =
        actual.map_err(|error| format!("train(vocab_size {vocab_size}) must succeed, got Err({error:?})"))?;
    if actual == expected {
        return Ok(());
    }
    let at =
        actual.iter().zip(&expected).position(|(a, e)| a != e).unwrap_or(actual.len().min(expected.len()));
    Err(format!(
        "train(corpus {}, vocab_size {vocab_size}): merge {at} differs: expected {:?}, got {:?} \
         ({} merges expected, {} made)\n{TRAINING_RULES}",
        preview_corpus(corpus),
        expected.get(at),
        actual.get(at),
        expected.len(),
        actual.len(),
    ))
}

/// Fails unless encoding `text` with `merges` gives the oracle's ids.
fn check_encoding(merges: &[(u32, u32)], text: &str, actual: &[u32]) -> Result<(), String> {
    let expected = oracle::encode(merges, text);
    check_ids(&format!("encode({}) with merges {}", preview_text(text), preview(merges)), actual, &expected)
        .map_err(|message| {
            format!(
                "{message}\n(in each piece, merge the adjacent pair with the lowest merge index, \
                 leftmost first, until none merges; never across a piece)"
            )
        })
}

// ---------------------------------------------------------------- examples

const WIKIPEDIA_MERGES: [(u32, u32); 3] = [(97, 97), (97, 98), (256, 257)];

#[test]
fn examples_training_merges_the_most_frequent_pair_each_time() {
    expect_eq!(
        train(&["aaabdaaabac"], 259),
        Ok(WIKIPEDIA_MERGES.to_vec()),
        "(a, a) occurs 4 times, then (aa, a) and (a, b) tie at 2 and the smaller pair (97, 98) wins, then (aa, ab)"
    );
}

#[test]
fn examples_encoding_merges_the_lowest_index_first() {
    expect_eq!(encode(&WIKIPEDIA_MERGES, "aaab aaa"), [258, 32, 256, 97]);
}

#[test]
fn examples_decoding_joins_the_bytes_of_each_id() {
    expect_eq!(decode(&WIKIPEDIA_MERGES, &[258, 32, 256, 97]), Ok(b"aaab aaa".to_vec()));
    expect_eq!(decode(&WIKIPEDIA_MERGES, &[104, 105]), Ok(b"hi".to_vec()));
}

#[test]
fn examples_decoding_an_unknown_id_is_an_error() {
    expect_eq!(decode(&WIKIPEDIA_MERGES, &[259]), Err(BpeError::UnknownToken { id: 259 }));
}

#[test]
fn examples_overlapping_pairs_count_twice() {
    expect_eq!(
        train(&["aaa"], 300),
        Ok(vec![(97, 97)]),
        "\"aaa\" holds (a, a) twice (overlapping pairs count), so it merges; then [aa, a] has no pair twice \
         (ids 0..=255 are the bytes themselves, whether the corpus holds them or not: a is 97)"
    );
}

#[test]
fn examples_ties_go_to_the_smallest_pair() {
    expect_eq!(
        train(&["ba ab ba ab"], 258),
        Ok(vec![(97, 98), (98, 97)]),
        "(b, a) and (a, b) both occur twice: the smallest (left, right) comes first, not the first seen"
    );
}

#[test]
fn examples_no_pair_crosses_a_piece() {
    expect_eq!(train(&["a a a"], 300), Ok(vec![]), "\"a a a\" is five one-char pieces: no pair at all");
}

#[test]
fn examples_vocab_below_256_is_too_small() {
    expect_eq!(train(&["abc"], 255), Err(BpeError::VocabTooSmall { vocab_size: 255 }));
}

#[test]
fn examples_from_merges_accepts_defined_ids_only() {
    expect_eq!(encode(&[(97, 98), (256, 99)], "abc"), [257]);
    let invalid = vec![(97, 98), (258, 99)];
    let result = grade::run(EXERCISE, move || Bpe::from_merges(&invalid).map(|bpe| bpe.merges().to_vec()));
    expect_eq!(result, Err(BpeError::InvalidMerge { index: 1 }));
}

// ---------------------------------------------------------------- edge

/// The subject's `from_merges` result, merges echoed back.
fn try_from_merges(merges: &[(u32, u32)]) -> Result<Vec<(u32, u32)>, BpeError> {
    let owned = merges.to_vec();
    grade::run(EXERCISE, move || Bpe::from_merges(&owned).map(|bpe| bpe.merges().to_vec()))
}

#[test]
fn edge_vocab_below_256_is_rejected_whatever_the_corpus() {
    for vocab_size in [0, 1, 100, 255] {
        for corpus in [&[][..], &[""][..], &["aaaa bbbb"][..]] {
            expect_eq!(
                train(corpus, vocab_size),
                Err(BpeError::VocabTooSmall { vocab_size }),
                "train({corpus:?}, {vocab_size}): the 256 bytes do not fit"
            );
        }
    }
}

#[test]
fn edge_vocab_of_exactly_256_makes_no_merge() {
    expect_eq!(train(&["aaaa aaaa"], 256), Ok(vec![]));
}

#[test]
fn edge_empty_corpora_make_no_merge() {
    expect_eq!(train(&[], 1000), Ok(vec![]));
    expect_eq!(train(&["", "", " "], 1000), Ok(vec![]));
}

#[test]
fn edge_training_stops_at_vocab_size() {
    expect_eq!(train(&["aaabdaaabac"], 257), Ok(vec![(97, 97)]));
    expect_eq!(train(&["aaabdaaabac"], 258), Ok(vec![(97, 97), (97, 98)]));
}

#[test]
fn edge_training_stops_when_no_pair_occurs_twice() {
    expect_eq!(train(&["aaabdaaabac"], 1_000_000), Ok(vec![(97, 97), (97, 98), (256, 257)]));
    expect_eq!(train(&["abcdef"], 1000), Ok(vec![]), "every pair of \"abcdef\" occurs once");
}

#[test]
fn edge_counts_add_up_across_texts_and_pieces() {
    expect_eq!(train(&["ab", "ab"], 300), Ok(vec![(97, 98)]), "the pair occurs once in each of two texts");
    expect_eq!(train(&["ab ab"], 300), Ok(vec![(97, 98)]), "the pair occurs once in each of two pieces");
}

#[test]
fn edge_training_replaces_left_to_right() {
    expect_eq!(
        train(&["aaa aaa aaa"], 258),
        Ok(vec![(97, 97), (256, 97)]),
        "after (a, a), each \"aaa\" is [aa, a] (left to right), not [a, aa]"
    );
    expect_eq!(
        train(&["aaaa aaaa"], 258),
        Ok(vec![(97, 97), (256, 256)]),
        "after (a, a), \"aaaa\" is [aa, aa]: replacing must skip the pair it just merged"
    );
}

#[test]
fn edge_the_vocabulary_starts_with_the_256_bytes() {
    expect_eq!(train(&["zz zz"], 257), Ok(vec![(122, 122)]), "pairs name byte values: 'z' is 122");
    expect_eq!(encode(&[(122, 122)], "zz"), [256], "the first merge makes id 256");
    let every_byte: Vec<u32> = (0..=255).collect();
    let bytes: Vec<u8> = (0..=255).collect();
    expect_eq!(decode(&[], &every_byte), Ok(bytes), "ids 0..=255 are the bytes, in byte order");
}

#[test]
fn edge_encoding_empty_and_whitespace_only_text() {
    expect_eq!(encode(&WIKIPEDIA_MERGES, ""), Vec::<u32>::new());
    expect_eq!(encode(&[(32, 32)], "   "), [256, 32]);
}

#[test]
fn edge_without_merges_ids_are_the_bytes() {
    let text = "héllo\t日本 🦀";
    let expected: Vec<u32> = text.bytes().map(u32::from).collect();
    expect_eq!(encode(&[], text), expected);
}

#[test]
fn edge_encoding_is_leftmost_first() {
    expect_eq!(encode(&[(97, 97)], "aaa"), [256, 97], "the leftmost (a, a) merges first");
    expect_eq!(encode(&[(97, 97)], "aaaaa"), [256, 256, 97]);
}

#[test]
fn edge_encoding_never_merges_across_pieces() {
    expect_eq!(encode(&[(97, 32), (32, 98)], "a b"), [97, 32, 98], "\"a\", \" \" and \"b\" are three pieces");
}

#[test]
fn edge_whitespace_pieces_merge_too() {
    expect_eq!(encode(&[(32, 32)], "a    b"), [97, 256, 256, 98]);
}

#[test]
fn edge_encoding_uses_merge_order_not_token_length() {
    // (b, c) comes first, so "abc" is [a, bc] and the later (a, b) never applies.
    expect_eq!(encode(&[(98, 99), (97, 98), (257, 99)], "abc"), [97, 256]);
}

#[test]
fn edge_a_repeated_merge_uses_its_lower_index() {
    expect_eq!(
        try_from_merges(&[(97, 98), (97, 98)]),
        Ok(vec![(97, 98), (97, 98)]),
        "repeated merges are valid"
    );
    expect_eq!(encode(&[(97, 98), (97, 98)], "ab"), [256]);
    expect_eq!(decode(&[(97, 98), (97, 98)], &[257]), Ok(b"ab".to_vec()), "the repeat's id still exists");
}

#[test]
fn edge_from_merges_names_the_first_undefined_id() {
    let cases: [(&[(u32, u32)], usize); 6] = [
        (&[(256, 97)], 0),
        (&[(97, 256)], 0),
        (&[(97, 98), (257, 1)], 1),
        (&[(97, 98), (300, 1), (999, 0)], 1),
        (&[(97, u32::MAX)], 0),
        (&[(97, 98), (256, 256), (257, 0), (1, 262)], 3),
    ];
    for (merges, index) in cases {
        expect_eq!(
            try_from_merges(merges),
            Err(BpeError::InvalidMerge { index }),
            "from_merges({merges:?}): merge i may name only ids below 256 + i"
        );
    }
}

#[test]
fn edge_from_merges_keeps_the_merges() {
    expect_eq!(try_from_merges(&[]), Ok(vec![]));
    expect_eq!(try_from_merges(&WIKIPEDIA_MERGES), Ok(WIKIPEDIA_MERGES.to_vec()));
}

#[test]
fn edge_decoding_nothing_is_nothing() {
    expect_eq!(decode(&WIKIPEDIA_MERGES, &[]), Ok(vec![]));
}

#[test]
fn edge_decoding_names_the_first_unknown_id() {
    expect_eq!(decode(&WIKIPEDIA_MERGES, &[97, 1000, 999]), Err(BpeError::UnknownToken { id: 1000 }));
    expect_eq!(decode(&WIKIPEDIA_MERGES, &[258, 259]), Err(BpeError::UnknownToken { id: 259 }));
    expect_eq!(decode(&[], &[255, 256]), Err(BpeError::UnknownToken { id: 256 }));
    expect_eq!(decode(&[], &[u32::MAX]), Err(BpeError::UnknownToken { id: u32::MAX }));
}

#[test]
fn edge_decoding_may_split_a_char() {
    // "é" is the bytes C3 A9: each byte id alone is valid, not UTF-8.
    expect_eq!(decode(&[], &[0xC3]), Ok(vec![0xC3]));
    expect_eq!(decode(&[(0xC3, 0xA9)], &[256, 0xC3]), Ok(vec![0xC3, 0xA9, 0xC3]));
}

// ---------------------------------------------------------------- property

#[test]
fn property_training_on_dense_corpora_matches_the_oracle() {
    let case = (dense_corpus(6), 256_usize..330);
    grade::run(EXERCISE, move || {
        property::check(case, 200, |(corpus, vocab_size)| {
            check_training(&corpus, vocab_size, train_owned(&corpus, vocab_size)).map_err(TestCaseError::fail)
        });
    });
}

#[test]
fn property_training_on_unicode_documents_matches_the_oracle() {
    let case = (prop::collection::vec(text::document(16), 0..6), 256_usize..420);
    grade::run(EXERCISE, move || {
        property::check(case, 120, |(corpus, vocab_size)| {
            check_training(&corpus, vocab_size, train_owned(&corpus, vocab_size)).map_err(TestCaseError::fail)
        });
    });
}

/// Text for encoding properties: dense in the letters random merges use,
/// or a Unicode document.
fn encodable_text() -> impl Strategy<Value = String> {
    prop_oneof![dense_corpus(3).prop_map(|texts| texts.join("")), text::document(12),]
}

#[test]
fn property_encoding_with_random_merges_matches_the_oracle() {
    let case = (valid_merges(40), encodable_text());
    grade::run(EXERCISE, move || {
        property::check(case, 300, |(merges, text)| {
            let bpe = Bpe::from_merges(&merges).map_err(|error| {
                TestCaseError::fail(format!("valid merges {merges:?} rejected: {error:?}"))
            })?;
            check_encoding(&merges, &text, &bpe.encode(&text)).map_err(TestCaseError::fail)
        });
    });
}

#[test]
fn property_encoding_with_trained_merges_matches_the_oracle() {
    let case = (dense_corpus(4), encodable_text(), 256_usize..320);
    grade::run(EXERCISE, move || {
        property::check(case, 200, |(corpus, text, vocab_size)| {
            let texts: Vec<&str> = corpus.iter().map(String::as_str).collect();
            let merges = oracle::train(&texts, vocab_size).unwrap_or_default();
            let bpe = Bpe::from_merges(&merges).map_err(|error| {
                TestCaseError::fail(format!("valid merges {merges:?} rejected: {error:?}"))
            })?;
            check_encoding(&merges, &text, &bpe.encode(&text)).map_err(TestCaseError::fail)
        });
    });
}

#[test]
fn property_decoding_inverts_encoding() {
    let case = (valid_merges(40), encodable_text());
    grade::run(EXERCISE, move || {
        property::check(case, 300, |(merges, text)| {
            let bpe = Bpe::from_merges(&merges).map_err(|error| {
                TestCaseError::fail(format!("valid merges {merges:?} rejected: {error:?}"))
            })?;
            let ids = bpe.encode(&text);
            match bpe.decode(&ids) {
                Ok(bytes) if bytes == text.as_bytes() => Ok(()),
                other => Err(TestCaseError::fail(format!(
                    "decode(encode({text:?})) must give its bytes back: ids {ids:?} decoded to {other:?}"
                ))),
            }
        });
    });
}

#[test]
fn property_decoding_matches_the_oracle_on_any_ids() {
    let case = (valid_merges(30), prop::collection::vec(prop_oneof![0_u32..320, any::<u32>()], 0..30));
    grade::run(EXERCISE, move || {
        property::check(case, 300, |(merges, ids)| {
            let bpe = Bpe::from_merges(&merges).map_err(|error| {
                TestCaseError::fail(format!("valid merges {merges:?} rejected: {error:?}"))
            })?;
            let expected = oracle::decode(&merges, &ids).map_err(|id| BpeError::UnknownToken { id });
            let actual = bpe.decode(&ids);
            if actual == expected {
                Ok(())
            } else {
                Err(TestCaseError::fail(format!(
                    "decode({ids:?}) with {} merges: expected {expected:?}, got {actual:?} \
                     (the first id outside 0..256 + merges is the error)",
                    merges.len()
                )))
            }
        });
    });
}

#[test]
fn property_from_merges_names_the_first_invalid_merge() {
    let spoiled = (valid_merges(20), any::<prop::sample::Index>(), any::<u32>(), any::<bool>());
    let case = spoiled.prop_map(|(mut merges, at, offset, left)| {
        if !merges.is_empty() {
            let index = at.index(merges.len());
            let undefined = (256 + index as u32).saturating_add(offset % 300);
            if left { merges[index].0 = undefined } else { merges[index].1 = undefined }
        }
        merges
    });
    grade::run(EXERCISE, move || {
        property::check(case, 300, |merges| {
            let expected = match oracle::first_invalid_merge(&merges) {
                Some(index) => Err(BpeError::InvalidMerge { index }),
                None => Ok(merges.clone()),
            };
            let actual = Bpe::from_merges(&merges).map(|bpe| bpe.merges().to_vec());
            if actual == expected {
                Ok(())
            } else {
                Err(TestCaseError::fail(format!(
                    "from_merges({merges:?}): expected {expected:?}, got {actual:?} \
                     (merge i may name only ids below 256 + i; report the first that does not)"
                )))
            }
        });
    });
}

// ---------------------------------------------------------------- robust

#[test]
fn robust_every_whitespace_char_cuts_pieces_and_lookalikes_do_not() {
    for c in WHITESPACE.iter().chain(&LOOKALIKES) {
        let text = format!("ab{c}ab{c}{c}ab{c}b{c}{c}a");
        let corpus = vec![text.clone(), text.clone()];
        let actual = grade::run(EXERCISE, {
            let corpus = corpus.clone();
            move || train_owned(&corpus, 320)
        });
        if let Err(message) = check_training(&corpus, 320, actual) {
            panic!(
                "{message}\n(U+{:04X} is {}whitespace for char::is_whitespace)",
                u32::from(*c),
                if c.is_whitespace() { "" } else { "not " }
            );
        }
        let merges = oracle::train(&[text.as_str(), text.as_str()], 320).unwrap_or_default();
        if let Err(message) = check_encoding(&merges, &text, &encode(&merges, &text)) {
            panic!(
                "{message}\n(U+{:04X} is {}whitespace)",
                u32::from(*c),
                if c.is_whitespace() { "" } else { "not " }
            );
        }
    }
}

#[test]
fn robust_multilingual_text_trains_like_the_oracle_and_round_trips() {
    let mut rng = rng_for("robust_multilingual");
    let corpus: Vec<String> = (0..4).map(|_| text::multilingual(&mut rng, 3000)).collect();
    let actual = grade::run(EXERCISE, {
        let corpus = corpus.clone();
        move || train_owned(&corpus, 600)
    });
    check_training(&corpus, 600, actual).unwrap_or_else(|message| panic!("{message}"));
    let texts: Vec<&str> = corpus.iter().map(String::as_str).collect();
    let merges = oracle::train(&texts, 600).unwrap_or_default();
    for sample in &corpus {
        let ids = encode(&merges, sample);
        check_encoding(&merges, sample, &ids).unwrap_or_else(|message| panic!("{message}"));
        expect_eq!(
            decode(&merges, &ids).as_deref(),
            Ok(sample.as_bytes()),
            "decode(encode(text)) must be the text"
        );
    }
}

#[test]
fn robust_long_runs_of_one_byte() {
    let run = "a".repeat(1001);
    let corpus = vec![run.clone(), format!("{run}a {run}")];
    let actual = grade::run(EXERCISE, {
        let corpus = corpus.clone();
        move || train_owned(&corpus, 300)
    });
    check_training(&corpus, 300, actual).unwrap_or_else(|message| panic!("{message}"));
    let merges = oracle::train(&[run.as_str()], 300).unwrap_or_default();
    let long = "a".repeat(5000);
    check_encoding(&merges, &long, &encode(&merges, &long)).unwrap_or_else(|message| panic!("{message}"));
}

#[test]
fn robust_a_long_piece_without_whitespace() {
    let mut rng = rng_for("robust_long_piece");
    let vocabulary = words(&mut rng, 300);
    let merges = word_merges(&vocabulary, 800);
    let piece: String = zipf_text(&mut rng, 3000, &vocabulary).split_whitespace().collect();
    check_encoding(&merges, &piece, &encode(&merges, &piece)).unwrap_or_else(|message| panic!("{message}"));
}

#[test]
fn robust_long_pieces_whose_merges_come_in_any_order() {
    // Pieces of 400 letters from three, with merges trained on such text:
    // a merge often makes a pair with a token on its left that has not
    // merged yet, and that pair must be considered too.
    let mut rng = rng_for("robust_long_pieces_any_order");
    let mut piece = || -> String { (0..400).map(|_| ['a', 'b', 'c'][rng.random_range(0..3)]).collect() };
    let corpus: Vec<String> = (0..20).map(|_| piece()).collect();
    let texts: Vec<&str> = corpus.iter().map(String::as_str).collect();
    let merges = oracle::train(&texts, 400).unwrap_or_default();
    for _ in 0..10 {
        let text = piece();
        check_encoding(&merges, &text, &encode(&merges, &text)).unwrap_or_else(|message| panic!("{message}"));
    }
}

#[test]
fn robust_a_later_pair_merges_before_an_earlier_one_at_a_long_pieces_end() {
    // Merges (y, z), then (x, yz), then (x, y). In each "xyz" the pair
    // (x, y) is there from the start but its turn comes last: by then x
    // has absorbed "yz", so the pair is gone. In the last "xyz" of a long
    // piece x is then the final symbol, and the outdated (x, y) must be
    // dropped, not followed past the piece's end.
    let (x, y, z) = (u32::from(b'x'), u32::from(b'y'), u32::from(b'z'));
    let merges = [(y, z), (x, 256), (x, y)];
    for repeats in [1, 20, 40] {
        let text = "xyz".repeat(repeats);
        check_encoding(&merges, &text, &encode(&merges, &text)).unwrap_or_else(|message| panic!("{message}"));
    }
}

#[test]
fn robust_merges_that_double_a_token_do_not_blow_up() {
    // Merge i joins id 255 + i with itself: id 256 + i is 2^(i + 1) bytes long.
    let merges: Vec<(u32, u32)> =
        (0..62).map(|i| if i == 0 { (97, 97) } else { (255 + i, 255 + i) }).collect();
    let text = "a".repeat(1500);
    check_encoding(&merges, &text, &encode(&merges, &text)).unwrap_or_else(|message| panic!("{message}"));
    expect_eq!(decode(&merges, &[265, 97]), Ok(vec![b'a'; 1025]), "id 265 is 2^10 bytes of 'a'");
    expect_eq!(decode(&merges, &[318]), Err(BpeError::UnknownToken { id: 318 }));
}

// ---------------------------------------------------------------- scale

#[test]
fn scale_encode_two_megabytes_with_three_thousand_merges() {
    let mut rng = rng_for("scale_encode");
    let vocabulary = words(&mut rng, 5000);
    let merges = word_merges(&vocabulary, 3000);
    let text = zipf_text(&mut rng, 2_000_000, &vocabulary);
    let expected = oracle::encode(&merges, &text);
    let bpe = from_merges(&merges);
    let actual = grade::run_within(EXERCISE, grade::SCALE_LIMIT, move || bpe.encode(&text));
    if let Err(message) = check_ids("encode(2 MB of text)", &actual, &expected) {
        panic!("{message}\n(each piece must be merged lowest index first)");
    }
}

#[test]
fn scale_train_on_a_megabyte() {
    let mut rng = rng_for("scale_train");
    let vocabulary = words(&mut rng, 20_000);
    let corpus = vec![zipf_text(&mut rng, 1_000_000, &vocabulary)];
    let merges = grade::run_within(EXERCISE, grade::SCALE_LIMIT, {
        let corpus = corpus.clone();
        move || train_owned(&corpus, 1256)
    })
    .unwrap_or_else(|error| panic!("train(1 MB, 1256) must succeed, got Err({error:?})"));
    expect_eq!(merges.len(), 1000, "1 MB of text has pairs enough for 1000 merges");
    expect_eq!(oracle::first_invalid_merge(&merges), None, "trained merges name only defined ids");
    let texts: Vec<&str> = corpus.iter().map(String::as_str).collect();
    let expected_start = oracle::train(&texts, 256 + 40).unwrap_or_default();
    if merges[..40] != expected_start[..] {
        let at = merges.iter().zip(&expected_start).position(|(a, e)| a != e).unwrap_or(0);
        panic!("merge {at}: expected {:?}, got {:?}\n{TRAINING_RULES}", expected_start[at], merges[at]);
    }
}
