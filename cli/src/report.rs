//! `kata report [--seed S] [--bench] [--out FILE]`: the whole assessment, as
//! a table and as a JSON file (schema: `docs/report-schema.md`, version
//! [`SCHEMA_VERSION`]).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::AtomicBool;

use anstream::{eprintln, println};
use anyhow::{Context, Result, bail};
use serde::{Deserialize, Serialize};

use crate::args::Grading;
use crate::bench::{self, Comparison, Verdict};
use crate::grading::{self, Graded, Status};
use crate::hint;
use crate::machine::{self, Machine};
use crate::term::{self, DIM, NOTE, STRONG};
use crate::timer::{self, TimerRecord};
use crate::workspace::{self, Workspace};

/// The `schema` field of every report.
pub const SCHEMA: &str = "ai-kata-report";

/// The version of the report format this binary writes (and the newest it reads).
pub const SCHEMA_VERSION: u32 = 2;

/// A whole assessment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// Always [`SCHEMA`].
    pub schema: String,
    /// [`SCHEMA_VERSION`] when written.
    pub schema_version: u32,
    /// The version of the `kata` binary that wrote it.
    pub kata_version: String,
    /// When it was written (Unix seconds).
    pub generated_at: u64,
    /// `candidate` (the exercises) or `reference` (`--reference`).
    pub graded: String,
    /// The seed of every random case (`KATA_SEED`).
    pub seed: u64,
    /// The commit checked out, if the kit is a git checkout.
    pub commit: Option<String>,
    /// Whether the work tree had uncommitted changes (the candidate's code usually is).
    pub worktree_dirty: Option<bool>,
    /// The machine the tests and benchmarks ran on.
    pub machine: Machine,
    /// Whether benchmarks were run (`--bench`).
    pub benchmarked: bool,
    /// One entry per exercise, in kit order.
    pub exercises: Vec<ExerciseReport>,
}

/// One exercise in a report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExerciseReport {
    /// The exercise's module name.
    pub name: String,
    /// Where the exercise stands (`passing`, `failing`, `not_started`, ... in JSON).
    pub status: Status,
    /// Tests passed.
    pub passed: usize,
    /// Tests run.
    pub total: usize,
    /// Passed and run per tier, in tier order.
    pub tiers: Vec<TierReport>,
    /// The first failed test in tier order, if any.
    pub first_failure: Option<Failure>,
    /// Hints revealed with `kata hint`.
    pub hints_revealed: usize,
    /// The interview timer, if `kata start` was used.
    pub timer: Option<TimerRecord>,
    /// Benchmark comparisons (empty without `--bench`).
    pub benchmarks: Vec<Comparison>,
}

/// Passed of run in one tier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TierReport {
    /// `examples`, `edge`, `property`, `robust`, `scale` or `other`.
    pub tier: String,
    /// Tests passed.
    pub passed: usize,
    /// Tests run.
    pub total: usize,
}

/// A failed test.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Failure {
    /// The test's name.
    pub test: String,
    /// Its failure message.
    pub message: String,
}

/// `kata report`; `benches` says whether (and how) to run the benchmarks.
pub fn run(
    workspace: &Workspace,
    grading: &Grading,
    benches: Option<&bench::Plan>,
    out: Option<&Path>,
) -> Result<ExitCode> {
    let seed = match grading.seed {
        Some(seed) => seed,
        None => current_seed()?,
    };
    let grading = Grading { seed: Some(seed), ..grading.clone() };
    let exercises = workspace::selection(None)?;
    let never = AtomicBool::new(false);
    let results = grading::grade(workspace, &exercises, &grading, &never)?;
    let timers = timer::load(workspace)?;
    let hints = hint::load(workspace)?;
    let mut entries = Vec::with_capacity(results.len());
    for graded in &results {
        let benchmarks = if let Some(plan) = benches {
            bench::run_exercise(workspace, graded.exercise, plan).unwrap_or_else(|error| {
                eprintln!("{} {error:#}", term::paint(NOTE, "note: no benchmark results:"));
                Vec::new()
            })
        } else {
            // The last `kata bench` run, if any: a report never hides results it has.
            bench::saved_comparisons(workspace, graded.exercise).unwrap_or_default()
        };
        let name = graded.exercise.name;
        let timer = timers.get(name).copied();
        entries.push(exercise_report(graded, hints.get(name).copied().unwrap_or(0), timer, benchmarks));
    }
    let commit = machine::commit(workspace);
    let report = Report {
        schema: SCHEMA.to_owned(),
        schema_version: SCHEMA_VERSION,
        kata_version: env!("CARGO_PKG_VERSION").to_owned(),
        generated_at: timer::now(),
        graded: if grading.reference { "reference" } else { "candidate" }.to_owned(),
        seed,
        commit: commit.as_ref().map(|(commit, _)| commit.clone()),
        worktree_dirty: commit.map(|(_, dirty)| dirty),
        machine: Machine::current(),
        benchmarked: benches.is_some() || entries.iter().any(|entry| !entry.benchmarks.is_empty()),
        exercises: entries,
    };
    print(&report);
    let out = out.map_or_else(|| workspace.state_dir().join("report.json"), Path::to_path_buf);
    write(&report, &out)?;
    println!("JSON report: {}", out.display());
    Ok(ExitCode::SUCCESS)
}

