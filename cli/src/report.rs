//! `kata report [--seed S] [--bench] [--out FILE]`: the whole assessment, as
//! a table and as a JSON file (schema: `docs/report-schema.md`, version
//! [`SCHEMA_VERSION`]).

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::AtomicBool;

use anstream::{eprintln, println};
use anyhow::{Context, Result, bail};
use serde::{Deserialize, Serialize};

use crate::args::Grading;
use crate::bench::{self, Comparison, Verdict};
use crate::exercise::Exercise;
use crate::fingerprint;
use crate::grading::{self, Graded, Status};
use crate::hint;
use crate::machine::{self, Machine};
use crate::provenance::{self, Containment};
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
    /// What was graded, with what, and how (absent from version 1 reports).
    #[serde(default)]
    pub provenance: Option<Provenance>,
}

/// What a report's numbers rest on: hashes of the kit and of every graded
/// file, the toolchain and the settings, and whether the code ran contained.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Provenance {
    /// SHA-256 over the kit's own files (tests, harness, manifests...),
    /// every graded file excluded: equal for every hand-in graded in one kit.
    pub kit_sha256: String,
    /// Each graded source file (kit-relative path) -> its SHA-256, hex.
    pub files_sha256: BTreeMap<String, String>,
    /// `rustc -V`.
    pub toolchain: String,
    /// `KATA_TIME_SCALE` as set, else null.
    pub time_scale: Option<String>,
    /// `KATA_KERNEL` as set, else null.
    pub kernel: Option<String>,
    /// `"quick"`, `"full"`, or null when nothing was benchmarked.
    pub bench_length: Option<String>,
    /// Whether the tests and benchmarks ran in the sandbox.
    pub contained: bool,
    /// `"bubblewrap"`, or why not (`"none: --allow-uncontained"`).
    pub sandbox: String,
    /// The hand-in, when `kata grade` made the report.
    pub hand_in: Option<HandIn>,
}

/// Where a graded hand-in came from and what was made of its files.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HandIn {
    /// The directory, repository or tarball as given to `kata grade`.
    pub source: String,
    /// Files of the hand-in that differ from the kit and were not taken
    /// (only `exercises/src/*.rs` is graded), kit-relative.
    pub ignored: Vec<String>,
    /// Why submitted files were refused before building.
    pub rejected: Vec<Rejection>,
}

/// A construct in a submitted file that `kata grade` refuses to build.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rejection {
    /// The file, kit-relative (`exercises/src/cosine.rs`).
    pub file: String,
    /// Its line (1-based).
    pub line: usize,
    /// What is refused and why, for the candidate.
    pub reason: String,
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
    /// Winnowed token fingerprints of the graded file ([`fingerprint`]),
    /// for `kata compare` to find copies; empty when the file was missing.
    #[serde(default)]
    pub fingerprint: Vec<u64>,
    /// What explains a status without test results: the compiler's first
    /// error, the reasons a hand-in's file was rejected, how a run ended early.
    #[serde(default)]
    pub detail: Option<String>,
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
    let grading = reviewer_grading(grading);
    let exercises = workspace::selection(None)?;
    let never = AtomicBool::new(false);
    let results = grading::grade(workspace, &exercises, &grading, &never)?;
    let provenance = provenance::collect(workspace, workspace, benches, &Containment::InPlace, None)?;
    let report = assemble(workspace, &results, &grading, benches, provenance)?;
    publish(workspace, &report, out)
}

/// A reviewer's grading options: the seed settled (`--seed`, else
/// `KATA_SEED`, both parsed by the command line, else the default) and the
/// timers left alone.
pub fn reviewer_grading(grading: &Grading) -> Grading {
    let seed = grading.seed.unwrap_or(kata::seed::DEFAULT_SEED);
    Grading { seed: Some(seed), reviewing: true, ..grading.clone() }
}

