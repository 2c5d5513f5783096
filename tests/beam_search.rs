//! Hidden tests for the `beam_search` exercise (`exercises/src/beam_search.rs`).
//!
//! Tiers, by name prefix: `examples_` (the statement's examples), `edge_`
//! (every error and its order, no call before the checks, invalid
//! log-probabilities with their step, steps without a finite candidate, the
//! prompt), `property_` (random table models with ties and masked tokens
//! against a full-sort oracle: the hypotheses exactly, and every call of the
//! model), `robust_` (f32 accumulation, overflowing scores, ties across
//! beams, huge widths, finished hypotheses never extended), `scale_` (a
//! vocabulary of 50,000, a prompt of 50,000 tokens, in time).

use kata::expect_eq;
use kata::generate::language_model::{self, TableModel};
use kata::grade;
use kata::oracle;
use kata::property;
use kata::seed::rng_for;
use kata::subject::beam_search::{BeamError, Hypothesis, beam_search};
use proptest::prelude::*;

const EXERCISE: &str = "beam_search";

/// The arguments of one search, the model aside.
#[derive(Debug, Clone)]
struct Args {
    prompt: Vec<u32>,
    eos: u32,
    vocab_size: usize,
    beam_width: usize,
    max_new_tokens: usize,
}

fn args(prompt: &[u32], eos: u32, vocab_size: usize, beam_width: usize, max_new_tokens: usize) -> Args {
    Args { prompt: prompt.to_vec(), eos, vocab_size, beam_width, max_new_tokens }
}

/// A beam search with the contract's signature, the model behind a `dyn`.
type Search = fn(
    &[u32],
    u32,
    usize,
    usize,
    usize,
    &mut dyn FnMut(&[u32], &mut [f32]),
) -> Result<Vec<Hypothesis>, BeamError>;

/// What a search returned, and every sequence the model was called with.
type Outcome = (Result<Vec<Hypothesis>, BeamError>, Vec<Vec<u32>>);

/// Runs `search` (the subject's or the oracle's) with `model`, recording the calls.
fn recorded<M: Fn(&[u32], &mut [f32])>(args: &Args, model: M, search: Search) -> Outcome {
    let mut calls = Vec::new();
    let mut counted = |sequence: &[u32], out: &mut [f32]| {
        calls.push(sequence.to_vec());
        model(sequence, out);
    };
    let answer =
        search(&args.prompt, args.eos, args.vocab_size, args.beam_width, args.max_new_tokens, &mut counted);
    (answer, calls)
}

fn subject_search(
    prompt: &[u32],
    eos: u32,
    vocab_size: usize,
    beam_width: usize,
    max_new_tokens: usize,
    model: &mut dyn FnMut(&[u32], &mut [f32]),
) -> Result<Vec<Hypothesis>, BeamError> {
    beam_search(prompt, eos, vocab_size, beam_width, max_new_tokens, model)
}

fn oracle_search(
    prompt: &[u32],
    eos: u32,
    vocab_size: usize,
    beam_width: usize,
    max_new_tokens: usize,
    model: &mut dyn FnMut(&[u32], &mut [f32]),
) -> Result<Vec<Hypothesis>, BeamError> {
    oracle::beam_search::beam_search(prompt, eos, vocab_size, beam_width, max_new_tokens, model)
}

/// The subject's outcome under `limit`.
fn subject_within<M>(limit: std::time::Duration, args: &Args, model: M) -> Outcome
where
    M: Fn(&[u32], &mut [f32]) + Send + 'static,
{
    let args = args.clone();
    grade::run_within(EXERCISE, limit, move || recorded(&args, model, subject_search))
}

fn subject<M: Fn(&[u32], &mut [f32]) + Send + 'static>(args: &Args, model: M) -> Outcome {
    subject_within(grade::DEFAULT_LIMIT, args, model)
}

