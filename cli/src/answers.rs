//! `kata answers [EXERCISE]`: proves the hidden tests strict and fair.
//!
//! `answers/<name>/wrong_*.rs` are mistakes candidates really make; each
//! declares the test that rejects it and a phrase its failure message must
//! hold (`//! Fails: TEST: PHRASE`), so a message that stops naming the
//! cause fails this check. `answers/<name>/right_*.rs` are other
//! correct approaches; each must pass every test. Each answer is graded in
//! place of the stub, by the same engine as `kata check`, in a scratch copy
//! of the kit (`<target>/answers/kit`), never in `exercises/`: a
//! maintainer's or a candidate's work there is never touched.
//!
//! The copy stays between runs and builds into `<target>/answers/target`, so
//! only the exercise under test and the harness above it are rebuilt per
//! answer (the README gives the measured cost).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::AtomicBool;
use std::time::Instant;

use anstream::println;
use anyhow::{Context, Result, bail};

use crate::args::Grading;
use crate::exercise::{EXERCISES, Exercise};
use crate::grading::{self, Graded, Status};
use crate::term::{self, BAD, DIM, GOOD};
use crate::workspace::{self, Workspace};

/// How long one answer's test run may take (seconds, building excluded).
const ANSWER_TIMEOUT: u64 = 300;

/// What an answer claims to be, from its file name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Claim {
    /// `right_*.rs`: must pass every hidden test.
    Right,
    /// `wrong_*.rs`: must fail at least one.
    Wrong,
}

/// What a wrong answer declares about its rejection: the hidden test that
/// fails and a phrase of that test's failure message.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Expected {
    test: String,
    phrase: String,
}

/// The line a wrong answer declares its rejection with.
const FAILS_PREFIX: &str = "//! Fails:";

/// Reads `//! Fails: TEST: PHRASE` from an answer's text.
fn expected_failure(text: &str) -> Option<Expected> {
    let line = text.lines().find_map(|line| line.trim().strip_prefix(FAILS_PREFIX))?;
    let (test, phrase) = line.split_once(':')?;
    let (test, phrase) = (test.trim(), phrase.trim().trim_matches('"'));
    (!test.is_empty() && !phrase.is_empty())
        .then(|| Expected { test: test.to_owned(), phrase: phrase.to_owned() })
}

