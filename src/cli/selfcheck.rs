//! `kata selfcheck`: the kit's own soundness checks, for maintainers and CI.
//!
//! Every exercise in `kata::exercise::EXERCISES` needs a hidden test file,
//! hints, and a shipped stub (`stubs/NAME.rs`, embedded in the binary) equal
//! to `exercises/src/NAME.rs`. A candidate who edited a stub fails this on
//! purpose; their `cargo test` does not run it.

use std::fs;
use std::process::ExitCode;

use anstream::println;
use anyhow::Result;
use kata::exercise::EXERCISES;

use super::hints::hints_for;
use super::stubs::{STUBS, stub_for};
use super::term::{self, BAD, GOOD};
use super::workspace::Workspace;

/// `kata selfcheck`: exit code 0 only when every check passes.
pub fn run(workspace: &Workspace) -> Result<ExitCode> {
    let problems = problems(workspace);
    for problem in &problems {
        println!("{} {problem}", term::paint(BAD, "problem:"));
    }
    if problems.is_empty() {
        println!(
            "{} {} exercises have tests, hints and pristine stubs.",
            term::paint(GOOD, "ok:"),
            EXERCISES.len()
        );
        Ok(ExitCode::SUCCESS)
    } else {
        Ok(ExitCode::FAILURE)
    }
}

/// Every problem found, as a sentence.
fn problems(workspace: &Workspace) -> Vec<String> {
    let mut problems = Vec::new();
    for exercise in EXERCISES {
        let name = exercise.name;
        let stub_path = exercise.stub_path();
        let pristine = fs::read_to_string(workspace.path(format!("stubs/{name}.rs"))).ok();
        let exercise_file = fs::read_to_string(workspace.path(&stub_path)).ok();
        match (&pristine, &exercise_file) {
            (None, _) => problems.push(format!("stubs/{name}.rs is missing: copy {stub_path} there")),
            (Some(_), None) => problems.push(format!("{stub_path} is missing")),
            (Some(pristine), Some(file)) if pristine != file => problems.push(format!(
                "stubs/{name}.rs differs from {stub_path}: the stub `kata reset` restores must be \
                 the one shipped (copy the file over after editing the statement)"
            )),
            _ => {}
        }
        if pristine.is_some() && stub_for(name) != pristine.as_deref() {
            problems.push(format!("the kata binary embeds an old stubs/{name}.rs: rebuild it"));
        }
        if !workspace.path(format!("tests/{name}.rs")).is_file() {
            problems.push(format!("tests/{name}.rs (the hidden tests of `{name}`) is missing"));
        }
        if hints_for(name).is_empty() {
            problems.push(format!("`{name}` has no hints in src/cli/hints.rs"));
        }
    }
    for (name, _) in STUBS {
        if kata::exercise::find(name).is_none() {
            problems.push(format!("stubs/{name}.rs belongs to no exercise in kata::exercise::EXERCISES"));
        }
    }
    problems
}
