//! `kata bench [EXERCISE] [--quick | --saved]`: runs an exercise's criterion
//! benchmarks and compares the candidate with the reference and the peers.
//!
//! Benchmark IDs follow `<group>/<implementation>/<size>`, where the
//! implementation declares its role ([`kata::bench::Role`]): `reference`,
//! `candidate`, `naive:...`, `floor:...`, `peer:...` (a name that declares
//! no role is reported as such, never guessed to be a peer). Times are criterion's typical estimate (the slope of the linear
//! regression, else the mean) from `target/criterion/**/new/estimates.json`.
//!
//! Verdict bands, on candidate time / reference time:
//! - `strong`: at most [`STRONG_WITHIN`] (1.5x);
//! - `acceptable`: at most [`ACCEPTABLE_WITHIN`] (5x);
//! - `weak`: slower than that;
//! - `not_measured`: no candidate time (a stub, or it panicked on the probe).

use std::collections::BTreeMap;
use std::fs;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{ExitCode, Stdio};
use std::thread;
use std::time::SystemTime;

use crate::exercise::Exercise;
use crate::state::Record;
use anstream::{eprintln, println};
use anyhow::{Context, Result, bail};
use indicatif::ProgressBar;
use kata::bench::Role;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::run::{self, bar_style, spinner};
use crate::term::{self, BAD, DIM, GOOD, NOTE, STRONG};
use crate::workspace::{self, Workspace};

/// The largest candidate/reference ratio rated `strong`.
pub const STRONG_WITHIN: f64 = 1.5;
/// The largest candidate/reference ratio rated `acceptable`.
pub const ACCEPTABLE_WITHIN: f64 = 5.0;

/// Whether an implementation is a peer crate (declared `peer:<crate>`).
fn is_peer(implementation: &str) -> bool {
    matches!(Role::parse(implementation), Some((Role::Peer, _)))
}

/// Criterion's arguments for `--quick`: short, noisier measurements.
const QUICK_ARGS: [&str; 6] = ["--warm-up-time", "0.5", "--measurement-time", "1", "--sample-size", "20"];

/// How a candidate's speed compares with the reference.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Within 1.5x of the reference.
    Strong,
    /// Within 5x of the reference.
    Acceptable,
    /// Slower than 5x the reference.
    Weak,
    /// No candidate time.
    NotMeasured,
}

impl Verdict {
    /// The band of a candidate/reference ratio.
    pub fn of(ratio: Option<f64>) -> Verdict {
        match ratio {
            None => Verdict::NotMeasured,
            Some(ratio) if ratio <= STRONG_WITHIN => Verdict::Strong,
            Some(ratio) if ratio <= ACCEPTABLE_WITHIN => Verdict::Acceptable,
            Some(_) => Verdict::Weak,
        }
    }

    /// For people.
    pub fn label(self) -> &'static str {
        match self {
            Verdict::Strong => "strong",
            Verdict::Acceptable => "acceptable",
            Verdict::Weak => "weak",
            Verdict::NotMeasured => "not measured",
        }
    }
}

/// One benchmark question at one size: every implementation's time and the
/// candidate's ratios.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    /// Criterion's group (the question).
    pub group: String,
    /// The input size (criterion's parameter), or "" when there is none.
    pub size: String,
    /// Typical time per iteration in nanoseconds, by implementation.
    pub times_ns: BTreeMap<String, f64>,
    /// Candidate time / reference time.
    pub candidate_vs_reference: Option<f64>,
    /// Candidate time / peer time, by peer.
    pub candidate_vs_peers: BTreeMap<String, f64>,
    /// Every other implementation's time / reference time (peers, `naive`,
    /// reference variants), by implementation.
    pub others_vs_reference: BTreeMap<String, f64>,
    /// The band of `candidate_vs_reference`.
    pub verdict: Verdict,
    /// The range of `candidate_vs_reference` over repeated runs (absent
    /// when the benchmark ran once).
    #[serde(default)]
    pub spread: Option<Spread>,
}