/// The first way `actual` differs from `expected`, with its usual cause.
fn difference(args: &Args, actual: &Outcome, expected: &Outcome) -> Option<String> {
    let (answer, calls) = actual;
    let (want, want_calls) = expected;
    if answer != want {
        let hint = match (answer, want) {
            (Ok(got), Ok(want)) => hypotheses_hint(args, got, want),
            _ => String::new(),
        };
        return Some(format!("expected {}, got {}{hint}", show(want), show(answer)));
    }
    let (mut got_calls, mut want_calls) = (calls.clone(), want_calls.clone());
    got_calls.sort();
    want_calls.sort();
    if got_calls != want_calls {
        let repeated = got_calls.windows(2).find(|pair| pair[0] == pair[1]).map(|pair| pair[0].clone());
        let past_eos = got_calls
            .iter()
            .find(|call| call.len() > args.prompt.len() && call[args.prompt.len()..].contains(&args.eos));
        let hint = if let Some(sequence) = repeated {
            format!(
                ": the model was called twice with {}; call it once per live beam per step",
                short(&sequence)
            )
        } else if let Some(sequence) = past_eos {
            format!(
                ": the model was called with {}, which contains eos {}: a finished hypothesis is never extended",
                short(sequence),
                args.eos
            )
        } else {
            ": call the model once per live beam per step, with the prompt followed by that beam's tokens"
                .to_owned()
        };
        return Some(format!(
            "the right hypotheses, but the model was called {} times, expected {}{hint}",
            calls.len(),
            want_calls.len()
        ));
    }
    None
}

/// A hint at the usual cause of wrong hypotheses.
fn hypotheses_hint(args: &Args, got: &[Hypothesis], want: &[Hypothesis]) -> String {
    if got.len() > args.beam_width {
        format!(
            "\n  hint: at most beam_width = {} hypotheses: select beam_width − finished each step",
            args.beam_width
        )
    } else if got.iter().any(|h| !h.log_prob.is_finite()) {
        "\n  hint: a candidate whose score is not finite (-inf) is never chosen, even to fill the beam"
            .to_owned()
    } else if got.iter().any(|h| h.tokens[..h.tokens.len().saturating_sub(1)].contains(&args.eos)) {
        "\n  hint: a hypothesis that ends in eos is finished: it is never extended".to_owned()
    } else if got.windows(2).any(|pair| pair[0].log_prob < pair[1].log_prob) {
        "\n  hint: sort by log_prob descending (the plain sum: no length normalisation)".to_owned()
    } else if got.len() == want.len() && got.iter().zip(want).all(|(g, w)| g.log_prob == w.log_prob) {
        "\n  hint: equal scores: the earlier beam wins, then the lower token id; the result is sorted by \
         log_prob, then by token sequence"
            .to_owned()
    } else {
        "\n  hint: select over all candidates of all beams at once, and accumulate in f32".to_owned()
    }
}

/// An outcome, with at most 8 hypotheses of at most 12 tokens shown.
fn show(answer: &Result<Vec<Hypothesis>, BeamError>) -> String {
    match answer {
        Err(error) => format!("Err({error:?})"),
        Ok(hypotheses) => {
            let shown: Vec<String> = hypotheses
                .iter()
                .take(8)
                .map(|h| {
                    format!(
                        "({}, {:?}, {})",
                        short(&h.tokens),
                        h.log_prob,
                        if h.finished { "finished" } else { "live" }
                    )
                })
                .collect();
            format!("Ok([{}{}])", shown.join(", "), if hypotheses.len() > 8 { ", ..." } else { "" })
        }
    }
}

fn short(tokens: &[u32]) -> String {
    let shown: Vec<String> = tokens.iter().take(12).map(u32::to_string).collect();
    format!("[{}{}]", shown.join(", "), if tokens.len() > 12 { ", ..." } else { "" })
}

/// Runs the subject and the oracle on the same case and fails the test on
/// any difference in the hypotheses or the calls.
fn assert_matches_oracle<M>(args: &Args, model: M)
where
    M: Fn(&[u32], &mut [f32]) + Clone + Send + 'static,
{
    let expected = recorded(args, model.clone(), oracle_search);
    let actual = subject(args, model);
    if let Some(message) = difference(args, &actual, &expected) {
        panic!("{}: {message}", describe(args));
    }
}

fn describe(args: &Args) -> String {
    format!(
        "prompt {}, eos {}, vocabulary {}, beam width {}, {} new tokens",
        short(&args.prompt),
        args.eos,
        args.vocab_size,
        args.beam_width,
        args.max_new_tokens
    )
}

fn hypothesis(tokens: &[u32], log_prob: f32, finished: bool) -> Hypothesis {
    Hypothesis { tokens: tokens.to_vec(), log_prob, finished }
}

/// Fails the test unless the subject returns `expected` after exactly `calls` calls.
fn assert_outcome<M>(args: &Args, model: M, expected: Result<Vec<Hypothesis>, BeamError>, calls: &[&[u32]])
where
    M: Fn(&[u32], &mut [f32]) + Send + 'static,
{
    let expected_calls: Vec<Vec<u32>> = calls.iter().map(|call| call.to_vec()).collect();
    let actual = subject(args, model);
    if let Some(message) = difference(args, &actual, &(expected, expected_calls)) {
        panic!("{}: {message}", describe(args));
    }
}