/// The report of graded `results` in `workspace`, benchmarking each
/// exercise that built when `benches` says so.
pub fn assemble(
    workspace: &Workspace,
    results: &[Graded],
    grading: &Grading,
    benches: Option<&bench::Plan>,
    provenance: Provenance,
) -> Result<Report> {
    let timers = timer::load(workspace)?;
    let hints = hint::load(workspace)?;
    let mut entries = Vec::with_capacity(results.len());
    for graded in results {
        // Only code that built and was started has a speed worth measuring.
        let built = !matches!(graded.status, Status::DoesNotCompile | Status::Rejected | Status::NotStarted);
        let benchmarks = match benches {
            Some(plan) if built => {
                bench::run_exercise(workspace, graded.exercise, plan).unwrap_or_else(|error| {
                    eprintln!("{} {error:#}", term::paint(NOTE, "note: no benchmark results:"));
                    Vec::new()
                })
            }
            Some(_) => Vec::new(),
            // The last `kata bench` run, if any: a report never hides results it has.
            None => bench::saved_comparisons(workspace, graded.exercise).unwrap_or_default(),
        };
        let name = graded.exercise.name;
        let timer = timers.get(name).copied();
        let mut entry = exercise_report(graded, hints.get(name).copied().unwrap_or(0), timer, benchmarks);
        entry.fingerprint = graded_fingerprint(workspace, graded.exercise, grading.reference);
        entries.push(entry);
    }
    let commit = machine::commit(workspace);
    Ok(Report {
        schema: SCHEMA.to_owned(),
        schema_version: SCHEMA_VERSION,
        kata_version: env!("CARGO_PKG_VERSION").to_owned(),
        generated_at: timer::now(),
        graded: if grading.reference { "reference" } else { "candidate" }.to_owned(),
        seed: grading.seed.unwrap_or(kata::seed::DEFAULT_SEED),
        commit: commit.as_ref().map(|(commit, _)| commit.clone()),
        worktree_dirty: commit.map(|(_, dirty)| dirty),
        machine: Machine::current(),
        benchmarked: benches.is_some() || entries.iter().any(|entry| !entry.benchmarks.is_empty()),
        exercises: entries,
        provenance: Some(provenance),
    })
}

/// Prints `report` and writes it to `out` (default: `.kata/report.json`).
pub fn publish(workspace: &Workspace, report: &Report, out: Option<&Path>) -> Result<ExitCode> {
    print(report);
    let out = out.map_or_else(|| workspace.state_dir().join("report.json"), Path::to_path_buf);
    write(report, &out)?;
    println!("JSON report: {}", out.display());
    Ok(ExitCode::SUCCESS)
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
        detail: graded.detail.as_deref().map(|detail| match graded.status {
            Status::DoesNotCompile => first_error(detail),
            _ => detail.to_owned(),
        }),
        fingerprint: Vec::new(),
    }
}

/// The fingerprints of the file that was graded: the candidate's, or with
/// `--reference` the reference's (empty when it cannot be read).
fn graded_fingerprint(workspace: &Workspace, exercise: &Exercise, reference: bool) -> Vec<u64> {
    let relative =
        if reference { format!("solutions/src/{}.rs", exercise.name) } else { exercise.stub_path() };
    fs::read_to_string(workspace.path(relative))
        .map(|text| fingerprint::fingerprint(&text))
        .unwrap_or_default()
}

/// The compiler's first error in rendered diagnostics (the whole text when
/// none is marked as an error).
fn first_error(diagnostics: &str) -> String {
    let lines: Vec<&str> = diagnostics.lines().collect();
    let Some(start) = lines.iter().position(|line| line.starts_with("error")) else {
        return diagnostics.trim().to_owned();
    };
    let length = lines[start..].iter().position(|line| line.trim().is_empty()).unwrap_or(lines.len() - start);
    lines[start..start + length].join("\n")
}

/// Prints the report as a table.
fn print(report: &Report) {
    println!(
        "{}  graded: {}  seed: {}  commit: {}{}",
        term::paint(STRONG, "AI Kata report"),
        report.graded,
        kata::seed::display(report.seed),
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
    if let Some(provenance) = &report.provenance {
        println!(
            "{}",
            term::paint(
                DIM,
                format!(
                    "kit sha256: {}  toolchain: {}  contained: {} ({})",
                    &provenance.kit_sha256[..provenance.kit_sha256.len().min(16)],
                    provenance.toolchain,
                    if provenance.contained { "yes" } else { "no" },
                    provenance.sandbox
                )
            )
        );
    }
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
    let explained = [Status::Rejected, Status::DoesNotCompile, Status::ExitedEarly, Status::Crashed];
    for exercise in report.exercises.iter().filter(|exercise| explained.contains(&exercise.status)) {
        if let Some(detail) = &exercise.detail {
            println!(
                "{} {}\n{}",
                term::paint(STRONG, &exercise.name),
                exercise.status.label(),
                term::indent(detail, 2)
            );
        }
    }
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