/// The range of a candidate/reference ratio over repeated runs.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Spread {
    /// How many runs.
    pub runs: usize,
    /// The lowest ratio seen.
    pub min: f64,
    /// The highest ratio seen.
    pub max: f64,
}

impl Comparison {
    /// Every ratio and the verdict, derived from the times (`kata compare`
    /// recomputes them to check a report against itself).
    pub fn from_times(group: String, size: String, times_ns: BTreeMap<String, f64>) -> Comparison {
        let candidate = times_ns.get("candidate").copied();
        let candidate_vs_reference = candidate.zip(times_ns.get("reference").copied()).map(|(c, r)| c / r);
        let candidate_vs_peers = times_ns
            .iter()
            .filter(|(name, _)| is_peer(name))
            .filter_map(|(name, peer)| candidate.map(|c| (name.clone(), c / peer)))
            .collect();
        let others_vs_reference = match times_ns.get("reference") {
            Some(reference) => times_ns
                .iter()
                .filter(|(name, _)| !matches!(name.as_str(), "reference" | "candidate"))
                .map(|(name, time)| (name.clone(), time / reference))
                .collect(),
            None => BTreeMap::new(),
        };
        let verdict = Verdict::of(candidate_vs_reference);
        Comparison {
            group,
            size,
            times_ns,
            candidate_vs_reference,
            candidate_vs_peers,
            others_vs_reference,
            verdict,
            spread: None,
        }
    }

    /// `group/size`, the benchmark's name without the implementation.
    pub fn key(&self) -> String {
        if self.size.is_empty() { self.group.clone() } else { format!("{}/{}", self.group, self.size) }
    }
}

/// One criterion result.
#[derive(Debug, Clone, PartialEq)]
struct Measurement {
    group: String,
    implementation: String,
    size: String,
    typical_ns: f64,
    directory: PathBuf,
}

/// `kata bench`.
pub fn run(
    workspace: &Workspace,
    name: Option<&str>,
    quick: bool,
    saved: bool,
    reference: bool,
) -> Result<ExitCode> {
    let exercises = workspace::selection(name)?;
    let mut sections = Vec::new();
    if saved {
        for exercise in &exercises {
            let comparisons = saved_comparisons(workspace, exercise)?;
            if !comparisons.is_empty() {
                sections.push((exercise.name.to_owned(), comparisons));
            }
        }
        if sections.is_empty() && name.is_none() {
            let measurements = read_measurements(&criterion_home(workspace), None)?;
            sections.push(("saved results".to_owned(), compare(&measurements)));
        }
    } else {
        for exercise in &exercises {
            sections.push((exercise.name.to_owned(), run_exercise(workspace, exercise, quick, reference)?));
        }
    }
    if sections.iter().all(|(_, comparisons)| comparisons.is_empty()) {
        bail!("{} {NO_RESULTS}", criterion_home(workspace).display());
    }
    for (title, comparisons) in &sections {
        print_comparisons(title, comparisons);
    }
    println!("{}", legend(&criterion_home(workspace)));
    Ok(ExitCode::SUCCESS)
}

/// The comparisons of an exercise's last `kata bench` run, from the results
/// criterion saved (none when it was never benchmarked).
pub fn saved_comparisons(workspace: &Workspace, exercise: &Exercise) -> Result<Vec<Comparison>> {
    let by_exercise = load_index(workspace)?;
    let Some(directories) = by_exercise.get(exercise.name) else { return Ok(Vec::new()) };
    let measurements = read_measurements(&criterion_home(workspace), None)?;
    let own: Vec<Measurement> =
        measurements.into_iter().filter(|m| directories.contains(&m.directory)).collect();
    Ok(compare(&own))
}

