//! The command line, parsed by clap.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::pack::Tests;

/// AI Kata: ML-engineering interview exercises with hidden, tiered tests.
///
/// Candidates: `kata list`, `kata check EXERCISE`, `kata hint EXERCISE`,
/// `kata watch`. Reviewers: `kata report`, `kata bench`, `kata compare`.
/// Without a command, `kata` is `kata list`.
#[derive(Debug, Parser)]
#[command(name = "kata", version, about, long_about)]
pub struct Args {
    /// The command (default: list).
    #[command(subcommand)]
    pub command: Option<Command>,

    /// The kit's root directory (default: the nearest directory, from the
    /// current one up, that holds `Cargo.toml` and `exercises/`).
    #[arg(long, global = true, env = "KATA_ROOT", value_name = "DIR")]
    pub root: Option<PathBuf>,

    /// How the hidden tests are run.
    #[command(flatten)]
    pub grading: Grading,
}

/// Options of every command that runs the hidden tests.
#[derive(Debug, Clone, clap::Args)]
pub struct Grading {
    /// Grade the reference solutions instead of your exercises
    /// (`cargo test --features reference`): what a passing run looks like.
    #[arg(long, global = true)]
    pub reference: bool,

    /// The seed of every random case (decimal, or hex with 0x). Reviewers
    /// use a secret one. A mistyped `KATA_SEED` is refused here, before
    /// anything runs, as a mistyped `--seed` is.
    #[arg(long, global = true, value_name = "S", env = "KATA_SEED", value_parser = parse_seed)]
    pub seed: Option<u64>,

    /// Stop an exercise's test run after this many seconds (compiling is not
    /// counted): an endless loop never hangs the command.
    #[arg(long, global = true, value_name = "SECONDS", default_value_t = 300)]
    pub timeout: u64,

    /// Run only the test of this exact name (`kata answers` checks the
    /// failure a wrong answer declares).
    #[arg(skip)]
    pub only_test: Option<String>,