/// The statement's model: it depends on the last token only.
fn statement_model(sequence: &[u32], out: &mut [f32]) {
    out.copy_from_slice(match sequence.last() {
        None => &[-1.0, -0.5, -2.0],
        Some(0) => &[-0.5, -4.0, -1.0],
        Some(_) => &[-3.0, -3.0, -0.25],
    });
}

// ---------------------------------------------------------------- examples

#[test]
fn examples_two_steps_with_a_beam_of_two() {
    let expected = vec![hypothesis(&[1, 2], -0.75, true), hypothesis(&[0, 0], -1.5, false)];
    assert_outcome(&args(&[], 2, 3, 2, 2), statement_model, Ok(expected), &[&[], &[1], &[0]]);
}

#[test]
fn examples_the_width_shrinks_as_hypotheses_finish() {
    let expected = vec![hypothesis(&[1], -0.5, true), hypothesis(&[0, 0, 0], -2.0, false)];
    assert_outcome(&args(&[], 1, 3, 2, 3), statement_model, Ok(expected), &[&[], &[0], &[0, 0]]);
}

#[test]
fn examples_a_width_of_one_is_greedy() {
    let expected = vec![hypothesis(&[1, 2], -0.75, true)];
    assert_outcome(&args(&[], 2, 3, 1, 5), statement_model, Ok(expected), &[&[], &[1]]);
}

#[test]
fn examples_ties_go_to_the_lower_token() {
    let expected = vec![hypothesis(&[0], 0.0, false), hypothesis(&[1], 0.0, false)];
    assert_outcome(&args(&[], 2, 3, 2, 1), |_: &[u32], out: &mut [f32]| out.fill(0.0), Ok(expected), &[&[]]);
}

#[test]
fn examples_minus_infinity_never_fills_a_slot() {
    let model =
        |_: &[u32], out: &mut [f32]| out.copy_from_slice(&[f32::NEG_INFINITY, f32::NEG_INFINITY, -1.0]);
    let expected = vec![hypothesis(&[2], -1.0, false)];
    assert_outcome(&args(&[], 0, 3, 3, 1), model, Ok(expected), &[&[]]);
}

#[test]
fn examples_zero_new_tokens_returns_the_prompt_unfinished() {
    let expected = vec![hypothesis(&[], 0.0, false)];
    assert_outcome(&args(&[4, 1], 2, 3, 2, 0), statement_model, Ok(expected), &[]);
}

// ---------------------------------------------------------------- edge

#[test]
fn edge_argument_errors_in_order_before_any_call() {
    let cases = [
        (args(&[1], 5, 0, 0, 3), BeamError::ZeroBeamWidth),
        (args(&[1], 5, 3, 0, 0), BeamError::ZeroBeamWidth),
        (args(&[1], 5, 0, 2, 3), BeamError::EmptyVocabulary),
        (args(&[], 3, 3, 2, 3), BeamError::EosOutOfRange { eos: 3, vocab_size: 3 }),
        (args(&[], u32::MAX, 7, 1, 0), BeamError::EosOutOfRange { eos: u32::MAX, vocab_size: 7 }),
    ];
    for (case, error) in cases {
        let model = |_: &[u32], out: &mut [f32]| out.fill(-1.0);
        let (answer, calls) = subject(&case, model);
        expect_eq!(answer, Err(error), "{}", describe(&case));
        assert!(
            calls.is_empty(),
            "{}: the arguments are checked before the model is called",
            describe(&case)
        );
    }
}

#[test]
fn edge_eos_may_be_the_last_token() {
    assert_matches_oracle(&args(&[], 2, 3, 2, 3), statement_model);
}

#[test]
fn edge_nan_or_plus_infinity_is_invalid_at_its_step() {
    for bad in [f32::NAN, f32::INFINITY] {
        // Fine for two steps; the third step's model output holds `bad` in its last entry.
        let model = move |sequence: &[u32], out: &mut [f32]| {
            out.fill(-1.0);
            if sequence.len() == 3 {
                out[4] = bad;
            }
        };
        let (answer, _) = subject(&args(&[9], 4, 5, 2, 6), model);
        expect_eq!(answer, Err(BeamError::InvalidLogProb { step: 2 }), "{bad} at step 2 (0-based)");
        let first = move |_: &[u32], out: &mut [f32]| {
            out.fill(-1.0);
            out[0] = bad;
        };
        let (answer, _) = subject(&args(&[], 3, 5, 1, 1), first);
        expect_eq!(answer, Err(BeamError::InvalidLogProb { step: 0 }), "{bad} at step 0");
    }
}