/// Runs one exercise's benchmarks and returns this run's comparisons.
pub fn run_exercise(
    workspace: &Workspace,
    exercise: &Exercise,
    quick: bool,
    reference: bool,
) -> Result<Vec<Comparison>> {
    let executable = build(workspace, exercise, reference)?;
    let home = criterion_home(workspace);
    let bench = |extra: &[&str]| {
        let mut command = workspace.binary(&executable, &[]);
        command.env("CRITERION_HOME", &home).arg("--bench").args(extra);
        command
    };
    let listing = bench(&["--list"]).output().with_context(|| format!("listing {}", executable.display()))?;
    let count =
        String::from_utf8_lossy(&listing.stdout).lines().filter(|line| line.ends_with(": benchmark")).count();

    let started = SystemTime::now();
    let mut command = bench(if quick { &QUICK_ARGS } else { &[] });
    let mut child =
        command.stdout(Stdio::null()).stderr(Stdio::piped()).spawn().context("running the benchmarks")?;
    let progress = ProgressBar::new(u64::try_from(count).unwrap_or(0))
        .with_style(bar_style())
        .with_message(format!("benchmarking {}", exercise.name));
    let stderr = child.stderr.take().context("the benchmark's stderr")?;
    let reader = {
        let progress = progress.clone();
        thread::spawn(move || {
            let mut notes = String::new();
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if line.ends_with(": Analyzing") {
                    progress.inc(1);
                } else if line.starts_with("note:") || line.starts_with("error") || line.contains("panicked")
                {
                    notes.push_str(&line);
                    notes.push('\n');
                }
            }
            notes
        })
    };
    let status = child.wait().context("waiting for the benchmarks")?;
    progress.finish_and_clear();
    let notes = reader.join().unwrap_or_default();
    if !notes.is_empty() {
        eprintln!("{}", term::paint(NOTE, notes.trim_end()));
    }
    if !status.success() {
        bail!(
            "the benchmarks of `{}` failed ({status}); run `cargo bench --bench {}` to see why",
            exercise.name,
            exercise.name
        );
    }
    let measurements = read_measurements(&home, Some(started))?;
    let mut index = load_index(workspace)?;
    index.insert(exercise.name.to_owned(), measurements.iter().map(|m| m.directory.clone()).collect());
    save_index(workspace, &index)?;
    Ok(compare(&measurements))
}

/// Builds the benchmark executable of `exercise`.
fn build(workspace: &Workspace, exercise: &Exercise, reference: bool) -> Result<PathBuf> {
    let mut command = run::cargo();
    command.current_dir(workspace.root()).args([
        "bench",
        "--no-run",
        "--message-format=json-render-diagnostics",
        "--bench",
        exercise.name,
    ]);
    if reference {
        command.args(["--features", "reference"]);
    }
    if let Some(target) = workspace.target_override() {
        command.env("CARGO_TARGET_DIR", target);
    }
    let spinner = spinner(format!("compiling the benchmarks of {}", exercise.name));
    let output = command.output().context("running `cargo bench --no-run`")?;
    spinner.finish_and_clear();
    if !output.status.success() {
        eprintln!("{}", String::from_utf8_lossy(&output.stderr));
        bail!("the benchmarks of `{}` do not compile (cargo's errors are above)", exercise.name);
    }
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| serde_json::from_str::<Value>(line).ok())
        .filter(|message| message["target"]["name"] == exercise.name)
        .find_map(|message| message["executable"].as_str().map(PathBuf::from))
        .with_context(|| {
            format!("cargo built no benchmark called `{}` (benches/{}.rs)", exercise.name, exercise.name)
        })
}

/// Where criterion writes its results: for contained code, in its one
/// writable directory.
pub fn criterion_home(workspace: &Workspace) -> PathBuf {
    match workspace.sandbox() {
        Some(sandbox) => sandbox.scratch().join("criterion"),
        None => workspace.target_dir().join("criterion"),
    }
}

