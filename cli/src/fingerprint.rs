//! Fingerprints of source files, to find hand-ins that are copies of each
//! other (or of the reference) whatever was renamed or reformatted.
//!
//! The method is Moss's: Schleimer, Wilkerson and Aiken, "Winnowing: local
//! algorithms for document fingerprinting" (SIGMOD 2003).
//! 1. Lex the file with `proc-macro2` (comments and layout vanish) and
//!    normalise it: every identifier becomes `I` (keywords stay, they are the
//!    code's shape), every literal `L`, doc comments are dropped (a candidate
//!    keeps the stub's). A file that does not lex falls back to its
//!    non-whitespace bytes, one token each.
//! 2. Hash every run of [`K`] consecutive tokens (a k-gram).
//! 3. Winnow: in every window of [`W`] consecutive k-gram hashes keep the
//!    smallest (the rightmost on ties). Any run of `W + K - 1` tokens that two
//!    files share yields at least one common fingerprint, and nothing shorter
//!    than `K` tokens can, so common idioms (`for i in 0..n {`) do not count.
//!
//! Two files are compared by the Jaccard index of their fingerprint sets,
//! after removing the fingerprints of the shipped stub (the code every
//! hand-in starts from, Moss's "base file"). Cost: linear in the file.

use std::collections::BTreeSet;

use proc_macro2::{Delimiter, TokenStream, TokenTree};

/// Tokens per k-gram: shorter shared runs are noise (idioms every answer has).
pub const K: usize = 12;
/// Window of the winnowing: any shared run of `W + K - 1` tokens is detected.
pub const W: usize = 8;
/// The Jaccard index at and above which two files are reported as the same
/// code. The tests set it: a renamed and reformatted copy of any reference
/// scores 1.0, and one with a third of its code dropped (and other code
/// added) still scores about the share kept, 0.56 and up; the independent
/// correct answers of `answers/`, against each other and the reference,
/// score at most 0.43 (two attention answers that share a numerics idiom).
pub const SIMILAR_AT: f64 = 0.5;

/// Fingerprints are kept below 2^53 so that every JSON reader (JavaScript
/// included) reads them back exactly.
const HASH_MASK: u64 = (1 << 53) - 1;

/// The winnowed fingerprints of a Rust source file, sorted, each once.
pub fn fingerprint(source: &str) -> Vec<u64> {
    winnow(&kgram_hashes(&tokens(source)))
}

/// The normalised tokens of `source`, or its non-whitespace bytes when it
/// does not lex.
fn tokens(source: &str) -> Vec<String> {
    match source.parse::<TokenStream>() {
        Ok(stream) => {
            let mut tokens = Vec::new();
            normalise(stream, &mut tokens);
            tokens
        }
        Err(_) => {
            source.bytes().filter(|b| !b.is_ascii_whitespace()).map(|b| char::from(b).to_string()).collect()
        }
    }
}

/// The fingerprints of `source` that are not in `base` (the shipped stub).
pub fn without_base(source: &[u64], base: &[u64]) -> Vec<u64> {
    let base: BTreeSet<u64> = base.iter().copied().collect();
    source.iter().copied().filter(|hash| !base.contains(hash)).collect()
}

/// The Jaccard index of two fingerprint sets: shared / either; 0 when both are empty.
pub fn jaccard(a: &[u64], b: &[u64]) -> f64 {
    let a: BTreeSet<u64> = a.iter().copied().collect();
    let b: BTreeSet<u64> = b.iter().copied().collect();
    let union = a.union(&b).count();
    if union == 0 {
        return 0.0;
    }
    // Counts of a few thousand fingerprints: exact in f64.
    a.intersection(&b).count() as f64 / union as f64
}

/// Appends the normalised tokens of `stream` to `out`.
fn normalise(stream: TokenStream, out: &mut Vec<String>) {
    let mut trees = stream.into_iter().peekable();
    while let Some(tree) = trees.next() {
        match tree {
            TokenTree::Ident(ident) => {
                let text = ident.to_string();
                out.push(if is_keyword(&text) { text } else { "I".to_owned() });
            }
            TokenTree::Literal(_) => out.push("L".to_owned()),
            TokenTree::Punct(punct) if punct.as_char() == '#' => {
                // `#[doc = "..."]` and `#![doc = "..."]`: doc comments, dropped.
                let inner = trees.next_if(|tree| matches!(tree, TokenTree::Punct(p) if p.as_char() == '!'));
                match trees.peek() {
                    Some(TokenTree::Group(group)) if is_doc_attribute(group) => {
                        trees.next();
                    }
                    _ => {
                        out.push("#".to_owned());
                        if inner.is_some() {
                            out.push("!".to_owned());
                        }
                    }
                }
            }
            TokenTree::Punct(punct) => out.push(punct.as_char().to_string()),
            TokenTree::Group(group) => {
                let (open, close) = match group.delimiter() {
                    Delimiter::Parenthesis => ("(", ")"),
                    Delimiter::Brace => ("{", "}"),
                    Delimiter::Bracket => ("[", "]"),
                    Delimiter::None => ("", ""),
                };
                if !open.is_empty() {
                    out.push(open.to_owned());
                }
                normalise(group.stream(), out);
                if !close.is_empty() {
                    out.push(close.to_owned());
                }
            }
        }
    }
}