#[test]
fn edge_minus_infinity_and_positive_log_probs_are_valid() {
    let model = |sequence: &[u32], out: &mut [f32]| {
        out.copy_from_slice(&[f32::NEG_INFINITY, 2.5, 0.5, -1.0]);
        if sequence.len() % 2 == 1 {
            out.swap(1, 2);
        }
    };
    assert_matches_oracle(&args(&[], 3, 4, 3, 4), model);
}

#[test]
fn robust_positive_log_probs_far_into_the_vocabulary_are_found() {
    // Log-probabilities in [-8, 0) for the first 256 tokens and in [-2, 6)
    // beyond: a search that skips blocks of tokens by a bound must bound
    // positive values right, or it misses the best candidates at the end.
    let table = TableModel::random(&mut rng_for("robust_positive_log_probs"), 512, 64, 0.0, 0.0);
    let model = move |sequence: &[u32], out: &mut [f32]| {
        table.fill(sequence, out);
        for log_prob in &mut out[256..] {
            *log_prob += 6.0;
        }
    };
    assert_matches_oracle(&args(&[7], 511, 512, 3, 4), model);
}

#[test]
fn edge_no_finite_candidate_at_the_first_step_returns_the_prompt_unfinished() {
    let model = |_: &[u32], out: &mut [f32]| out.fill(f32::NEG_INFINITY);
    assert_outcome(&args(&[5, 6], 0, 4, 3, 5), model, Ok(vec![hypothesis(&[], 0.0, false)]), &[&[5, 6]]);
}

#[test]
fn edge_no_finite_candidate_later_returns_that_steps_live_beams() {
    let model = |sequence: &[u32], out: &mut [f32]| {
        if sequence.is_empty() {
            out.copy_from_slice(&[-1.0, -2.0, f32::NEG_INFINITY]);
        } else {
            out.fill(f32::NEG_INFINITY);
        }
    };
    let expected = vec![hypothesis(&[0], -1.0, false), hypothesis(&[1], -2.0, false)];
    assert_outcome(&args(&[], 2, 3, 2, 4), model, Ok(expected), &[&[], &[0], &[1]]);
}

#[test]
fn edge_every_beam_finishing_stops_the_search() {
    let model =
        |_: &[u32], out: &mut [f32]| out.copy_from_slice(&[f32::NEG_INFINITY, f32::NEG_INFINITY, -1.0]);
    assert_outcome(&args(&[], 2, 3, 2, 5), model, Ok(vec![hypothesis(&[2], -1.0, true)]), &[&[]]);
}

#[test]
fn edge_a_beam_wider_than_the_candidates() {
    let model = |sequence: &[u32], out: &mut [f32]| out.copy_from_slice(&[-(sequence.len() as f32), -0.5]);
    assert_matches_oracle(&args(&[], 1, 2, 10, 4), model);
}

#[test]
fn edge_the_prompt_is_shown_to_the_model_but_not_returned() {
    let expected = vec![hypothesis(&[1, 2], -0.75, true), hypothesis(&[0, 0], -1.5, false)];
    // The statement's model reads the last token: the prompt's last token is 7 here.
    let model = |sequence: &[u32], out: &mut [f32]| {
        if sequence.len() == 3 {
            out.copy_from_slice(&[-1.0, -0.5, -2.0])
        } else {
            statement_model(sequence, out)
        }
    };
    assert_outcome(
        &args(&[3, 5, 7], 2, 3, 2, 2),
        model,
        Ok(expected),
        &[&[3, 5, 7], &[3, 5, 7, 1], &[3, 5, 7, 0]],
    );
}

// ---------------------------------------------------------------- property

#[test]
fn property_matches_the_full_sort_oracle_hypotheses_and_calls() {
    grade::run(EXERCISE, || {
        property::check(language_model::beam_case(12), 300, |case| {
            let case_args =
                args(&case.prompt, case.eos, case.model.vocab_size(), case.beam_width, case.max_new_tokens);
            let model = |sequence: &[u32], out: &mut [f32]| case.model.fill(sequence, out);
            let expected = recorded(&case_args, model, oracle_search);
            let actual = recorded(&case_args, model, subject_search);
            match difference(&case_args, &actual, &expected) {
                Some(message) => Err(TestCaseError::fail(format!("{}: {message}", describe(&case_args)))),
                None => Ok(()),
            }
        });
    });
}

// ---------------------------------------------------------------- robust