/// Every result under `home` (written at or after `since`, if given).
fn read_measurements(home: &Path, since: Option<SystemTime>) -> Result<Vec<Measurement>> {
    if !home.is_dir() {
        bail!("{} does not exist. {NO_RESULTS}", home.display());
    }
    let mut measurements = Vec::new();
    let mut pending = vec![home.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let entries = fs::read_dir(&dir).with_context(|| format!("reading {}", dir.display()))?;
        for entry in entries {
            let path = entry.with_context(|| format!("reading {}", dir.display()))?.path();
            if !path.is_dir() {
                continue;
            }
            if path.file_name().is_some_and(|name| name == "new") && path.join("estimates.json").is_file() {
                let fresh = since.is_none_or(|since| {
                    fs::metadata(path.join("estimates.json"))
                        .and_then(|meta| meta.modified())
                        .is_ok_and(|at| at >= since)
                });
                if fresh {
                    measurements.push(read_measurement(&path)?);
                }
            } else if path.file_name().is_none_or(|name| name != "base" && name != "report") {
                pending.push(path);
            }
        }
    }
    measurements
        .sort_by(|a, b| (&a.group, &a.size, &a.implementation).cmp(&(&b.group, &b.size, &b.implementation)));
    Ok(measurements)
}

/// Reads `new/benchmark.json` (the ID) and `new/estimates.json` (the times).
fn read_measurement(new_dir: &Path) -> Result<Measurement> {
    let read = |file: &str| -> Result<Value> {
        let path = new_dir.join(file);
        let text = fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
        serde_json::from_str(&text).with_context(|| format!("{} is not criterion's JSON", path.display()))
    };
    let id = read("benchmark.json")?;
    let estimates = read("estimates.json")?;
    let typical = if estimates["slope"].is_object() { &estimates["slope"] } else { &estimates["mean"] };
    let typical_ns = typical["point_estimate"]
        .as_f64()
        .with_context(|| format!("{} has no point estimate", new_dir.join("estimates.json").display()))?;
    let text = |key: &str| id[key].as_str().unwrap_or_default().to_owned();
    let (mut group, mut implementation, size) = (text("group_id"), text("function_id"), text("value_str"));
    if implementation.is_empty() {
        // `<group>/<implementation>` written as one group name: split it.
        if let Some((head, tail)) = group.rsplit_once('/') {
            (group, implementation) = (head.to_owned(), tail.to_owned());
        }
    }
    let directory = new_dir.parent().map(Path::to_path_buf).unwrap_or_default();
    Ok(Measurement { group, implementation, size, typical_ns, directory })
}

/// Groups measurements by question and size, with the candidate's ratios.
fn compare(measurements: &[Measurement]) -> Vec<Comparison> {
    let mut by_key: BTreeMap<(String, String), BTreeMap<String, f64>> = BTreeMap::new();
    for m in measurements {
        by_key
            .entry((m.group.clone(), m.size.clone()))
            .or_default()
            .insert(m.implementation.clone(), m.typical_ns);
    }
    let mut comparisons: Vec<Comparison> = by_key
        .into_iter()
        .map(|((group, size), times_ns)| Comparison::from_times(group, size, times_ns))
        .collect();
    // Sizes are numbers written as text: 384 before 1536.
    comparisons.sort_by(|a, b| {
        let size = |c: &Comparison| c.size.parse::<f64>().unwrap_or(f64::INFINITY);
        a.group.cmp(&b.group).then(size(a).total_cmp(&size(b))).then(a.size.cmp(&b.size))
    });
    comparisons
}

/// Prints one exercise's comparisons as a table.
pub fn print_comparisons(title: &str, comparisons: &[Comparison]) {
    println!("{}", term::paint(STRONG, title));
    if comparisons.is_empty() {
        println!("  {}", term::paint(DIM, "no benchmark results"));
        return;
    }
    let mut table = term::table([
        "benchmark",
        "reference",
        "candidate",
        "cand/ref",
        "cand/peer",
        "verdict",
        "others/ref",
    ]);
    for comparison in comparisons {
        let time =
            |name: &str| comparison.times_ns.get(name).map_or_else(|| "-".to_owned(), |ns| format_ns(*ns));
        let peers: Vec<String> =
            comparison.candidate_vs_peers.iter().map(|(peer, ratio)| format!("{peer} {ratio:.2}x")).collect();
        table.add_row([
            comparison.key(),
            time("reference"),
            time("candidate"),
            comparison.candidate_vs_reference.map_or_else(|| "-".to_owned(), |ratio| format!("{ratio:.2}x")),
            if peers.is_empty() { "-".to_owned() } else { peers.join(", ") },
            comparison.verdict.label().to_owned(),
            comparison
                .others_vs_reference
                .iter()
                .map(|(name, ratio)| format!("{name} {ratio:.2}x"))
                .collect::<Vec<_>>()
                .join(", "),
        ]);
    }
    println!("{table}");
    let verdicts: Vec<Verdict> = comparisons.iter().map(|c| c.verdict).collect();
    let summary = if verdicts.contains(&Verdict::Weak) {
        term::paint(BAD, "weak somewhere: see the rows above")
    } else if verdicts.iter().all(|v| *v == Verdict::NotMeasured) {
        term::paint(NOTE, "candidate not measured (a stub, or it panicked)")
    } else {
        term::paint(GOOD, "no weak row")
    };
    println!("  {summary}");
}

