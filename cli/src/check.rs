//! `kata check [EXERCISE]`: grades one exercise or all of them and prints a
//! summary per tier and the first failure.

use std::process::ExitCode;
use std::sync::atomic::AtomicBool;

use anstream::{eprintln, println};
use anyhow::Result;

use crate::args::Grading;
use crate::exercise::Exercise;
use crate::grading::{Graded, Status, grade};
use crate::term::{self, BAD, DIM, GOOD, NOTE, STRONG};
use crate::workspace::{self, Workspace};

/// `kata check [EXERCISE]`: exit code 0 only when every test passes.
pub fn run(workspace: &Workspace, name: Option<&str>, grading: &Grading) -> Result<ExitCode> {
    let exercises = workspace::selection(name)?;
    let never = AtomicBool::new(false);
    let results = grade(workspace, &exercises, grading, &never)?;
    print_results(&results, grading);
    let all_pass = results.iter().all(|graded| graded.status == Status::Passing);
    Ok(if all_pass { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}

/// Prints each exercise's summary per tier and its first failure.
pub fn print_results(results: &[Graded], grading: &Grading) {
    if grading.reference {
        println!(
            "{}",
            term::paint(NOTE, "Grading the reference solutions (--reference), not your exercises.")
        );
    }
    if let Some(seed) = grading.seed {
        println!("{}", term::paint(DIM, format!("Seed: {}", kata::seed::display(seed))));
    }
    // Compiler errors are the same for every exercise: show them once.
    if let Some(graded) = results.iter().find(|graded| graded.status == Status::DoesNotCompile) {
        eprintln!("{}", graded.detail.as_deref().unwrap_or_default());
        println!("{} {DOES_NOT_COMPILE}", term::paint(BAD, "The code does not compile."));
        return;
    }
    for graded in results {
        print_one(graded);
    }
    if results.len() > 1 {
        let passing = results.iter().filter(|graded| graded.status == Status::Passing).count();
        let style = if passing == results.len() { GOOD } else { NOTE };
        println!("{}", term::paint(style, format!("{passing} of {} exercises pass.", results.len())));
    }
}

fn print_one(graded: &Graded) {
    let exercise = graded.exercise;
    let style = match graded.status {
        Status::Passing => GOOD,
        Status::NotStarted | Status::NoTests | Status::Interrupted => NOTE,
        _ => BAD,
    };
    println!("{}  {}", term::paint(STRONG, exercise.name), term::paint(style, graded.headline()));
    for summary in graded.tiers() {
        let mark =
            if summary.passed == summary.total { term::paint(GOOD, "ok") } else { term::paint(BAD, "FAIL") };
        println!("  {:<9} {:>3}/{:<3} {mark}", summary.tier, summary.passed, summary.total);
    }
    if let Some(detail) = &graded.detail {
        println!("{}", term::indent(detail, 2));
    }
    match graded.status {
        Status::NotStarted => println!("  {}", not_started(exercise)),
        Status::Failing | Status::TimedOut | Status::Crashed => {
            if let Some(case) = graded.first_failure() {
                println!("  first failure: {}", term::paint(STRONG, &case.name));
                println!("{}", term::indent(case.message.as_deref().unwrap_or_default(), 4));
                println!("  {}", term::paint(DIM, format!("(stuck? `cargo kata hint {}`)", exercise.name)));
            }
        }
        _ => {}
    }
}

/// What to do with an exercise that is still a stub.
pub fn not_started(exercise: &Exercise) -> String {
    format!(
        "Open {} and replace the todo!() (its doc comment is the problem statement), \
         then run `cargo kata check {}`.",
        exercise.stub_path(),
        exercise.name
    )
}

const DOES_NOT_COMPILE: &str = "Fix the errors above (cargo's messages), then run the check again. \
Keep the signatures of the stubs: the hidden tests compile against them.";
