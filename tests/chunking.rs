//! Hidden tests for the `chunking` exercise (`exercises/src/chunking.rs`).
//!
//! Tiers, by name prefix: `examples_` (the statement's examples), `edge_`
//! (every error and its order, empty and tiny documents, window shapes),
//! `property_` (random Unicode documents against a collect-then-window
//! oracle), `robust_` (every kind of Unicode whitespace and its lookalikes,
//! multi-byte tokens, 64-byte block boundaries, overflow), `scale_` (50 MB
//! in linear time, stride 1 over long windows).
//!
//! Every chunk must be a slice borrowed from the input at the right byte
//! offsets: answers are compared as byte ranges of the input (found from
//! the chunks' pointers), never just as strings.

use std::ops::Range;
use std::sync::Arc;

use kata::generate::text::{self, LOOKALIKES, MULTIBYTE_WORDS, WHITESPACE};
use kata::grade;
use kata::oracle::chunking::{chunk_spans, spans_in};
use kata::property;
use kata::seed::rng_for;
use kata::subject::chunking::{ChunkError, chunk_tokens};
use proptest::prelude::*;

const EXERCISE: &str = "chunking";

/// The subject's chunks as byte ranges of `text`, under the time limit.
///
/// # Panics
/// When a chunk is not a slice of `text` (a copy), with a message saying so.
fn subject_spans(text: &str, size: usize, overlap: usize) -> Result<Vec<Range<usize>>, ChunkError> {
    let text: Arc<str> = Arc::from(text);
    let answer = grade::run(EXERCISE, move || {
        chunk_tokens(&text, size, overlap).map(|chunks| spans_in(&text, &chunks))
    });
    answer.map(|spans| spans.unwrap_or_else(|message| panic!("{message}")))
}

/// The chunks of `text` that `spans` describe, for messages.
fn slices<'a>(text: &'a str, spans: &[Range<usize>]) -> Vec<&'a str> {
    spans.iter().map(|span| text.get(span.clone()).unwrap_or("<not on a char boundary>")).collect()
}

/// A short view of a long text, for messages.
fn preview(text: &str) -> String {
    if text.len() <= 200 {
        format!("{text:?}")
    } else {
        let cut = text.char_indices().map(|(index, _)| index).take_while(|&index| index <= 120).last();
        format!("{:?}... ({} bytes)", &text[..cut.unwrap_or(0)], text.len())
    }
}

/// Checks the subject's answer on one case against the oracle: the same
/// error, or the same chunks at the same byte offsets of `text`.
///
/// Call it inside [`grade::run`]: it calls the subject directly.
fn check_case(text: &str, size: usize, overlap: usize) -> Result<(), String> {
    let expected = chunk_spans(text, size, overlap);
    let actual = match chunk_tokens(text, size, overlap) {
        Ok(chunks) => Ok(spans_in(text, &chunks)?),
        Err(error) => Err(error),
    };
    if actual == expected {
        return Ok(());
    }
    let call = format!("chunk_tokens({}, size {size}, overlap {overlap})", preview(text));
    Err(match (actual, expected) {
        (Ok(actual), Ok(expected)) if slices(text, &actual) == slices(text, &expected) => format!(
            "{call}: the right chunks, but at the wrong byte offsets (borrow each chunk from where its \
             tokens are)\n  expected spans {expected:?}\n  got spans      {actual:?}"
        ),
        (Ok(actual), Ok(expected)) => {
            format!("{call}:{}", chunk_mismatch(text, &slices(text, &expected), &actual))
        }
        (actual, expected) => format!("{call}: expected {expected:?}, got {actual:?}"),
    })
}

/// Expected and got chunk lists, and the likely cause where the shapes tell it.
fn chunk_mismatch(text: &str, expected: &[&str], actual: &[Range<usize>]) -> String {
    let got = slices(text, actual);
    let mut message = format!(
        "\n  expected {} chunks {expected:?}\n  got      {} chunks {got:?}",
        expected.len(),
        got.len()
    );
    let only_overlap = actual.len() == expected.len() + 1
        && actual.len() >= 2
        && actual[actual.len() - 2].end >= actual[actual.len() - 1].end;
    if only_overlap {
        message.push_str(
            "\n  the last chunk holds only tokens the one before it already has: stop once a window \
             reaches the last token",
        );
    }
    if text.chars().any(|c| c.is_whitespace() && !c.is_ascii_whitespace()) {
        message.push_str(
            "\n  this text holds Unicode whitespace (such as U+00A0, U+2028, U+3000): every char for \
             which char::is_whitespace is true separates tokens, not only ASCII's",
        );
    }
    message
}

