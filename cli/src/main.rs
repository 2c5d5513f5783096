//! The `kata` command: progress and hints for candidates, reports and
//! comparisons for reviewers. `cargo kata --help` lists the commands; the
//! README documents each one.
//!
//! One module per concern. The exercises come from the registry,
//! `exercises.toml` at the kit's root, compiled in by `build.rs`
//! ([`exercise`]). The grading harness is the `kata` library; this binary
//! is a workspace member of its own so that a candidate's `cargo test`
//! never builds it.

use std::process::ExitCode;

use anyhow::Result;
use clap::Parser;

use crate::args::{Args, Command};
use crate::workspace::Workspace;

mod answers;
mod args;
mod bench;
mod check;
mod compare;
mod consistency;
mod exercise;
mod fingerprint;
mod grading;
mod hand_in;
mod hint;
mod html;
mod libtest;
mod list;
mod machine;
mod pack;
mod provenance;
mod report;
mod reset;
mod run;
mod sandbox;
mod scaffold;
mod selfcheck;
mod solution;
mod source_check;
mod state;
mod term;
mod timer;
mod watch;
mod workspace;

fn main() -> ExitCode {
    match run(Args::parse()) {
        Ok(code) => code,
        Err(error) => {
            // `{:#}` prints the chain of contexts on one line, and never a
            // backtrace: these errors are for the person at the terminal.
            anstream::eprintln!("{} {error:#}", term::paint(term::BAD, "error:"));
            ExitCode::FAILURE
        }
    }
}

/// Runs one command; the exit code says whether it succeeded (for `check`:
/// whether every test passed).
fn run(args: Args) -> Result<ExitCode> {
    // `compare` reads report files only, so it works outside a kata workspace.
    let workspace = || Workspace::discover(args.root.as_deref());
    if let Some(what) = needs_reference(&args) {
        workspace()?.require_reference(what)?;
    }
    match args.command.unwrap_or(Command::List) {
        Command::List => list::run(&workspace()?, &args.grading),
        Command::Check { exercise } => check::run(&workspace()?, exercise.as_deref(), &args.grading),
        Command::Hint { exercise, all } => hint::run(&workspace()?, &exercise, all),
        Command::Solution { exercise, force } => {
            solution::run(&workspace()?, &exercise, force, &args.grading)
        }
        Command::Watch { exercise } => watch::run(&workspace()?, exercise.as_deref(), &args.grading),
        Command::Reset { exercise: Some(exercise), yes, restore, .. } => {
            reset::run(&workspace()?, &exercise, yes, restore)
        }
        Command::Reset { exercise: None, yes, .. } => reset::run_all(&workspace()?, yes),
        Command::Start { exercise, minutes } => timer::start(&workspace()?, &exercise, minutes),
        Command::Bench { exercise, quick, repeat, saved } => {
            let plan = bench::Plan { quick, repeat: usize::from(repeat), reference: args.grading.reference };
            bench::run(&workspace()?, exercise.as_deref(), (!saved).then_some(&plan))
        }
        Command::Report { bench, quick, repeat, out } => {
            let plan = bench::Plan { quick, repeat: usize::from(repeat), reference: args.grading.reference };
            report::run(&workspace()?, &args.grading, bench.then_some(&plan), out.as_deref())
        }
        Command::Grade { hand_in, bench, quick, repeat, out, allow_uncontained, no_source_checks } => {
            let request = hand_in::Request {
                hand_in: &hand_in,
                benches: bench.then_some(bench::Plan {
                    quick,
                    repeat: usize::from(repeat),
                    reference: false,
                }),
                out: out.as_deref(),
                allow_uncontained,
                source_checks: !no_source_checks,
            };
            hand_in::run(&workspace()?, &request, &args.grading)
        }
        Command::Compare { reports, html } => compare::run(&reports, args.root.as_deref(), html.as_deref()),
        Command::Selfcheck { fix, stubs } => selfcheck::run(&workspace()?, fix, stubs),
        Command::Answers { exercise } => answers::run(&workspace()?, exercise.as_deref()),
        Command::New { name } => scaffold::run(&workspace()?, &name),
        Command::Pack { out, exercises, tests } => pack::run(&workspace()?, &out, &exercises, tests),
    }
}

/// What in `args` needs the reference solutions, which a kit made by
/// `kata pack` leaves out.
fn needs_reference(args: &Args) -> Option<&'static str> {
    match &args.command {
        Some(Command::Solution { .. }) => Some("`kata solution`"),
        Some(Command::Answers { .. }) => Some("`kata answers`"),
        Some(Command::New { .. }) => Some("`kata new`"),
        Some(Command::Selfcheck { .. }) => Some("`kata selfcheck`"),
        Some(Command::Compare { .. }) => None,
        _ if args.grading.reference => Some("`--reference`"),
        _ => None,
    }
}
