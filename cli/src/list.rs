//! `kata list` (and plain `kata`): every exercise in kit order, its status,
//! its tiers, its timer, and what to do next.

use std::process::ExitCode;
use std::sync::atomic::AtomicBool;

use anstream::println;
use anyhow::Result;

use crate::args::Grading;
use crate::check;
use crate::grading::{self, Graded, Status};
use crate::term::{self, BAD, GOOD, NOTE, STRONG};
use crate::timer;
use crate::workspace::{self, Workspace};

/// `kata list`: grades every exercise and prints one row each.
pub fn run(workspace: &Workspace, grading: &Grading) -> Result<ExitCode> {
    let exercises = workspace::selection(None)?;
    let never = AtomicBool::new(false);
    let results = grading::grade(workspace, &exercises, grading, &never)?;
    let timers = timer::load(workspace)?;
    let now = timer::now();

    let mut table = term::table(["#", "exercise", "status", "tiers (passed/total)", "timer"]);
    for (number, graded) in results.iter().enumerate() {
        let timer = timers.get(graded.exercise.name).map(|record| record.describe(now)).unwrap_or_default();
        table.add_row([
            (number + 1).to_string(),
            graded.exercise.name.to_owned(),
            graded.headline(),
            graded.tier_line(),
            timer,
        ]);
    }
    println!("{}", term::paint(STRONG, "AI Kata"));
    println!("{table}");
    if let Some(graded) = results.iter().find(|graded| graded.status == Status::DoesNotCompile) {
        println!("{}", graded.detail.as_deref().unwrap_or_default());
    }
    println!("{}", next_step(&results));
    Ok(ExitCode::SUCCESS)
}

/// What to do next: the first exercise that does not pass, and how.
fn next_step(results: &[Graded]) -> String {
    let Some(graded) = results.iter().find(|graded| graded.status != Status::Passing) else {
        return term::paint(GOOD, ALL_PASS);
    };
    let name = graded.exercise.name;
    let advice = match graded.status {
        Status::NotStarted => check::not_started(graded.exercise),
        Status::DoesNotCompile => "Fix the compiler errors above first.".to_owned(),
        Status::NoTests => format!("`{name}` has no hidden tests yet (tests/{name}.rs)."),
        _ => format!(
            "`cargo kata check {name}` shows the first failure; `cargo kata hint {name}` gives a hint."
        ),
    };
    let style = if graded.status == Status::NotStarted { NOTE } else { BAD };
    format!("{} {advice}", term::paint(style, format!("Next: {name}.")))
}

const ALL_PASS: &str = "Every exercise passes. Reviewers compare speed with `cargo kata bench`; \
`cargo kata report` writes the whole assessment.";