/// Runs [`check_case`] on every case under one time limit; fails on the first mismatch.
fn assert_all_match_oracle(cases: Vec<(String, usize, usize)>) {
    grade::run(EXERCISE, move || {
        for (text, size, overlap) in &cases {
            if let Err(message) = check_case(text, *size, *overlap) {
                panic!("{message}");
            }
        }
    });
}

/// The subject gives exactly `expected`, borrowed from `text` at the
/// offsets of the tokens (which matters when a chunk's text occurs twice).
fn assert_chunks(text: &str, size: usize, overlap: usize, expected: &[&str]) {
    let call = format!("chunk_tokens({text:?}, size {size}, overlap {overlap})");
    let spans = subject_spans(text, size, overlap)
        .unwrap_or_else(|error| panic!("{call}: expected Ok({expected:?}), got Err({error:?})"));
    assert!(slices(text, &spans) == expected, "{call}:{}", chunk_mismatch(text, expected, &spans));
    let oracle = chunk_spans(text, size, overlap).expect("test bug: valid parameters");
    assert!(
        spans == oracle,
        "{call}: the right text, but not the right slices of the input (borrow each chunk from where \
         its tokens are)\n  expected spans {oracle:?}\n  got spans      {spans:?}"
    );
}

fn assert_error(text: &str, size: usize, overlap: usize, expected: ChunkError) {
    let actual = subject_spans(text, size, overlap);
    assert!(
        actual.as_ref().err() == Some(&expected),
        "chunk_tokens({text:?}, size {size}, overlap {overlap}): expected Err({expected:?}), got {:?}",
        actual.as_ref().map(|spans| slices(text, spans))
    );
}

// ---------------------------------------------------------------- examples

#[test]
fn examples_windows_of_three_overlapping_by_one() {
    assert_chunks("a b c d e", 3, 1, &["a b c", "c d e"]);
}

#[test]
fn examples_the_last_chunk_may_hold_fewer_tokens() {
    assert_chunks("a b c d", 3, 1, &["a b c", "c d"]);
}

#[test]
fn examples_whitespace_inside_a_chunk_is_kept() {
    assert_chunks("The  quick\tbrown\nfox jumps", 2, 0, &["The  quick", "brown\nfox", "jumps"]);
}

#[test]
fn examples_repeated_words_are_borrowed_at_their_own_offsets() {
    let text = "  to be or not to be ";
    assert_chunks(text, 2, 1, &["to be", "be or", "or not", "not to", "to be"]);
    let spans = subject_spans(text, 2, 1).expect("valid parameters");
    assert!(
        spans.last() == Some(&(15..20)),
        "expected the last chunk at text[15..20] (the second \"to be\", not the first), got {:?}",
        spans.last()
    );
}

#[test]
fn examples_a_document_shorter_than_size_is_one_chunk() {
    assert_chunks("a b c", 10, 3, &["a b c"]);
}

#[test]
fn examples_unicode_whitespace_and_multibyte_tokens() {
    assert_chunks("東京\u{3000}🦀 café", 2, 0, &["東京\u{3000}🦀", "café"]);
}

#[test]
fn examples_only_whitespace_gives_no_chunks() {
    assert_chunks(" \n\t", 4, 1, &[]);
}

#[test]
fn examples_errors() {
    assert_error("a b c", 0, 0, ChunkError::ZeroSize);
    assert_error("a b c", 3, 3, ChunkError::OverlapTooLarge { size: 3, overlap: 3 });
}

// ---------------------------------------------------------------- edge

#[test]
fn edge_zero_size_is_an_error() {
    for overlap in [0, 1, 5, usize::MAX] {
        assert_error("one two three", 0, overlap, ChunkError::ZeroSize);
    }
}

#[test]
fn edge_zero_size_is_reported_before_overlap_too_large() {
    // overlap >= size holds here too: ZeroSize must win.
    assert_error("one two", 0, 0, ChunkError::ZeroSize);
    assert_error("one two", 0, 7, ChunkError::ZeroSize);
}

#[test]
fn edge_overlap_equal_to_size_is_an_error() {
    for size in [1, 2, 8] {
        assert_error("a b c d e f g h i j", size, size, ChunkError::OverlapTooLarge { size, overlap: size });
    }
}

#[test]
fn edge_overlap_larger_than_size_is_an_error() {
    assert_error("a b c", 2, 3, ChunkError::OverlapTooLarge { size: 2, overlap: 3 });
    assert_error("a b c", 1, usize::MAX, ChunkError::OverlapTooLarge { size: 1, overlap: usize::MAX });
}

#[test]
fn edge_parameters_are_checked_before_the_text() {
    assert_error("", 0, 0, ChunkError::ZeroSize);
    assert_error(" \t\n", 0, 3, ChunkError::ZeroSize);
    assert_error("", 2, 5, ChunkError::OverlapTooLarge { size: 2, overlap: 5 });
    assert_error("\u{3000}", 4, 4, ChunkError::OverlapTooLarge { size: 4, overlap: 4 });
}

