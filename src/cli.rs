//! The modules of the `kata` binary, one per concern. They are not part of
//! the `kata` library: tests and benches never need them.

use std::process::ExitCode;

use anyhow::Result;

use self::args::{Args, Command};
use self::report::BenchLength;
use self::workspace::Workspace;

pub mod args;
pub mod bench;
pub mod check;
pub mod compare;
pub mod hint;
pub mod hints;
pub mod libtest;
pub mod list;
pub mod machine;
pub mod report;
pub mod reset;
pub mod run;
pub mod selfcheck;
pub mod stubs;
pub mod term;
pub mod timer;
pub mod watch;
pub mod workspace;

/// Runs one command; the exit code says whether it succeeded (for `check`:
/// whether every test passed).
pub fn run(args: Args) -> Result<ExitCode> {
    // `compare` reads report files only, so it works outside a kata workspace.
    let workspace = || Workspace::discover(args.root.as_deref());
    match args.command.unwrap_or(Command::List) {
        Command::List => list::run(&workspace()?, &args.grading),
        Command::Check { exercise } => check::run(&workspace()?, exercise.as_deref(), &args.grading),
        Command::Hint { exercise, all } => hint::run(&workspace()?, &exercise, all),
        Command::Watch { exercise } => watch::run(&workspace()?, exercise.as_deref(), &args.grading),
        Command::Reset { exercise, yes } => reset::run(&workspace()?, &exercise, yes),
        Command::Start { exercise, minutes } => timer::start(&workspace()?, &exercise, minutes),
        Command::Bench { exercise, quick, saved } => {
            bench::run(&workspace()?, exercise.as_deref(), quick, saved, args.grading.reference)
        }
        Command::Report { bench, quick, out } => {
            let benches = bench.then_some(if quick { BenchLength::Quick } else { BenchLength::Full });
            report::run(&workspace()?, &args.grading, benches, out.as_deref())
        }
        Command::Compare { reports } => compare::run(&reports),
        Command::Selfcheck => selfcheck::run(&workspace()?),
    }
}