    /// A reviewer's run (`kata report`, `kata grade`): a pass seen here is
    /// not the candidate's, so the interview timers are left alone.
    #[arg(skip)]
    pub reviewing: bool,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Every exercise in kit order: its status, its tiers, what to do next.
    List,
    /// Run the hidden tests of one exercise (or all): a summary per tier and
    /// the first failure. Exits with 0 only when every test passes.
    Check {
        /// The exercise (default: all of them).
        exercise: Option<String>,
    },
    /// Show the next hint for an exercise (each call reveals one more).
    Hint {
        /// The exercise.
        exercise: String,
        /// Show every hint at once.
        #[arg(long)]
        all: bool,
    },
    /// After you pass: the reference solution and what makes it fast.
    Solution {
        /// The exercise.
        exercise: String,
        /// Show it before you pass (it spoils the exercise).
        #[arg(long)]
        force: bool,
    },
    /// Re-check an exercise whenever a file under `exercises/` is saved.
    /// Ctrl-C stops.
    Watch {
        /// Check this exercise at once, before the first save.
        exercise: Option<String>,
    },
    /// Restore the shipped stub of an exercise (your code is kept in
    /// `.kata/backups/`).
    Reset {
        /// The exercise.
        #[arg(required_unless_present = "all")]
        exercise: Option<String>,
        /// Reset every exercise that is not its shipped stub.
        #[arg(long, conflicts_with_all = ["exercise", "restore"])]
        all: bool,
        /// Do not ask for confirmation.
        #[arg(long)]
        yes: bool,
        /// Undo the last reset: put the newest backup of the exercise back.
        #[arg(long, conflicts_with = "yes")]
        restore: bool,
    },
    /// Interview mode: start the timer of an exercise. `kata list` shows it,
    /// `kata check` records when the exercise first passes.
    Start {
        /// The exercise.
        exercise: String,
        /// The time budget, in minutes.
        #[arg(long, default_value_t = 45)]
        minutes: u64,
    },
    /// Run criterion benchmarks and compare the candidate with the reference
    /// and the peers.
    Bench {
        /// The exercise (default: all of them).
        exercise: Option<String>,
        /// Shorter measurements (noisier) and a lighter build (no plots, no
        /// peer crates): for a first look.
        #[arg(long)]
        quick: bool,
        /// Run the benchmark N times, candidate beside reference each time,
        /// and report the median ratio and its range.
        #[arg(long, value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u16).range(1..))]
        repeat: u16,
        /// Do not run anything: read the results of the last `kata bench`
        /// under `target/criterion`.
        #[arg(long, conflicts_with_all = ["quick", "repeat"])]
        saved: bool,
    },
    /// The whole assessment: tests per tier, benchmark ratios, seed, commit,
    /// machine and timers, as a table and as a JSON file.
    Report {
        /// Also run the benchmarks (slow).
        #[arg(long)]
        bench: bool,
        /// With --bench: shorter, noisier measurements.
        #[arg(long, requires = "bench")]
        quick: bool,
        /// With --bench: run each benchmark N times and report the spread.
        #[arg(long, value_name = "N", default_value_t = 1, requires = "bench", value_parser = clap::value_parser!(u16).range(1..))]
        repeat: u16,
        /// Where to write the JSON report (default: `.kata/report.json`).
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Reviewers: grade a candidate's hand-in (a directory, a git
    /// repository or a .tar/.tar.gz) in a clean copy of this kit. Only its
    /// exercises/src/*.rs files are taken, checked before they build, and
    /// run in a sandbox (bubblewrap) with your seed; the report lists every
    /// other file that differs as ignored.
    Grade {
        /// The hand-in.
        #[arg(value_name = "HAND-IN")]
        hand_in: PathBuf,
        /// Also run the benchmarks (slow).
        #[arg(long)]
        bench: bool,
        /// With --bench: shorter, noisier measurements.
        #[arg(long, requires = "bench")]
        quick: bool,
        /// With --bench: run each benchmark N times, the candidate beside the
        /// reference each time, and report the median ratio and its spread.
        #[arg(long, value_name = "N", default_value_t = 3, requires = "bench", value_parser = clap::value_parser!(u16).range(1..))]
        repeat: u16,
        /// Where to write the JSON report (default:
        /// `target/grade/<name>/report.json`).
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// Run the hand-in without a sandbox when bubblewrap is not
        /// available (the report says so).
        #[arg(long)]
        allow_uncontained: bool,
        /// Tests of the sandbox only: skip the source checks, so that code
        /// they would reject reaches the sandbox.
        #[arg(long, hide = true)]
        no_source_checks: bool,
    },
    /// Candidates side by side, from reports written by `kata report` or
    /// `kata grade`: each report checked against itself and this kit,
    /// scored, and similar hand-ins flagged. Exit code 1 when a report is
    /// refused.
    Compare {
        /// Report files (`kata report --out FILE`).
        #[arg(required = true, num_args = 1..)]
        reports: Vec<PathBuf>,
        /// Also write the comparison as one self-contained HTML page.
        #[arg(long, value_name = "FILE")]
        html: Option<PathBuf>,
    },
    /// Reviewers: write a candidate kit without answers into a new directory:
    /// the stubs and statements of the chosen exercises, their tests, the
    /// harness, the benchmarks and this command, without `solutions/` or
    /// `answers/`. It builds and grades on its own.
    Pack {
        /// The directory to write the kit into (new, or empty).
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// The exercises to include (default: all of them).
        exercises: Vec<String>,
        /// Which hidden tests the kit holds: `all`, or `samples` (the
        /// `examples_` and `edge_` tiers; the reviewer grades every tier).
        #[arg(long, value_enum, default_value_t = Tests::All)]
        tests: Tests,
    },
    /// Maintainers: check that every file the registry (exercises.toml)
    /// names is there and agrees with it.
    Selfcheck {
        /// Rewrite what is derived from the registry and the stubs
        /// (`stubs/`, the README's exercise table) before checking.
        #[arg(long)]
        fix: bool,
        /// Also run every exercise's hidden tests against its shipped stub:
        /// each test must fail, naming the file to edit (a test that passes
        /// against `todo!()` asserts nothing).
        #[arg(long)]
        stubs: bool,
    },
    /// Maintainers: prove the hidden tests strict and fair. Each
    /// `answers/NAME/wrong_*.rs` must fail at least one test and each
    /// `right_*.rs` must pass them all; they run in a temporary copy of the
    /// kit, never touching `exercises/`.
    Answers {
        /// The exercise (default: every exercise that has answers).
        exercise: Option<String>,
    },
    /// Maintainers: scaffold a new exercise (registry entry, given types,
    /// stub, solution, hidden tests, benchmark, answers) from a template
    /// that compiles, fails as a stub and is listed everywhere.
    New {
        /// The module name (lowercase, digits and underscores).
        name: String,
    },
}

/// Parses a seed the way `KATA_SEED` is parsed.
fn parse_seed(text: &str) -> Result<u64, String> {
    kata::seed::parse_seed(text).ok_or_else(|| format!("{text:?} is not a number (decimal, or hex with 0x)"))
}