#[test]
fn edge_empty_text_gives_no_chunks() {
    assert_chunks("", 1, 0, &[]);
    assert_chunks("", 5, 4, &[]);
}

#[test]
fn edge_whitespace_of_every_kind_only_gives_no_chunks() {
    let every_kind: String = WHITESPACE.iter().collect();
    assert_chunks(&every_kind, 1, 0, &[]);
    assert_chunks(&every_kind.repeat(5), 3, 2, &[]);
}

#[test]
fn edge_one_token() {
    assert_chunks("hello", 1, 0, &["hello"]);
    assert_chunks("hello", 5, 4, &["hello"]);
    assert_chunks("  hello\n\n", 2, 1, &["hello"]);
}

#[test]
fn edge_fewer_tokens_than_size_gives_one_chunk() {
    assert_chunks("\tfirst second\u{A0}third ", 4, 0, &["first second\u{A0}third"]);
    assert_chunks("first second third", 1000, 999, &["first second third"]);
}

#[test]
fn edge_as_many_tokens_as_size_gives_one_chunk() {
    assert_chunks("a b c", 3, 0, &["a b c"]);
    assert_chunks("a b c", 3, 2, &["a b c"]);
}

#[test]
fn edge_overlap_one_less_than_size_slides_by_one_token() {
    assert_chunks("a b c d e", 3, 2, &["a b c", "b c d", "c d e"]);
    assert_chunks("a b", 2, 1, &["a b"]);
}

#[test]
fn edge_size_one_gives_every_token() {
    assert_chunks(" x  yy\tzzz ", 1, 0, &["x", "yy", "zzz"]);
}

#[test]
fn edge_no_overlap_partitions_the_tokens() {
    assert_chunks("a b c d e f g", 3, 0, &["a b c", "d e f", "g"]);
    assert_chunks("a b c d e f", 3, 0, &["a b c", "d e f"]);
}

#[test]
fn edge_no_trailing_chunk_made_only_of_overlap() {
    assert_chunks("a b c d e f g", 3, 1, &["a b c", "c d e", "e f g"]);
    assert_chunks("a b c d e f", 4, 2, &["a b c d", "c d e f"]);
    assert_chunks("a b c d e f g h", 4, 3, &["a b c d", "b c d e", "c d e f", "d e f g", "e f g h"]);
}

#[test]
fn edge_every_small_window_shape_matches_the_oracle() {
    let mut cases = Vec::new();
    for tokens in 0..=14 {
        let text = (0..tokens).map(|index| format!("t{index}")).collect::<Vec<_>>().join(" ");
        for size in 1..=7 {
            for overlap in 0..size {
                cases.push((text.clone(), size, overlap));
            }
        }
    }
    assert_all_match_oracle(cases);
}

// ---------------------------------------------------------------- property

/// A document with chunking parameters that are valid.
fn document_and_window(max_tokens: usize, max_size: usize) -> impl Strategy<Value = (String, usize, usize)> {
    (text::document(max_tokens), 1..=max_size)
        .prop_flat_map(|(document, size)| (Just(document), Just(size), 0..size))
}

fn property_against_oracle(case: impl Strategy<Value = (String, usize, usize)> + Send + 'static, cases: u32) {
    grade::run(EXERCISE, move || {
        property::check(case, cases, |(text, size, overlap)| {
            check_case(&text, size, overlap).map_err(TestCaseError::fail)
        });
    });
}

#[test]
fn property_matches_the_oracle_on_unicode_documents() {
    property_against_oracle(document_and_window(40, 8), 512);
}

#[test]
fn property_matches_the_oracle_on_long_documents() {
    property_against_oracle(document_and_window(400, 64), 128);
}

#[test]
fn property_parameters_give_the_contract_error_or_the_oracle_chunks() {
    property_against_oracle((text::document(8), 0_usize..=5, 0_usize..=7), 256);
}

// ---------------------------------------------------------------- robust

#[test]
fn robust_every_unicode_whitespace_separates_tokens() {
    for space in WHITESPACE {
        let text = format!("{space}alpha{space}{space}βeta{space}γ{space}");
        let (first, second, third) = ("alpha", "βeta", "γ");
        let pair_one = format!("{first}{space}{space}{second}");
        let pair_two = format!("{second}{space}{third}");
        assert_chunks(&text, 2, 1, &[pair_one.as_str(), pair_two.as_str()]);
        assert_chunks(&text, 1, 0, &[first, second, third]);
    }
}