/// The run's seed when `--seed` is not given: `KATA_SEED`, else the default.
fn current_seed() -> Result<u64> {
    match std::env::var(kata::seed::SEED_VARIABLE) {
        Ok(text) => kata::seed::parse_seed(&text)
            .with_context(|| format!("KATA_SEED={text:?} is not a number (decimal, or hex with 0x)")),
        Err(_) => Ok(kata::seed::DEFAULT_SEED),
    }
}

fn exercise_report(
    graded: &Graded,
    hints_revealed: usize,
    timer: Option<TimerRecord>,
    benchmarks: Vec<Comparison>,
) -> ExerciseReport {
    ExerciseReport {
        name: graded.exercise.name.to_owned(),
        status: graded.status,
        passed: graded.passed(),
        total: graded.total(),
        tiers: graded
            .tiers()
            .into_iter()
            .map(|summary| TierReport {
                tier: summary.tier.to_owned(),
                passed: summary.passed,
                total: summary.total,
            })
            .collect(),
        first_failure: graded.first_failure().map(|case| Failure {
            test: case.name.clone(),
            message: case.message.clone().unwrap_or_default(),
        }),
        hints_revealed,
        timer,
        benchmarks,
    }
}

/// Prints the report as a table.
fn print(report: &Report) {
    println!(
        "{}  graded: {}  seed: {}  commit: {}{}",
        term::paint(STRONG, "AI Kata report"),
        report.graded,
        report.seed,
        report.commit.as_deref().map_or("(not a git checkout)", |commit| &commit[..commit.len().min(12)]),
        if report.worktree_dirty == Some(true) { " (with uncommitted changes)" } else { "" }
    );
    println!(
        "{}",
        term::paint(
            DIM,
            format!(
                "machine: {}, {} cores, {}/{}",
                report.machine.cpu_model, report.machine.cores, report.machine.os, report.machine.arch
            )
        )
    );
    let mut table = term::table(["exercise", "status", "passed", "tiers", "hints", "timer", "speed"]);
    let now = timer::now();
    for exercise in &report.exercises {
        table.add_row([
            exercise.name.clone(),
            exercise.status.label().to_owned(),
            format!("{}/{}", exercise.passed, exercise.total),
            exercise
                .tiers
                .iter()
                .map(|t| format!("{} {}/{}", t.tier, t.passed, t.total))
                .collect::<Vec<_>>()
                .join("  "),
            exercise.hints_revealed.to_string(),
            exercise.timer.map(|timer| timer.describe(now)).unwrap_or_default(),
            speed_summary(exercise, report.benchmarked),
        ]);
    }
    println!("{table}");
    for exercise in report.exercises.iter().filter(|exercise| !exercise.benchmarks.is_empty()) {
        bench::print_comparisons(&exercise.name, &exercise.benchmarks);
    }
}

/// The worst verdict of an exercise's benchmarks.
fn speed_summary(exercise: &ExerciseReport, benchmarked: bool) -> String {
    if !benchmarked {
        return "(no --bench)".to_owned();
    }
    let order = [Verdict::Weak, Verdict::Acceptable, Verdict::Strong, Verdict::NotMeasured];
    order
        .iter()
        .find(|verdict| exercise.benchmarks.iter().any(|comparison| comparison.verdict == **verdict))
        .map_or_else(|| "no benchmarks".to_owned(), |verdict| verdict.label().to_owned())
}

/// Writes the report as pretty JSON.
fn write(report: &Report, out: &Path) -> Result<()> {
    if let Some(dir) = out.parent().filter(|dir| !dir.as_os_str().is_empty()) {
        fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    let text = serde_json::to_string_pretty(report).context("encoding the report")?;
    fs::write(out, text + "\n").with_context(|| format!("writing {}", out.display()))
}

/// Reads a report written by `kata report`, with a clear error for anything else.
pub fn read(path: &PathBuf) -> Result<Report> {
    let text = fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let value: serde_json::Value = serde_json::from_str(&text)
        .with_context(|| format!("{} is not JSON. {NOT_A_REPORT}", path.display()))?;
    if value["schema"] != SCHEMA {
        bail!(
            "{} is not an AI Kata report (its \"schema\" is not {SCHEMA:?}). {NOT_A_REPORT}",
            path.display()
        );
    }
    match value["schema_version"].as_u64() {
        Some(version) if version <= u64::from(SCHEMA_VERSION) => {}
        Some(version) => bail!(
            "{} has schema version {version}; this kata reads up to {SCHEMA_VERSION}: update the kit",
            path.display()
        ),
        None => bail!("{} has no schema_version. {NOT_A_REPORT}", path.display()),
    }
    serde_json::from_value(value).with_context(|| {
        format!(
            "{} does not follow the report schema (docs/report-schema.md). {NOT_A_REPORT}",
            path.display()
        )
    })
}

const NOT_A_REPORT: &str = "Reports are written by `cargo kata report --out FILE`.";
