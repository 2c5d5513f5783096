//! The grading engine that `check`, `list`, `watch`, `report`, `grade`,
//! `answers` and `selfcheck --stubs` share: build the hidden tests, run each
//! exercise's binary under a time limit, read libtest's verdicts from its
//! logfile and check them against the binary's own list of tests.

use std::sync::atomic::AtomicBool;
use std::time::Duration;

use anyhow::Result;
use serde::{Deserialize, Serialize};

use crate::args::Grading;
use crate::exercise::Exercise;
use crate::libtest::{self, TIERS, TestCase};
use crate::run::{self, Build, Ending};
use crate::timer;
use crate::workspace::Workspace;

/// Where an exercise stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Every test fails on the stub's `todo!()`.
    NotStarted,
    /// Some tests fail.
    Failing,
    /// Every test passes.
    Passing,
    /// The exercises (or the tests) do not compile.
    DoesNotCompile,
    /// The run was killed at the time limit.
    TimedOut,
    /// The test process died (a stack overflow or an abort).
    Crashed,
    /// No hidden tests ran (no `tests/NAME.rs`, or it holds no test).
    NoTests,
    /// The user pressed Ctrl-C.
    Interrupted,
    /// `kata grade` refused a submitted file before building it (see the
    /// report's `hand_in.rejected`).
    Rejected,
    /// The test process exited before every listed test had a verdict (the
    /// code called `process::exit`), or its verdicts contradict the list.
    ExitedEarly,
}

impl Status {
    /// For people.
    pub fn label(self) -> &'static str {
        match self {
            Status::NotStarted => "not started",
            Status::Failing => "failing",
            Status::Passing => "passing",
            Status::DoesNotCompile => "does not compile",
            Status::TimedOut => "timed out",
            Status::Crashed => "crashed",
            Status::NoTests => "no tests",
            Status::Interrupted => "interrupted",
            Status::Rejected => "rejected",
            Status::ExitedEarly => "exited early",
        }
    }
}

/// Tests passed out of tests run, in one tier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TierSummary {
    /// The tier (`examples`, `edge`, `property`, `robust`, `scale`, or `other`).
    pub tier: &'static str,
    /// Tests that passed.
    pub passed: usize,
    /// Tests that ran.
    pub total: usize,
}

/// One exercise, graded.
#[derive(Debug, Clone)]
pub struct Graded {
    /// The exercise.
    pub exercise: &'static Exercise,
    /// Where it stands.
    pub status: Status,
    /// Every test that finished.
    pub cases: Vec<TestCase>,
    /// What explains a status without test results: compiler errors, the
    /// time limit, a crash.
    pub detail: Option<String>,
}

impl Graded {
    /// Tests that passed.
    pub fn passed(&self) -> usize {
        self.cases.iter().filter(|case| case.passed).count()
    }

    /// Tests that finished.
    pub fn total(&self) -> usize {
        self.cases.len()
    }

    /// Passed of total per tier, in tier order, for the tiers that have tests.
    pub fn tiers(&self) -> Vec<TierSummary> {
        let mut tiers: Vec<TierSummary> = TIERS
            .iter()
            .copied()
            .chain([libtest::OTHER_TIER])
            .map(|tier| TierSummary { tier, passed: 0, total: 0 })
            .collect();
        for case in &self.cases {
            if let Some(summary) = tiers.iter_mut().find(|summary| summary.tier == case.tier()) {
                summary.total += 1;
                summary.passed += usize::from(case.passed);
            }
        }
        tiers.retain(|summary| summary.total > 0);
        tiers
    }

    /// The first failed test, in tier order.
    pub fn first_failure(&self) -> Option<&TestCase> {
        self.cases.iter().find(|case| !case.passed)
    }

    /// "failing: 12 of 20 passed", "passing (20 tests)", "not started".
    pub fn headline(&self) -> String {
        match self.status {
            Status::Passing => format!("passing ({} tests)", self.total()),
            Status::Failing | Status::TimedOut | Status::Crashed => {
                format!("{}: {} of {} passed", self.status.label(), self.passed(), self.total())
            }
            other => other.label().to_owned(),
        }
    }

    /// "examples 3/3  edge 2/5 ...".
    pub fn tier_line(&self) -> String {
        self.tiers()
            .iter()
            .map(|summary| format!("{} {}/{}", summary.tier, summary.passed, summary.total))
            .collect::<Vec<_>>()
            .join("  ")
    }
}