/// Whether a bracketed attribute body is `doc = ...`.
fn is_doc_attribute(group: &proc_macro2::Group) -> bool {
    group.delimiter() == Delimiter::Bracket
        && matches!(group.stream().into_iter().next(), Some(TokenTree::Ident(ident)) if ident == "doc")
}

/// Rust's keywords (strict and reserved, 2024 edition): they stay as they are.
fn is_keyword(word: &str) -> bool {
    const KEYWORDS: [&str; 39] = [
        "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
        "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub",
        "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type", "unsafe",
        "use", "where", "while",
    ];
    KEYWORDS.contains(&word)
}

/// FNV-1a: a hash that stays the same across runs, platforms and versions
/// (std's hashers promise none of that, and fingerprints are stored).
fn fnv1a(bytes: impl IntoIterator<Item = u8>, seed: u64) -> u64 {
    bytes.into_iter().fold(seed, |hash, byte| (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3))
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

/// The hash of every run of [`K`] consecutive tokens (one hash over the
/// whole file when it is shorter).
fn kgram_hashes(tokens: &[String]) -> Vec<u64> {
    let token_hashes: Vec<u64> = tokens.iter().map(|token| fnv1a(token.bytes(), FNV_OFFSET)).collect();
    let combine =
        |gram: &[u64]| fnv1a(gram.iter().flat_map(|hash| hash.to_le_bytes()), FNV_OFFSET) & HASH_MASK;
    if token_hashes.is_empty() {
        return Vec::new();
    }
    if token_hashes.len() < K {
        return vec![combine(&token_hashes)];
    }
    token_hashes.windows(K).map(combine).collect()
}

/// Winnowing: the minimum of each window of [`W`] hashes (the rightmost on
/// ties), as a sorted set.
fn winnow(hashes: &[u64]) -> Vec<u64> {
    let mut chosen = BTreeSet::new();
    if hashes.len() <= W {
        chosen.extend(hashes.iter().min());
        return chosen.into_iter().collect();
    }
    for window in hashes.windows(W) {
        let mut minimum = (u64::MAX, 0);
        for (position, &hash) in window.iter().enumerate() {
            if hash <= minimum.0 {
                minimum = (hash, position);
            }
        }
        chosen.insert(minimum.0);
    }
    chosen.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const ORIGINAL: &str = r#"
/// Sums the squares.
pub fn sum_of_squares(values: &[f32]) -> f64 {
    let mut total = 0.0_f64;
    for value in values {
        let wide = f64::from(*value);
        total += wide * wide;
    }
    if total.is_nan() { return f64::NAN; }
    total
}

pub fn norm(values: &[f32]) -> Option<f64> {
    let sum = sum_of_squares(values);
    if sum == 0.0 { None } else { Some(sum.sqrt()) }
}
"#;

    /// The same code, renamed, reformatted, commented and re-documented.
    const DISGUISED: &str = r#"
// my own work, honest
pub fn sq_total(xs: &[f32]) -> f64
{
    let mut acc = 0.0; // accumulator
    for x in xs
    {
        let y = f64::from(*x);
        acc += y * y;
    }
    if acc.is_nan() {
        return f64::NAN;
    }
    acc
}

/// The Euclidean norm.
pub fn length(xs: &[f32]) -> Option<f64>
{
    let s = sq_total(xs);
    if s == 0.0 {
        None
    } else {
        Some(s.sqrt())
    }
}
"#;

    #[test]
    fn a_renamed_and_reformatted_copy_has_the_same_fingerprints() {
        let (original, disguised) = (fingerprint(ORIGINAL), fingerprint(DISGUISED));
        assert!(!original.is_empty());
        assert_eq!(jaccard(&original, &disguised), 1.0);
    }

    #[test]
    fn different_code_shares_few_fingerprints() {
        let other = "pub fn norm(values: &[f32]) -> Option<f64> {\n    let total: f64 = values.iter().map(|v| \
                     (*v as f64).powi(2)).sum();\n    (total > 0.0).then(|| total.sqrt())\n}\n";
        assert!(jaccard(&fingerprint(ORIGINAL), &fingerprint(other)) < 0.2);
    }

    #[test]
    fn doc_comments_and_comments_do_not_count() {
        let documented = format!("//! A module.\n/// One.\n/// Two.\n#[doc = \"three\"]\n{ORIGINAL}");
        assert_eq!(tokens(&documented), tokens(ORIGINAL));
        // Other attributes are code.
        let attributed = format!("#[inline]\n{ORIGINAL}");
        assert_eq!(tokens(&attributed)[..5], ["#", "[", "I", "]", "pub"]);
    }

    #[test]
    fn text_that_does_not_lex_falls_back_to_its_bytes() {
        let broken = "fn broken( { \"unterminated";
        let prints = fingerprint(broken);
        assert!(!prints.is_empty());
        assert_eq!(prints, fingerprint("fn  broken({\n\"unterminated"), "whitespace does not count");
        assert!(fingerprint("").is_empty());
    }

    #[test]
    fn fingerprints_are_stable_and_fit_a_json_number() {
        let prints = fingerprint(ORIGINAL);
        assert!(prints.iter().all(|&hash| hash <= HASH_MASK));
        assert!(prints.windows(2).all(|pair| pair[0] < pair[1]), "sorted, each once");
        // Stored in reports: the same text must give the same numbers in every version.
        assert_eq!(fnv1a(*b"a", FNV_OFFSET), 0xaf63_dc4c_8601_ec8c);
    }

    #[test]
    fn winnowing_keeps_the_minimum_of_every_window() {
        let hashes: Vec<u64> = (0..40).map(|i| (i * 7919) % 101).collect();
        let chosen = winnow(&hashes);
        for window in hashes.windows(W) {
            let minimum = window.iter().min().copied();
            assert!(minimum.is_some_and(|m| chosen.contains(&m)), "window {window:?} lost its minimum");
        }
        assert!(chosen.len() < hashes.len(), "winnowing keeps a fraction");
    }

    #[test]
    fn the_base_files_fingerprints_are_removed() {
        let base = fingerprint(ORIGINAL);
        assert!(without_base(&fingerprint(DISGUISED), &base).is_empty());
        assert_eq!(jaccard(&[], &[]), 0.0);
    }

    /// The kit's own files, for the tests against real answers.
    fn kit_file(relative: &str) -> Option<String> {
        std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(relative))
            .ok()
    }

    /// An answer file with its `include!` of the shared `common.rs` expanded:
    /// what a candidate would hand in.
    fn expanded_answer(exercise: &str, file: &str) -> Option<String> {
        let text = kit_file(&format!("answers/{exercise}/{file}"))?;
        let common = kit_file(&format!("answers/{exercise}/common.rs")).unwrap_or_default();
        Some(
            text.lines()
                .map(|line| if line.starts_with("include!") { common.as_str() } else { line })
                .collect::<Vec<_>>()
                .join("\n"),
        )
    }

    /// The right answers of an exercise (`answers/<name>/right_*.rs`), by file name.
    fn right_answers(exercise: &str) -> Vec<String> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../answers").join(exercise);
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .map(|entries| {
                entries
                    .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
                    .filter(|name| name.starts_with("right_"))
                    .collect()
            })
            .unwrap_or_default();
        names.sort();
        names
    }

    /// Every identifier renamed and the whole file laid out anew (proc-macro2's
    /// printing puts it on one line): the cheapest disguise of a copy.
    fn disguise(source: &str) -> String {
        let Ok(stream) = source.parse::<TokenStream>() else { return source.to_owned() };
        fn rename(stream: TokenStream) -> TokenStream {
            stream
                .into_iter()
                .map(|tree| match tree {
                    // `doc` stays: a renamed `#[doc]` would be code, not a comment.
                    TokenTree::Ident(ident) if !is_keyword(&ident.to_string()) && ident != "doc" => {
                        TokenTree::Ident(proc_macro2::Ident::new(&format!("renamed_{ident}_x"), ident.span()))
                    }
                    TokenTree::Group(group) => {
                        TokenTree::Group(proc_macro2::Group::new(group.delimiter(), rename(group.stream())))
                    }
                    other => other,
                })
                .collect()
        }
        rename(stream).to_string()
    }

    /// Top-level items of `source`, in order, up to three quarters of its
    /// code tokens, printed back, and the share of the tokens they hold (an
    /// item is kept or dropped whole).
    fn first_three_quarters(source: &str) -> (String, f64) {
        let Ok(stream) = source.parse::<TokenStream>() else { return (source.to_owned(), 1.0) };
        let mut items: Vec<String> = Vec::new();
        let mut current = TokenStream::new();
        for tree in stream {
            let ends_item = match &tree {
                TokenTree::Group(group) => group.delimiter() == Delimiter::Brace,
                TokenTree::Punct(punct) => punct.as_char() == ';',
                _ => false,
            };
            current.extend([tree]);
            if ends_item {
                items.push(std::mem::take(&mut current).to_string());
            }
        }
        // Length in code tokens: doc comments do not count.
        let total: usize = items.iter().map(|item| tokens(item).len()).sum();
        let (mut kept, mut length) = (String::new(), 0);
        for item in items {
            let item_length = tokens(&item).len();
            if length + item_length <= total * 3 / 4 {
                length += item_length;
                kept.push_str(&item);
                kept.push('\n');
            }
        }
        (kept, length as f64 / total.max(1) as f64)
    }

    /// Similarity as `compare` measures it: the stub's fingerprints removed.
    fn similarity(exercise: &crate::exercise::Exercise, a: &str, b: &str) -> f64 {
        let base = fingerprint(exercise.stub);
        jaccard(&without_base(&fingerprint(a), &base), &without_base(&fingerprint(b), &base))
    }

    #[test]
    fn disguised_copies_of_every_reference_are_flagged() {
        let mut edited_copies = 0;
        for exercise in crate::exercise::EXERCISES {
            let Some(reference) = kit_file(&format!("solutions/src/{}.rs", exercise.name)) else { continue };
            let copy = disguise(&reference);
            assert_ne!(copy, reference);
            assert_eq!(similarity(exercise, &reference, &copy), 1.0, "{}", exercise.name);
            // A copy with up to a third of its code dropped and other code added
            // still matches (where whole items make up at least 60%).
            let (kept, share) = first_three_quarters(&reference);
            let edited = format!("{kept}\nfn other_things() {{ let x = 1; let y = 2; }}\n");
            let score = similarity(exercise, &reference, &disguise(&edited));
            eprintln!("{}: {:.0}% of the code kept scores {score:.2}", exercise.name, share * 100.0);
            if share >= 0.6 {
                edited_copies += 1;
                assert!(
                    score >= SIMILAR_AT,
                    "{}: {:.0}% of a copy scores {score:.2}",
                    exercise.name,
                    share * 100.0
                );
            }
        }
        assert!(
            edited_copies >= crate::exercise::EXERCISES.len() / 2,
            "too few edited copies checked: {edited_copies}"
        );
    }

    /// Lines of its own code that make an answer file independent of its siblings.
    const OWN_LINES: usize = 20;

    #[test]
    fn independent_right_answers_are_not_flagged() {
        let mut scores = Vec::new();
        for exercise in crate::exercise::EXERCISES {
            let reference = kit_file(&format!("solutions/src/{}.rs", exercise.name));
            let answers = right_answers(exercise.name);
            for (i, answer) in answers.iter().enumerate() {
                let Some(text) = expanded_answer(exercise.name, answer) else { continue };
                if let Some(reference) = &reference {
                    scores.push((
                        similarity(exercise, &text, reference),
                        format!("{}/{answer} vs the reference", exercise.name),
                    ));
                }
                for other in &answers[i + 1..] {
                    // Right answers share `common.rs` (the checks): compare their own
                    // code, where each has enough of it to be an answer of its own (some
                    // are a one-line switch over one implementation in `common.rs`).
                    let own = |file: &str| {
                        kit_file(&format!("answers/{}/{file}", exercise.name)).filter(|text| {
                            text.lines().filter(|line| !line.trim().is_empty()).count() >= OWN_LINES
                        })
                    };
                    let (Some(a), Some(b)) = (own(answer), own(other)) else { continue };
                    scores.push((
                        similarity(exercise, &a, &b),
                        format!("{}/{answer} vs {other}", exercise.name),
                    ));
                }
            }
        }
        assert!(scores.len() >= 10, "too few answers found to prove anything: {scores:?}");
        scores.sort_by(|a, b| b.0.total_cmp(&a.0));
        eprintln!("highest similarities of independent answers: {:?}", &scores[..scores.len().min(8)]);
        let (highest, pair) = &scores[0];
        assert!(*highest < SIMILAR_AT, "{pair} scores {highest:.2}, above the threshold {SIMILAR_AT}");
    }
}