#[test]
fn robust_whitespace_lookalikes_do_not_separate_tokens() {
    for lookalike in LOOKALIKES {
        let glued = format!("a{lookalike}b");
        assert_chunks(&format!("{glued} c"), 1, 0, &[glued.as_str(), "c"]);
        let alone = lookalike.to_string();
        assert_chunks(&format!("x {alone}\ty"), 1, 0, &["x", alone.as_str(), "y"]);
    }
}

#[test]
fn robust_multibyte_tokens_are_sliced_on_their_own_bytes() {
    let text = MULTIBYTE_WORDS.join(" \u{2028}");
    let mut cases = Vec::new();
    for (size, overlap) in [(1, 0), (2, 1), (3, 1), (4, 0), (5, 3), (16, 2), (17, 0)] {
        cases.push((text.clone(), size, overlap));
        cases.push((format!("\u{3000}{text}\u{A0}"), size, overlap));
    }
    assert_all_match_oracle(cases);
    assert_chunks(
        "👩\u{200D}👩\u{200D}👧 🇫🇷\te\u{301}",
        2,
        1,
        &["👩\u{200D}👩\u{200D}👧 🇫🇷", "🇫🇷\te\u{301}"],
    );
}

#[test]
fn robust_whitespace_and_lookalikes_straddling_64_byte_boundaries() {
    // Fast answers classify bytes 16, 32 or 64 at a time: a 3-byte space cut
    // by a block boundary must still be one separator.
    let mut cases = Vec::new();
    for special in WHITESPACE.into_iter().chain(LOOKALIKES) {
        for offset in 0..200 {
            let head: String = "ab cd".chars().cycle().take(offset).collect();
            let text = format!("{head}{special}é fin{special}");
            for (size, overlap) in [(1, 0), (2, 1), (3, 0)] {
                cases.push((text.clone(), size, overlap));
            }
        }
    }
    assert_all_match_oracle(cases);
}

#[test]
fn robust_long_runs_of_whitespace() {
    let run: String = WHITESPACE.iter().cycle().take(10_000).collect();
    let text = format!("{run}first{run}second third{run}fourth{run}");
    assert_chunks(
        &text,
        2,
        1,
        &[format!("first{run}second").as_str(), "second third", format!("third{run}fourth").as_str()],
    );
}

#[test]
fn robust_one_huge_token() {
    let token = "x".repeat(1 << 20) + "é";
    assert_chunks(&format!("\n{token}\n"), 1, 0, &[token.as_str()]);
    assert_chunks(
        &format!("a {token} b"),
        2,
        1,
        &[format!("a {token}").as_str(), format!("{token} b").as_str()],
    );
}

#[test]
fn robust_huge_size_does_not_overflow() {
    let text = "a b c d";
    assert_chunks(text, usize::MAX, 0, &[text]);
    assert_chunks(text, usize::MAX, usize::MAX - 1, &[text]);
    assert_chunks(text, usize::MAX - 1, usize::MAX - 2, &[text]);
}

// ---------------------------------------------------------------- scale

/// Runs the subject on `text` under the scale limit and checks every span against the oracle.
fn assert_scales(text: Arc<str>, size: usize, overlap: usize) {
    let expected = chunk_spans(&text, size, overlap).expect("test bug: valid parameters");
    let subject_text = Arc::clone(&text);
    let actual = grade::run_within(EXERCISE, grade::SCALE_LIMIT, move || {
        chunk_tokens(&subject_text, size, overlap).map(|chunks| spans_in(&subject_text, &chunks))
    });
    let actual = actual
        .unwrap_or_else(|error| panic!("expected Ok, got Err({error:?})"))
        .unwrap_or_else(|message| panic!("{message}"));
    assert!(
        actual.len() == expected.len(),
        "chunk_tokens of {} bytes (size {size}, overlap {overlap}): expected {} chunks, got {}",
        text.len(),
        expected.len(),
        actual.len()
    );
    if let Some(index) = (0..actual.len()).find(|&index| actual[index] != expected[index]) {
        panic!(
            "chunk {index} of {}: expected bytes {:?} ({:?}), got {:?}",
            actual.len(),
            expected[index],
            preview(&text[expected[index].clone()]),
            actual[index]
        );
    }
}

#[test]
fn scale_fifty_megabytes_in_linear_time() {
    let prose = text::prose(&mut rng_for("scale_fifty_megabytes"), 1 << 20);
    let text: Arc<str> = Arc::from(prose.repeat(50));
    assert_scales(text, 256, 32);
}

#[test]
fn scale_stride_one_over_long_windows_in_linear_time() {
    // 300,000 tokens, windows of 20,000 sliding by one: an answer that walks
    // each window's tokens does 5.6e9 steps, a linear one 300,000.
    let text: Arc<str> = Arc::from(text::prose(&mut rng_for("scale_stride_one"), 2_000_000));
    assert_scales(text, 20_000, 19_999);
}