/// Builds and runs the hidden tests of `exercises`. Records first passes on
/// the timers (not when grading the reference, nor for a reviewer). Stops
/// early, marking the rest interrupted, once `interrupted` is set.
pub fn grade(
    workspace: &Workspace,
    exercises: &[&'static Exercise],
    grading: &Grading,
    interrupted: &AtomicBool,
) -> Result<Vec<Graded>> {
    let graded_as =
        |exercise, status, detail: Option<String>| Graded { exercise, status, cases: vec![], detail };
    // An exercise without a hidden test file is reported, not built (cargo
    // would refuse the whole build).
    let with_tests: Vec<&Exercise> =
        exercises.iter().copied().filter(|exercise| workspace.path(test_path(exercise)).is_file()).collect();
    let executables = match run::build_tests(workspace, &with_tests, grading.reference)? {
        Build::Built(executables) => executables,
        Build::Failed(failure) => {
            return Ok(exercises
                .iter()
                .map(|exercise| {
                    graded_as(exercise, Status::DoesNotCompile, Some(failure.diagnostics.clone()))
                })
                .collect());
        }
    };
    let mut results = Vec::with_capacity(exercises.len());
    for exercise in exercises {
        let Some(executable) = executables.get(exercise.name) else {
            let detail =
                format!("No hidden tests: {} does not exist, or holds no test.", test_path(exercise));
            results.push(graded_as(exercise, Status::NoTests, Some(detail)));
            continue;
        };
        let run = run::run_tests(workspace, exercise.name, executable, grading, interrupted)?;
        let verdicts = libtest::verdicts(&run.listed, &run.log, &run.stdout);
        let (status, detail) = judge(exercise.name, &run, &verdicts);
        let mut cases = verdicts.cases;
        // A crash ends the process before libtest reports; when one test ran
        // alone, it is that test's failure.
        if let (Status::Crashed, Some(test), Some(detail)) = (status, &grading.only_test, &detail)
            && !cases.iter().any(|case| &case.name == test)
        {
            cases.push(TestCase { name: test.clone(), passed: false, message: Some(detail.clone()) });
        }
        results.push(Graded { exercise, status, cases, detail });
    }
    if !grading.reference && !grading.reviewing {
        let passing: Vec<&str> = results
            .iter()
            .filter(|graded| graded.status == Status::Passing)
            .map(|graded| graded.exercise.name)
            .collect();
        timer::record_passes(workspace, &passing)?;
    }
    Ok(results)
}

/// The status of a run, and what explains it, from how it ended and its
/// verdicts: a run that exited with tests still unjudged, or whose log
/// contradicts the list of tests, is never taken for a pass.
fn judge(name: &str, run: &run::Run, verdicts: &libtest::Verdicts) -> (Status, Option<String>) {
    if !verdicts.contradictions.is_empty() {
        let detail = format!("{UNTRUSTED}\n{}", verdicts.contradictions.join("\n"));
        return (Status::ExitedEarly, Some(detail));
    }
    match run.ending {
        Ending::Interrupted => (Status::Interrupted, None),
        Ending::TimedOut(limit) => (Status::TimedOut, Some(timed_out(name, limit))),
        Ending::Exited(status) if verdicts.missing.is_empty() => {
            let cases = &verdicts.cases;
            // libtest exits with 0 exactly when every test passed.
            if status.success() == cases.iter().all(|case| case.passed) {
                (status_of(cases), None)
            } else {
                (Status::ExitedEarly, Some(format!("{UNTRUSTED}\nThe process exited with {status}.")))
            }
        }
        Ending::Exited(status) if status.code().is_some() => {
            let detail = format!(
                "The test process exited ({status}) before {} of its {} tests had a verdict, the first \
                 being `{}`: the code under test ended the process (`std::process::exit`?). {EXITED}\n{}",
                verdicts.missing.len(),
                run.listed.len(),
                verdicts.missing[0],
                tail(&run.stderr, 15)
            );
            (Status::ExitedEarly, Some(detail))
        }
        Ending::Exited(_) => (Status::Crashed, Some(crashed(&run.stderr))),
    }
}

/// The hidden tests of an exercise, relative to the root.
fn test_path(exercise: &Exercise) -> String {
    format!("tests/{}.rs", exercise.name)
}

/// The status of a run that finished.
fn status_of(cases: &[TestCase]) -> Status {
    if cases.is_empty() {
        Status::NoTests
    } else if cases.iter().all(|case| case.passed) {
        Status::Passing
    } else if cases.iter().all(|case| case.message.as_deref().is_some_and(libtest::is_stub_failure)) {
        Status::NotStarted
    } else {
        Status::Failing
    }
}

fn timed_out(name: &str, limit: Duration) -> String {
    format!(
        "The tests of `{name}` did not finish within {} s and were stopped: an endless loop, \
         or an algorithm far too slow for the input. Run `cargo test --test {name}` to see which \
         tests hang, or raise the limit with --timeout SECONDS. {TIMED_OUT}",
        limit.as_secs()
    )
}

/// What a crashed test process's standard error says, cause first.
fn crashed(stderr: &str) -> String {
    let cause = if stderr.contains("memory allocation of") {
        "The test process aborted: an allocation failed (\"memory allocation of N bytes failed\"): something \
         was sized from a number the input claims (a length field, a count) before checking that the data \
         holds that much."
    } else if stderr.contains("has overflowed its stack") {
        "The test process died of a stack overflow: recursion too deep for the input; use a loop or an \
         explicit stack."
    } else {
        CRASHED
    };
    format!("{cause}\nWhat it printed last:\n{}", tail(stderr, 15))
}

/// The last `count` lines of `text`.
fn tail(text: &str, count: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(count)..].join("\n")
}

const TIMED_OUT: &str = "The tests that finished before the limit are counted below.";

const UNTRUSTED: &str = "The test results contradict the test binary's own list, so none is \
counted:";

const EXITED: &str = "The tests that finished before it are counted below; the rest count as not passed.";

const CRASHED: &str = "The test process died before it could report (a stack overflow from deep \
recursion, or an abort).";