/// `kata answers [EXERCISE]`: exit code 0 only when every answer gets the
/// verdict its name claims.
pub fn run(workspace: &Workspace, name: Option<&str>) -> Result<ExitCode> {
    let exercises: Vec<&'static Exercise> = match name {
        Some(name) => vec![workspace::exercise(name)?],
        None => EXERCISES.iter().filter(|exercise| !answers_of(workspace, exercise).is_empty()).collect(),
    };
    let scratch = scratch_copy(workspace)?;
    let mut failures = 0;
    for exercise in exercises {
        let answers = answers_of(workspace, exercise);
        if answers.is_empty() {
            bail!("answers/{}/ holds no right_*.rs or wrong_*.rs", exercise.name);
        }
        for (claim, answer) in answers {
            let started = Instant::now();
            let text =
                fs::read_to_string(&answer).with_context(|| format!("reading {}", answer.display()))?;
            let expected = expected_failure(&text);
            let graded = grade_answer(&scratch, exercise, claim, &text, expected.as_ref())?;
            let (ok, verdict) = match (claim, &expected) {
                (Claim::Wrong, Some(expected)) => declared_verdict(expected, &graded),
                (Claim::Wrong, None) => (false, undeclared(&graded)),
                (Claim::Right, _) => verdict(claim, &graded),
            };
            failures += usize::from(!ok);
            let shown = answer.strip_prefix(workspace.root()).unwrap_or(&answer).display().to_string();
            let seconds = term::paint(DIM, format!("({:.0} s)", started.elapsed().as_secs_f64()));
            println!("{shown:<58} {} {seconds}", term::paint(if ok { GOOD } else { BAD }, verdict));
            if !ok && let Some(detail) = &graded.detail {
                println!("{}", term::indent(detail, 4));
            }
        }
        restore_stub(&scratch, exercise)?;
    }
    Ok(if failures == 0 { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}

/// The answers of an exercise, right ones first, each in name order.
fn answers_of(workspace: &Workspace, exercise: &Exercise) -> Vec<(Claim, PathBuf)> {
    let Ok(entries) = fs::read_dir(workspace.path(format!("answers/{}", exercise.name))) else {
        return Vec::new();
    };
    let mut answers: Vec<(Claim, PathBuf)> = entries
        .flatten()
        .map(|entry| entry.path())
        .filter_map(|path| {
            let file = path.file_name()?.to_str()?;
            let claim = if file.starts_with("right_") {
                Claim::Right
            } else if file.starts_with("wrong_") {
                Claim::Wrong
            } else {
                return None;
            };
            file.ends_with(".rs").then_some((claim, path.clone()))
        })
        .collect();
    answers.sort_by(|a, b| (a.0 == Claim::Wrong, &a.1).cmp(&(b.0 == Claim::Wrong, &b.1)));
    answers
}

/// Whether the verdict matches the claim, and the verdict in words.
fn verdict(claim: Claim, graded: &Graded) -> (bool, String) {
    let failed: Vec<&str> =
        graded.cases.iter().filter(|case| !case.passed).map(|case| case.name.as_str()).collect();
    match (claim, graded.status) {
        (_, Status::DoesNotCompile) => (false, "DOES NOT BUILD".to_owned()),
        (_, Status::NoTests) => (false, "NO TESTS RAN".to_owned()),
        (Claim::Right, Status::Passing) => (true, format!("accepted ({} tests)", graded.total())),
        (Claim::Right, status) => {
            (false, format!("REJECTED a right answer ({}): {}", status.label(), list(&failed)))
        }
        (Claim::Wrong, Status::Passing) => (false, "ACCEPTED a wrong answer".to_owned()),
        (Claim::Wrong, status) if failed.is_empty() => (true, format!("rejected ({})", status.label())),
        (Claim::Wrong, _) => (true, format!("rejected by {}", list(&failed))),
    }
}

/// Whether a wrong answer failed as it declares: the declared test ran,
/// failed, and what a candidate reads (the test's name, which states the
/// rule, and its message) holds the phrase, case aside.
fn declared_verdict(expected: &Expected, graded: &Graded) -> (bool, String) {
    let Expected { test, phrase } = expected;
    if graded.status == Status::DoesNotCompile {
        return (false, "DOES NOT BUILD".to_owned());
    }
    let Some(case) = graded.cases.iter().find(|case| &case.name == test) else {
        return (
            false,
            format!("DECLARED TEST {test} did not run ({}): is the name right?", graded.status.label()),
        );
    };
    let message = case.message.as_deref().unwrap_or_default();
    if case.passed {
        (false, format!("ACCEPTED by {test}, the test it declares it fails"))
    } else if format!("{test}: {message}").to_lowercase().contains(&phrase.to_lowercase()) {
        (true, format!("rejected by {test} (\"{phrase}\")"))
    } else {
        (
            false,
            format!(
                "{test} failed, but its message does not say \"{phrase}\":\n{}",
                term::indent(message, 4)
            ),
        )
    }
}

/// The verdict of a wrong answer that declares nothing: always a failure of
/// the check, listing every failed test and its message's first line so the
/// maintainer can pick one.
fn undeclared(graded: &Graded) -> String {
    let mut text = format!("DECLARES NO FAILURE: add `{FAILS_PREFIX} TEST: PHRASE`. It failed:");
    for case in graded.cases.iter().filter(|case| !case.passed) {
        let first_line =
            case.message.as_deref().and_then(|message| message.lines().next()).unwrap_or_default();
        text.push_str(&format!("\n    {}: {first_line}", case.name));
    }
    text
}

/// The first few names, then how many more.
fn list(names: &[&str]) -> String {
    const SHOWN: usize = 3;
    let mut text = names.iter().take(SHOWN).copied().collect::<Vec<_>>().join(", ");
    if names.len() > SHOWN {
        text.push_str(&format!(", +{} more", names.len() - SHOWN));
    }
    text
}

/// Puts `answer` in place of the stub in the scratch copy and grades it.
fn grade_answer(
    scratch: &Workspace,
    exercise: &'static Exercise,
    claim: Claim,
    text: &str,
    expected: Option<&Expected>,
) -> Result<Graded> {
    write_if_changed(&scratch.path(exercise.stub_path()), text)?;
    let grading = Grading {
        reference: false,
        seed: None,
        timeout: ANSWER_TIMEOUT,
        // A right answer must pass every test; a wrong one is run on the test
        // it declares (or on all of them, to show which fail).
        only_test: expected.filter(|_| claim == Claim::Wrong).map(|expected| expected.test.clone()),
        reviewing: true,
    };
    let mut results = grading::grade(scratch, &[exercise], &grading, &AtomicBool::new(false))?;
    results.pop().context("grading returned no result")
}

/// Puts the shipped stub back in the scratch copy.
fn restore_stub(scratch: &Workspace, exercise: &Exercise) -> Result<()> {
    write_if_changed(&scratch.path(exercise.stub_path()), exercise.stub)
}

/// A copy of the kit's sources under the target directory, brought up to
/// date file by file (unchanged files keep their times, so cargo rebuilds
/// only what changed), building into a target directory of its own.
fn scratch_copy(workspace: &Workspace) -> Result<Workspace> {
    let base = workspace.target_dir().join("answers");
    let kit = base.join("kit");
    let skip =
        [workspace.target_dir(), workspace.path("target"), workspace.path(".git"), workspace.state_dir()];
    workspace::copy_tree(workspace.root(), &kit, &skip)?;
    Ok(Workspace::scratch(kit, base.join("target")))
}

/// Writes `text` to `path` unless it already holds it.
fn write_if_changed(path: &Path, text: &str) -> Result<()> {
    if fs::read_to_string(path).ok().as_deref() != Some(text) {
        fs::write(path, text).with_context(|| format!("writing {}", path.display()))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_declared_failure_is_read_from_the_doc_comment() {
        let text = "//! Wrong: sums in f32.\n//! Fails: robust_huge: \"overflow\"\n\nfn f() {}\n";
        let expected = expected_failure(text).expect("declared");
        assert_eq!(expected, Expected { test: "robust_huge".into(), phrase: "overflow".into() });
        assert_eq!(expected_failure("//! Wrong: no declaration.\n"), None);
        assert_eq!(expected_failure("//! Fails: robust_huge:\n"), None, "a phrase is required");
    }

    #[test]
    fn long_lists_are_cut() {
        assert_eq!(list(&["a", "b"]), "a, b");
        assert_eq!(list(&["a", "b", "c", "d", "e"]), "a, b, c, +2 more");
    }
}