#[test]
fn robust_scores_accumulate_in_f32_step_by_step() {
    // -0.1 is not exact in binary: a sum kept in f64 and rounded at the end
    // drifts from the f32 sum the contract fixes.
    let model = |sequence: &[u32], out: &mut [f32]| {
        out.fill(-0.1);
        out[sequence.len() % 3] = -0.3;
        out[3] = -7.0;
    };
    assert_matches_oracle(&args(&[], 3, 4, 2, 40), model);
}

#[test]
fn robust_an_overflowing_score_is_never_chosen() {
    // Two steps of 3e38 overflow f32 to +inf: that candidate is not finite.
    // [0, 1] and [0, 2] tie at 3e38 - 1 = 3e38 with [1, 0]: beam [0] comes first.
    let model = |_: &[u32], out: &mut [f32]| out.copy_from_slice(&[3e38, -1.0, -2.0]);
    let expected = vec![hypothesis(&[0, 1], 3e38, false), hypothesis(&[0, 2], 3e38, true)];
    assert_outcome(&args(&[], 2, 3, 2, 2), model, Ok(expected), &[&[], &[0], &[1]]);
}

#[test]
fn robust_ties_across_beams_go_to_the_earlier_beam() {
    // Step 0 keeps [1] (-1), [2] (-1.25), [0] (-1.5), in that order. At step
    // 1 five candidates score -2: three from beam [1], one each from [2] and
    // [0]. The earlier beam wins, whatever the token sequences say.
    let model = |sequence: &[u32], out: &mut [f32]| {
        out.copy_from_slice(match sequence.last() {
            None => &[-1.5, -1.0, -1.25, -9.0],
            Some(1) => &[-1.0, -1.0, -1.0, -9.0],
            Some(2) => &[-0.75, -5.0, -5.0, -9.0],
            Some(_) => &[-0.5, -5.0, -5.0, -9.0],
        })
    };
    let expected = vec![
        hypothesis(&[1, 0], -2.0, false),
        hypothesis(&[1, 1], -2.0, false),
        hypothesis(&[1, 2], -2.0, false),
    ];
    assert_outcome(&args(&[], 3, 4, 3, 2), model, Ok(expected), &[&[], &[1], &[2], &[0]]);
}

#[test]
fn robust_a_huge_beam_width_keeps_every_finite_candidate() {
    let model = |sequence: &[u32], out: &mut [f32]| {
        let length = sequence.len() as f32;
        out.copy_from_slice(&[-0.5 * length, -1.0, -0.25]);
    };
    assert_matches_oracle(&args(&[], 2, 3, usize::MAX, 4), model);
}

#[test]
fn robust_finished_hypotheses_are_never_extended() {
    // eos is the best token after every sequence: beams finish at once, and
    // only the remaining slots go on.
    let mut rng = rng_for("robust_finished_hypotheses");
    let table = TableModel::random(&mut rng, 6, 32, 0.1, 0.5);
    let model = move |sequence: &[u32], out: &mut [f32]| {
        table.fill(sequence, out);
        out[0] = -0.01;
    };
    assert_matches_oracle(&args(&[1], 0, 6, 4, 6), model);
}

// ---------------------------------------------------------------- scale

#[test]
fn scale_a_vocabulary_of_fifty_thousand() {
    let mut rng = rng_for("scale_a_vocabulary_of_fifty_thousand");
    let table = TableModel::random(&mut rng, 50_000, 64, 0.01, 0.0);
    let case = args(&[17, 4, 99], 2, 50_000, 8, 16);
    let model = move |sequence: &[u32], out: &mut [f32]| table.fill(sequence, out);
    let expected = recorded(&case, model.clone(), oracle_search);
    let actual = subject_within(grade::SCALE_LIMIT, &case, model);
    if let Some(message) = difference(&case, &actual, &expected) {
        panic!("{}: {message}", describe(&case));
    }
}

#[test]
fn scale_a_long_prompt_is_not_copied_per_candidate() {
    let mut rng = rng_for("scale_a_long_prompt");
    let table = TableModel::random(&mut rng, 2_000, 64, 0.0, 0.0);
    let prompt: Vec<u32> = (0..50_000).map(|i| i % 1_000).collect();
    let case = args(&prompt, 1, 2_000, 4, 8);
    let model = move |sequence: &[u32], out: &mut [f32]| {
        table.fill(&sequence[sequence.len().saturating_sub(8)..], out)
    };
    let expected = recorded(&case, model.clone(), oracle_search);
    let actual = subject_within(grade::SCALE_LIMIT, &case, model);
    if let Some(message) = difference(&case, &actual, &expected) {
        panic!("{}: {message}", describe(&case));
    }
}