/// How to read the table, and where criterion's plots are.
fn legend(home: &Path) -> String {
    format!(
        "{}\nCriterion's HTML report, with plots: {}",
        term::paint(DIM, BANDS),
        home.join("report").join("index.html").display()
    )
}

/// A time in ns, in the unit that reads best.
pub fn format_ns(ns: f64) -> String {
    match ns {
        ns if ns < 1e3 => format!("{ns:.1} ns"),
        ns if ns < 1e6 => format!("{:.2} µs", ns / 1e3),
        ns if ns < 1e9 => format!("{:.2} ms", ns / 1e6),
        ns => format!("{:.2} s", ns / 1e9),
    }
}

/// Which result directories each exercise's last run wrote, by exercise.
type Index = BTreeMap<String, Vec<PathBuf>>;

/// The record of which result directories each exercise's last run wrote.
const INDEX: Record = Record { file: "benchmarks.json", what: "a benchmark index" };

fn load_index(workspace: &Workspace) -> Result<Index> {
    INDEX.load(workspace)
}

fn save_index(workspace: &Workspace, index: &Index) -> Result<()> {
    INDEX.save(workspace, index)
}

const NO_RESULTS: &str = "No criterion results found: `cargo kata bench [EXERCISE]` (or `cargo bench \
--bench EXERCISE`) produces them.";

const BANDS: &str = "Ratios are candidate time / other time (lower is faster). Verdict on cand/ref: \
strong <= 1.5x, acceptable <= 5x, weak above. The machine's noise is a few percent: compare runs \
made on one machine.";

#[cfg(test)]
mod tests {
    use super::*;

    fn measurement(implementation: &str, typical_ns: f64) -> Measurement {
        Measurement {
            group: "cosine".to_owned(),
            implementation: implementation.to_owned(),
            size: "384".to_owned(),
            typical_ns,
            directory: PathBuf::new(),
        }
    }

    #[test]
    fn ratios_and_verdicts() {
        let comparisons = compare(&[
            measurement("reference", 100.0),
            measurement("candidate", 300.0),
            measurement("peer:simsimd", 50.0),
            measurement("reference:avx2", 125.0),
            measurement("floor:stream once", 40.0),
            measurement("naive:concat + sort", 200.0),
        ]);
        assert_eq!(comparisons.len(), 1);
        let comparison = &comparisons[0];
        assert_eq!(comparison.candidate_vs_reference, Some(3.0));
        assert_eq!(comparison.candidate_vs_peers.get("peer:simsimd"), Some(&6.0));
        assert_eq!(
            comparison.candidate_vs_peers.len(),
            1,
            "a reference variant, a floor and a naive answer are no peers"
        );
        assert_eq!(comparison.others_vs_reference.get("reference:avx2"), Some(&1.25));
        assert_eq!(comparison.others_vs_reference.get("floor:stream once"), Some(&0.4));
        assert_eq!(comparison.verdict, Verdict::Acceptable);
        assert_eq!(comparison.key(), "cosine/384");
    }

    #[test]
    fn bands() {
        assert_eq!(Verdict::of(Some(1.5)), Verdict::Strong);
        assert_eq!(Verdict::of(Some(5.0)), Verdict::Acceptable);
        assert_eq!(Verdict::of(Some(5.1)), Verdict::Weak);
        assert_eq!(Verdict::of(None), Verdict::NotMeasured);
    }
}
