//! `kata bench [EXERCISE] [--quick | --saved] [--repeat N]`: runs an
//! exercise's criterion benchmarks and rates the candidate against the
//! ladder (naive, plain, portable, reference) and the peers.
//!
//! Benchmark IDs follow `<group>/<implementation>/<size>`, where the
//! implementation declares its role ([`kata::bench::Role`]): `reference`,
//! `candidate`, `naive:...`, `plain:...`, `floor:...`, `peer:...` (a name
//! that declares no role is reported as such, never guessed to be a peer).
//! Times are criterion's typical estimate (the slope of the linear
//! regression, else the mean) from `target/criterion/**/new/estimates.json`.
//!
//! **The ladder.** Some rows are rungs ([`Rung`]): the naive answer, a
//! plain correct answer from `answers/`, the reference's portable path
//! (where it has SIMD kernels) and the reference. The candidate reaches a
//! rung when it is within [`REACHED_WITHIN`] of the rung's time; the
//! registry (`ladder.<rung>` in `exercises.toml`) says what the next rung
//! takes.
//!
//! **Verdicts** are the better of two ratings:
//! - on candidate time / reference time: `strong` at most [`STRONG_WITHIN`]
//!   (1.5x), `acceptable` at most [`ACCEPTABLE_WITHIN`] (5x), `weak` above;
//! - on the ladder: `strong` from the portable rung up, `acceptable` on the
//!   plain rung, `weak` below it;
//!
//! so a plain correct answer is never rated below `acceptable` and the
//! reference's own portable path is `strong`, whatever SIMD the machine
//! has. `not_measured`: no candidate time (a stub, or it panicked on the
//! probe), or nothing to rate it against.
//!
//! **Repeated runs** (`--repeat N`) run the whole benchmark N times, the
//! candidate beside the reference each time, and report the median ratio
//! and its range ([`Spread`]); a range wider than a band is no grade, and
//! the output says so.
//!
//! **Quick runs** (`--quick`) build without criterion's plots and without
//! the peer crates (the `quick` feature set of `kata-benches`), only the one
//! bench target, and measure for about a second per row.

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
use kata::bench::{Role, Rung};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::run::{self, bar_style, spinner};
use crate::term::{self, BAD, DIM, GOOD, NOTE, STRONG};
use crate::workspace::{self, Workspace};
use anstyle::Style;

/// The largest candidate/reference ratio rated `strong`.
pub const STRONG_WITHIN: f64 = 1.5;
/// The largest candidate/reference ratio rated `acceptable`.
pub const ACCEPTABLE_WITHIN: f64 = 5.0;
/// A rung is reached when candidate time / rung time is at most this: a
/// quick run's noise, so a candidate level with a rung is not denied it.
pub const REACHED_WITHIN: f64 = 1.2;

/// Whether an implementation is a peer crate (declared `peer:<crate>`).
fn is_peer(implementation: &str) -> bool {
    matches!(Role::parse(implementation), Some((Role::Peer, _)))
}

/// Criterion's arguments for `--quick`: short, noisier measurements, and a
/// tenth of the default 100,000 bootstrap resamples (the analysis of each
/// row took longer than its measurement).
const QUICK_ARGS: [&str; 8] =
    ["--warm-up-time", "0.5", "--measurement-time", "1", "--sample-size", "20", "--nresamples", "10000"];

/// How a candidate's speed compares with the reference and the ladder,
/// best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
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

    /// The band of a candidate that reached `rung` (none: below every rung).
    pub fn of_rung(rung: Option<Rung>) -> Verdict {
        match rung {
            Some(Rung::Reference | Rung::Portable) => Verdict::Strong,
            Some(Rung::Plain) => Verdict::Acceptable,
            Some(Rung::Naive) | None => Verdict::Weak,
        }
    }

    /// The verdict of a candidate: the better of its band on `ratio`
    /// (candidate / reference) and its band on the ladder, where it reached
    /// `rung`; `NotMeasured` when there is neither a ratio nor a ladder.
    pub fn rate(ratio: Option<f64>, ladder: &BTreeMap<String, f64>) -> Verdict {
        if ratio.is_none() && ladder.is_empty() {
            return Verdict::NotMeasured;
        }
        let on_ladder =
            if ladder.is_empty() { Verdict::NotMeasured } else { Verdict::of_rung(reached(ladder)) };
        Verdict::of(ratio).min(on_ladder)
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
    /// The candidate's rating ([`Verdict::rate`]): its band on
    /// `candidate_vs_reference` or on the ladder, whichever is better.
    pub verdict: Verdict,
    /// The range of `candidate_vs_reference` over repeated runs (`--repeat`);
    /// `None` for a single run.
    #[serde(default)]
    pub spread: Option<Spread>,
    /// Candidate time / rung time, by rung (`naive`, `plain`, `portable`,
    /// `reference`; the rungs this benchmark measures).
    #[serde(default)]
    pub ladder: BTreeMap<String, f64>,
}

/// The range of the candidate/reference ratio over repeated runs.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Spread {
    /// How many runs measured the ratio.
    pub runs: usize,
    /// The smallest ratio seen.
    pub min: f64,
    /// The largest ratio seen.
    pub max: f64,
}

impl Spread {
    /// The range of `ratios` (`None` when there are fewer than two).
    pub fn of(ratios: &[f64]) -> Option<Spread> {
        let min = ratios.iter().copied().reduce(f64::min)?;
        let max = ratios.iter().copied().reduce(f64::max)?;
        (ratios.len() > 1).then_some(Spread { runs: ratios.len(), min, max })
    }

    /// Whether the range is too wide to grade: its ends fall in different
    /// bands, or it spans more than the acceptable band's width
    /// (`ACCEPTABLE_WITHIN / STRONG_WITHIN`: 28x to 105x is all `weak`, and
    /// still no grade).
    pub fn wider_than_a_band(&self) -> bool {
        Verdict::of(Some(self.min)) != Verdict::of(Some(self.max))
            || self.max > self.min * (ACCEPTABLE_WITHIN / STRONG_WITHIN)
    }
}

/// The highest rung `ladder` (candidate / rung time, by rung) reaches.
pub fn reached(ladder: &BTreeMap<String, f64>) -> Option<Rung> {
    Rung::ALL
        .into_iter()
        .rev()
        .find(|rung| ladder.get(rung.label()).is_some_and(|&ratio| ratio <= REACHED_WITHIN))
}

/// The lowest rung of `ladder` above `reached` (the next one to climb).
pub fn next_rung(ladder: &BTreeMap<String, f64>, reached: Option<Rung>) -> Option<Rung> {
    Rung::ALL
        .into_iter()
        .filter(|rung| reached.is_none_or(|reached| *rung > reached))
        .find(|rung| ladder.contains_key(rung.label()))
}

impl Comparison {
    /// `group/size`, the benchmark's name without the implementation.
    pub fn key(&self) -> String {
        if self.size.is_empty() { self.group.clone() } else { format!("{}/{}", self.group, self.size) }
    }

    /// The comparison of one run's times: every ratio, the ladder, the
    /// verdict (`kata compare` recomputes them to check a report against
    /// itself).
    pub fn from_times(group: String, size: String, times_ns: BTreeMap<String, f64>) -> Comparison {
        let candidate = times_ns.get("candidate").copied();
        let reference = times_ns.get("reference").copied();
        let candidate_vs_reference = candidate.zip(reference).map(|(c, r)| c / r);
        let candidate_vs_peers = times_ns
            .iter()
            .filter(|(name, _)| is_peer(name))
            .filter_map(|(name, peer)| candidate.map(|c| (name.clone(), c / peer)))
            .collect();
        let others_vs_reference = match reference {
            Some(reference) => times_ns
                .iter()
                .filter(|(name, _)| !matches!(name.as_str(), "reference" | "candidate"))
                .map(|(name, time)| (name.clone(), time / reference))
                .collect(),
            None => BTreeMap::new(),
        };
        let ladder = candidate.map(|c| ladder_of(&times_ns, c)).unwrap_or_default();
        let verdict = if candidate.is_some() {
            Verdict::rate(candidate_vs_reference, &ladder)
        } else {
            Verdict::NotMeasured
        };
        Comparison {
            group,
            size,
            times_ns,
            candidate_vs_reference,
            candidate_vs_peers,
            others_vs_reference,
            verdict,
            spread: None,
            ladder,
        }
    }

    /// The rung the candidate reached, if any.
    pub fn reached(&self) -> Option<Rung> {
        reached(&self.ladder)
    }

    /// A plain correct answer's time / the reference's (the fastest `plain`
    /// row), and the verdict that answer gets here.
    pub fn plain_band(&self) -> Option<(f64, Verdict)> {
        let reference = self.times_ns.get("reference")?;
        let plain = self
            .times_ns
            .iter()
            .filter(|(name, _)| Rung::of(name) == Some(Rung::Plain))
            .map(|(_, time)| *time)
            .reduce(f64::min)?;
        let ratio = plain / reference;
        let ladder = ladder_of(&self.times_ns, plain);
        Some((ratio, Verdict::rate(Some(ratio), &ladder)))
    }
}

/// Candidate time / rung time for every rung in `times_ns` (the fastest row
/// of a rung that has several, such as two naive answers); empty when the
/// reference is the only rung (that is `candidate_vs_reference` alone).
fn ladder_of(times_ns: &BTreeMap<String, f64>, candidate: f64) -> BTreeMap<String, f64> {
    let mut rungs: BTreeMap<Rung, f64> = BTreeMap::new();
    for (name, &time) in times_ns {
        if let Some(rung) = Rung::of(name) {
            rungs.entry(rung).and_modify(|fastest| *fastest = fastest.min(time)).or_insert(time);
        }
    }
    if rungs.keys().all(|rung| *rung == Rung::Reference) {
        return BTreeMap::new();
    }
    rungs.into_iter().map(|(rung, time)| (rung.label().to_owned(), candidate / time)).collect()
}

/// The rung `ladder` reaches, for people: `plain`, or `below naive` (below
/// its lowest rung).
fn reached_label(ladder: &BTreeMap<String, f64>) -> String {
    match reached(ladder) {
        Some(rung) => rung.label().to_owned(),
        None => {
            let lowest = Rung::ALL.into_iter().find(|rung| ladder.contains_key(rung.label()));
            format!("below {}", lowest.map_or("every rung", Rung::label))
        }
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

/// How to run the benchmarks: `--quick`, `--repeat N`, `--reference`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Plan {
    /// Short measurements, a light build (no plots, no peer crates).
    pub quick: bool,
    /// How many times to run the whole benchmark (at least 1).
    pub repeat: usize,
    /// Benchmark the reference in the candidate's place.
    pub reference: bool,
}

impl Plan {
    /// For people: "quick, 3 runs".
    pub fn describe(&self) -> String {
        let length = if self.quick { "quick (about 1 s per row, noisier)" } else { "full" };
        match self.repeat {
            0 | 1 => format!("{length}, 1 run"),
            runs => format!("{length}, {runs} runs, interleaved"),
        }
    }
}

/// `kata bench`.
pub fn run(workspace: &Workspace, name: Option<&str>, plan: Option<&Plan>) -> Result<ExitCode> {
    let exercises = workspace::selection(name)?;
    let mut sections = Vec::new();
    if let Some(plan) = plan {
        println!("{}", term::paint(DIM, format!("benchmarks: {}", plan.describe())));
        for exercise in &exercises {
            sections.push((exercise.name.to_owned(), run_exercise(workspace, exercise, plan)?));
        }
    } else {
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
    }
    if sections.iter().all(|(_, comparisons)| comparisons.is_empty()) {
        bail!("{} {NO_RESULTS}", criterion_home(workspace).display());
    }
    for (title, comparisons) in &sections {
        print_comparisons(title, comparisons);
    }
    println!("{}", legend(&criterion_home(workspace), plan.is_some_and(|plan| plan.quick)));
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

/// Runs one exercise's benchmarks `plan.repeat` times and returns the
/// comparisons (with their spread when repeated).
pub fn run_exercise(workspace: &Workspace, exercise: &Exercise, plan: &Plan) -> Result<Vec<Comparison>> {
    let executable = build(workspace, exercise, plan)?;
    let home = criterion_home(workspace);
    let bench = |extra: &[&str]| {
        let mut command = workspace.binary(&executable, &[]);
        command.env("CRITERION_HOME", &home).arg("--bench").args(extra);
        command
    };
    let listing = bench(&["--list"]).output().with_context(|| format!("listing {}", executable.display()))?;
    let count =
        String::from_utf8_lossy(&listing.stdout).lines().filter(|line| line.ends_with(": benchmark")).count();
    let runs = plan.repeat.max(1);
    let mut results = Vec::with_capacity(runs);
    for run in 1..=runs {
        let message = if runs == 1 {
            format!("benchmarking {}", exercise.name)
        } else {
            format!("benchmarking {} (run {run} of {runs})", exercise.name)
        };
        let started = SystemTime::now();
        run_once(bench(if plan.quick { &QUICK_ARGS } else { &[] }), exercise, count, message)?;
        results.push(read_measurements(&home, Some(started))?);
    }
    let mut index = load_index(workspace)?;
    let last = results.last().map(|measurements| measurements.iter().map(|m| m.directory.clone()).collect());
    index.insert(exercise.name.to_owned(), last.unwrap_or_default());
    save_index(workspace, &index)?;
    let comparisons: Vec<Vec<Comparison>> =
        results.iter().map(|measurements| compare(measurements)).collect();
    Ok(combine(&comparisons))
}

/// Runs the benchmark executable once, with a progress bar over its
/// `count` benchmarks; its notes (a skipped candidate) go to stderr.
fn run_once(
    mut command: std::process::Command,
    exercise: &Exercise,
    count: usize,
    message: String,
) -> Result<()> {
    let mut child =
        command.stdout(Stdio::null()).stderr(Stdio::piped()).spawn().context("running the benchmarks")?;
    let progress =
        ProgressBar::new(u64::try_from(count).unwrap_or(0)).with_style(bar_style()).with_message(message);
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
    Ok(())
}

/// One comparison per benchmark from repeated runs of it: the median time
/// of each implementation, the median candidate/reference ratio and its
/// range. A single run is returned as it is.
fn combine(runs: &[Vec<Comparison>]) -> Vec<Comparison> {
    if let [single] = runs {
        return single.clone();
    }
    let mut by_key: BTreeMap<(String, String), Vec<&Comparison>> = BTreeMap::new();
    for comparison in runs.iter().flatten() {
        by_key.entry((comparison.group.clone(), comparison.size.clone())).or_default().push(comparison);
    }
    let mut combined: Vec<Comparison> = by_key
        .into_iter()
        .map(|((group, size), seen)| {
            let mut times: BTreeMap<String, Vec<f64>> = BTreeMap::new();
            for comparison in &seen {
                for (name, time) in &comparison.times_ns {
                    times.entry(name.clone()).or_default().push(*time);
                }
            }
            let times_ns =
                times.into_iter().filter_map(|(name, times)| Some((name, median(times)?))).collect();
            let mut comparison = Comparison::from_times(group, size, times_ns);
            // Ratios are medians of each run's ratios, so that the ladder's
            // reference rung and cand/ref agree.
            let mut ladders: BTreeMap<String, Vec<f64>> = BTreeMap::new();
            for (rung, ratio) in seen.iter().flat_map(|c| &c.ladder) {
                ladders.entry(rung.clone()).or_default().push(*ratio);
            }
            comparison.ladder =
                ladders.into_iter().filter_map(|(rung, ratios)| Some((rung, median(ratios)?))).collect();
            let ratios: Vec<f64> = seen.iter().filter_map(|c| c.candidate_vs_reference).collect();
            if let Some(ratio) = median(ratios.clone()) {
                comparison.candidate_vs_reference = Some(ratio);
                comparison.verdict = Verdict::rate(Some(ratio), &comparison.ladder);
            }
            comparison.spread = Spread::of(&ratios);
            comparison
        })
        .collect();
    sort_comparisons(&mut combined);
    combined
}

/// The median of `values` (the mean of the middle two for an even count).
fn median(mut values: Vec<f64>) -> Option<f64> {
    values.sort_by(f64::total_cmp);
    let middle = values.len() / 2;
    match values.len() {
        0 => None,
        n if n % 2 == 1 => Some(values[middle]),
        _ => Some((values[middle - 1] + values[middle]) / 2.0),
    }
}

/// The features of `kata-benches` a run builds with: the reference's rows
/// where the kit has the reference; a quick run leaves out criterion's plots
/// and the peer crates (`full`), which are most of what a first build
/// compiles.
fn features(plan: &Plan, has_reference: bool) -> Vec<&'static str> {
    let mut features = Vec::new();
    if has_reference {
        features.push("with-reference");
    }
    if !plan.quick {
        features.push("full");
    }
    if plan.reference {
        features.push("reference");
    }
    features
}

/// Builds the benchmark executable of `exercise` (that one bench target and
/// what it needs), saying how long a first build takes before it starts.
fn build(workspace: &Workspace, exercise: &Exercise, plan: &Plan) -> Result<PathBuf> {
    let mut command = run::cargo();
    command.current_dir(workspace.root()).args([
        "bench",
        "--no-run",
        "--message-format=json-render-diagnostics",
        "--package",
        "kata-benches",
        "--no-default-features",
        "--bench",
        exercise.name,
    ]);
    let features = features(plan, workspace.path("solutions/src/lib.rs").is_file());
    if !features.is_empty() {
        command.args(["--features", &features.join(",")]);
    }
    let builds = load_builds(workspace)?;
    let mode = if plan.quick { "quick" } else { "full" };
    let message = match builds.get(mode) {
        Some(seconds) => format!(
            "compiling the benchmarks of {} (up to date in seconds; a rebuild took {seconds:.0} s here)",
            exercise.name
        ),
        None => format!(
            "compiling the benchmarks of {}: a first {mode} build compiles criterion{} ({}); later runs reuse it",
            exercise.name,
            if plan.quick { "" } else { ", its plots and the peer crates" },
            if plan.quick { FIRST_QUICK_BUILD } else { FIRST_FULL_BUILD },
        ),
    };
    if !builds.contains_key(mode) {
        eprintln!("{}", term::paint(NOTE, &message));
    }
    if let Some(target) = workspace.target_override() {
        command.env("CARGO_TARGET_DIR", target);
    }
    let spinner = spinner(message);
    let started = std::time::Instant::now();
    let output = command.output().context("running `cargo bench --no-run`")?;
    spinner.finish_and_clear();
    if !output.status.success() {
        eprintln!("{}", String::from_utf8_lossy(&output.stderr));
        bail!("the benchmarks of `{}` do not compile (cargo's errors are above)", exercise.name);
    }
    let messages: Vec<Value> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| serde_json::from_str(line).ok())
        .collect();
    let compiled = messages.iter().any(|message| message["fresh"] == false);
    if compiled || !builds.contains_key(mode) {
        let mut builds = builds;
        builds.insert(mode.to_owned(), started.elapsed().as_secs_f64());
        save_builds(workspace, &builds)?;
    }
    messages
        .iter()
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
    sort_comparisons(&mut comparisons);
    comparisons
}

/// Orders comparisons by question, then size; sizes are numbers written as
/// text: 384 before 1536.
fn sort_comparisons(comparisons: &mut [Comparison]) {
    comparisons.sort_by(|a, b| {
        let size = |c: &Comparison| c.size.parse::<f64>().unwrap_or(f64::INFINITY);
        a.group.cmp(&b.group).then(size(a).total_cmp(&size(b))).then(a.size.cmp(&b.size))
    });
}

/// Prints one exercise's comparisons as a table, then where the candidate
/// stands on the ladder and what the next rung takes.
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
        "rung",
        "verdict",
        "cand/peer",
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
            ratio_cell(comparison),
            rung_cell(comparison),
            comparison.verdict.label().to_owned(),
            if peers.is_empty() { "-".to_owned() } else { peers.join(", ") },
            comparison
                .others_vs_reference
                .iter()
                .map(|(name, ratio)| format!("{name} {ratio:.2}x"))
                .collect::<Vec<_>>()
                .join(", "),
        ]);
    }
    println!("{table}");
    let width = usize::from(term::width()).saturating_sub(4).max(20);
    for (style, line) in ladder_lines(crate::exercise::find(title), comparisons) {
        for (index, piece) in term::wrap(&line, width).iter().enumerate() {
            let indent = if index == 0 { "  " } else { "    " };
            println!("{indent}{}", term::paint(style, piece));
        }
    }
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

/// `3.10x`, with the range of repeated runs below it: `2.95-3.40 (5 runs)`.
fn ratio_cell(comparison: &Comparison) -> String {
    match (comparison.candidate_vs_reference, comparison.spread) {
        (None, _) => "-".to_owned(),
        (Some(ratio), None) => format!("{ratio:.2}x"),
        (Some(ratio), Some(spread)) => {
            format!("{ratio:.2}x\n{:.2}-{:.2}\n({} runs)", spread.min, spread.max, spread.runs)
        }
    }
}

/// The rung the candidate reached (`-` without a ladder).
fn rung_cell(comparison: &Comparison) -> String {
    if comparison.ladder.is_empty() { "-".to_owned() } else { reached_label(&comparison.ladder) }
}

/// A row's ladder: `cosine/384: naive 0.40x, plain 0.95x, portable 3.10x`.
fn ladder_line(comparison: &Comparison) -> String {
    let rungs: Vec<String> = Rung::ALL
        .into_iter()
        .filter_map(|rung| {
            comparison.ladder.get(rung.label()).map(|ratio| format!("{} {ratio:.2}x", rung.label()))
        })
        .collect();
    format!("{}: {}", comparison.key(), rungs.join(", "))
}

/// What the table means for the candidate: where a plain correct answer
/// lands, the next rung and what it takes (the registry's `ladder.<rung>`),
/// and any spread too wide to grade.
fn ladder_lines(exercise: Option<&Exercise>, comparisons: &[Comparison]) -> Vec<(Style, String)> {
    let mut lines = Vec::new();
    let ladders: Vec<String> = comparisons.iter().filter(|c| !c.ladder.is_empty()).map(ladder_line).collect();
    if !ladders.is_empty() {
        lines.push((DIM, format!("ladder, candidate / rung (reached within 1.2x): {}", ladders.join("; "))));
    }
    let plain: Vec<String> = comparisons
        .iter()
        .filter_map(|c| {
            c.plain_band().map(|(ratio, verdict)| format!("{} {ratio:.2}x, {}", c.key(), verdict.label()))
        })
        .collect();
    if !plain.is_empty() {
        lines.push((DIM, format!("a plain correct answer (`plain`) vs the reference: {}", plain.join("; "))));
    }
    // The next rung of the row where the candidate stands lowest.
    let lowest = comparisons.iter().filter(|c| !c.ladder.is_empty()).min_by_key(|c| c.reached());
    if let Some(comparison) = lowest {
        let reached = comparison.reached();
        let line = match next_rung(&comparison.ladder, reached) {
            Some(next) => {
                let advice = exercise.and_then(|exercise| exercise.ladder_advice(next.label()));
                (
                    NOTE,
                    format!(
                        "next rung: {} (now {} at {}){}",
                        next.label(),
                        reached_label(&comparison.ladder),
                        comparison.key(),
                        advice.map_or_else(String::new, |advice| format!(". {advice}")),
                    ),
                )
            }
            None => (GOOD, "top rung reached on every row: level with the reference".to_owned()),
        };
        lines.push(line);
    }
    for comparison in comparisons {
        if let Some(spread) = comparison.spread.filter(Spread::wider_than_a_band) {
            lines.push((
                BAD,
                format!(
                    "{}: cand/ref ranged {:.2}x to {:.2}x over {} runs, wider than a band: no grade. {WIDE_SPREAD}",
                    comparison.key(),
                    spread.min,
                    spread.max,
                    spread.runs
                ),
            ));
        }
    }
    lines
}

/// How to read the table, and where criterion's plots are.
fn legend(home: &Path, quick: bool) -> String {
    let plots = if quick {
        "Quick runs draw no plots: a full `kata bench` writes criterion's HTML report.".to_owned()
    } else {
        format!("Criterion's HTML report, with plots: {}", home.join("report").join("index.html").display())
    };
    format!("{}\n{plots}", term::paint(DIM, BANDS))
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

/// How long the last build of the benchmarks took, in seconds, by mode
/// (`quick`, `full`): no entry means the next build of that mode is a first one.
type Builds = BTreeMap<String, f64>;

/// The record of past benchmark builds.
const BUILDS: Record = Record { file: "bench-builds.json", what: "a record of benchmark builds" };

fn load_builds(workspace: &Workspace) -> Result<Builds> {
    BUILDS.load(workspace)
}

fn save_builds(workspace: &Workspace, builds: &Builds) -> Result<()> {
    BUILDS.save(workspace, builds)
}

/// What a first quick build costs, measured (README, "Benchmarks").
const FIRST_QUICK_BUILD: &str = "98 crates: 36 s on a quiet 2-core machine, 13 minutes at load 19";

/// What a first full build costs, measured (README, "Benchmarks").
const FIRST_FULL_BUILD: &str = "152 crates: 10 minutes measured on a busy 2-core machine, load 6 to 21";

const NO_RESULTS: &str = "No criterion results found: `cargo kata bench [EXERCISE]` (or `cargo bench \
--bench EXERCISE`) produces them.";

const BANDS: &str = "Ratios are candidate time / other time (lower is faster). A rung is reached \
within 1.2x of its time. Verdict, the better of: cand/ref strong <= 1.5x, acceptable <= 5x, weak \
above; the ladder strong from `portable` up, acceptable on `plain`, weak below. Compare runs made \
on one machine; `--repeat N` measures the spread.";

const WIDE_SPREAD: &str = "Close other programs, or use a quieter machine, and repeat with a larger \
`--repeat`.";

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

    fn ladder_case(candidate: f64) -> Comparison {
        let mut rows = vec![
            measurement("reference", 100.0),
            measurement("reference:portable", 800.0),
            measurement("reference:avx2", 120.0),
            measurement("plain:f64 sums", 2_000.0),
            measurement("naive:iterators", 3_000.0),
            measurement("naive:loop", 2_500.0),
        ];
        rows.push(measurement("candidate", candidate));
        compare(&rows).remove(0)
    }

    #[test]
    fn the_ladder_holds_every_rung_and_the_fastest_naive_row() {
        let comparison = ladder_case(850.0);
        let rung = |name: &str| comparison.ladder.get(name).copied();
        assert_eq!(rung("reference"), Some(8.5));
        assert_eq!(rung("portable"), Some(850.0 / 800.0));
        assert_eq!(rung("plain"), Some(850.0 / 2_000.0));
        assert_eq!(rung("naive"), Some(850.0 / 2_500.0), "the fastest naive row is the naive rung");
        assert_eq!(comparison.ladder.len(), 4, "reference:avx2 is no rung");
    }

    #[test]
    fn a_candidate_on_the_portable_rung_is_strong_however_far_the_simd_reference_is() {
        let comparison = ladder_case(850.0);
        assert_eq!(Verdict::of(comparison.candidate_vs_reference), Verdict::Weak, "8.5x the reference");
        assert_eq!(comparison.reached(), Some(Rung::Portable));
        assert_eq!(comparison.verdict, Verdict::Strong);
        assert_eq!(next_rung(&comparison.ladder, comparison.reached()), Some(Rung::Reference));
    }

    #[test]
    fn a_plain_correct_answer_is_acceptable_and_below_it_is_weak() {
        let plain = ladder_case(2_100.0);
        assert_eq!(plain.reached(), Some(Rung::Plain), "within 1.2x of the plain rung");
        assert_eq!(plain.verdict, Verdict::Acceptable);
        assert_eq!(next_rung(&plain.ladder, plain.reached()), Some(Rung::Portable));
        let naive = ladder_case(2_600.0);
        assert_eq!(naive.reached(), Some(Rung::Naive));
        assert_eq!(naive.verdict, Verdict::Weak);
        let slower = ladder_case(10_000.0);
        assert_eq!(slower.reached(), None);
        assert_eq!(next_rung(&slower.ladder, None), Some(Rung::Naive));
        assert_eq!(plain.plain_band(), Some((20.0, Verdict::Acceptable)), "where a plain answer lands");
    }

    #[test]
    fn the_band_on_the_reference_still_counts_where_the_ladder_is_short() {
        // No portable rung (no SIMD reference): 1.4x the reference is strong.
        let comparison = compare(&[
            measurement("reference", 100.0),
            measurement("plain:token spans", 300.0),
            measurement("candidate", 140.0),
        ])
        .remove(0);
        assert_eq!(comparison.reached(), Some(Rung::Plain));
        assert_eq!(comparison.verdict, Verdict::Strong);
        assert_eq!(Verdict::rate(None, &BTreeMap::new()), Verdict::NotMeasured);
    }

    #[test]
    fn a_spread_wider_than_a_band_is_no_grade() {
        let wide = Spread::of(&[28.0, 105.0, 50.0]);
        assert_eq!(wide, Some(Spread { runs: 3, min: 28.0, max: 105.0 }));
        assert!(wide.is_some_and(|spread| spread.wider_than_a_band()), "all weak, yet 3.75x apart");
        assert!(
            Spread::of(&[1.4, 1.6]).is_some_and(|spread| spread.wider_than_a_band()),
            "strong or acceptable"
        );
        assert!(Spread::of(&[2.0, 2.4, 2.2]).is_some_and(|spread| !spread.wider_than_a_band()));
        assert_eq!(Spread::of(&[3.0]), None, "one run has no spread");
    }

    #[test]
    fn repeated_runs_report_the_median_ratio_and_its_range() {
        let run =
            |candidate: f64| compare(&[measurement("reference", 100.0), measurement("candidate", candidate)]);
        let combined = combine(&[run(300.0), run(900.0), run(400.0)]);
        assert_eq!(combined.len(), 1);
        let comparison = &combined[0];
        assert_eq!(comparison.candidate_vs_reference, Some(4.0));
        assert_eq!(comparison.spread, Some(Spread { runs: 3, min: 3.0, max: 9.0 }));
        assert_eq!(comparison.times_ns.get("candidate"), Some(&400.0));
        assert_eq!(comparison.verdict, Verdict::Acceptable);
        assert_eq!(combine(&[run(300.0)])[0].spread, None);
        let laddered = |candidate: f64| {
            compare(&[
                measurement("reference", 100.0),
                measurement("plain:loop", 400.0),
                measurement("candidate", candidate),
            ])
        };
        let combined = combine(&[laddered(300.0), laddered(900.0), laddered(400.0)]);
        assert_eq!(combined[0].ladder.get("reference"), combined[0].candidate_vs_reference.as_ref());
        assert_eq!(combined[0].ladder.get("plain"), Some(&1.0), "the median of 0.75, 2.25 and 1.0");
        assert_eq!(combined[0].verdict, Verdict::Acceptable);
        assert_eq!(median(vec![4.0, 1.0, 3.0, 2.0]), Some(2.5));
        assert_eq!(median(Vec::new()), None);
    }

    #[test]
    fn quick_runs_leave_out_the_plots_and_the_peers() {
        let quick = Plan { quick: true, repeat: 1, reference: false };
        assert_eq!(features(&quick, true), ["with-reference"]);
        let full = Plan { quick: false, repeat: 3, reference: true };
        assert_eq!(features(&full, true), ["with-reference", "full", "reference"]);
        assert_eq!(features(&full, false), ["full", "reference"], "a kit without the reference");
    }

    #[test]
    fn bands() {
        assert_eq!(Verdict::of(Some(1.5)), Verdict::Strong);
        assert_eq!(Verdict::of(Some(5.0)), Verdict::Acceptable);
        assert_eq!(Verdict::of(Some(5.1)), Verdict::Weak);
        assert_eq!(Verdict::of(None), Verdict::NotMeasured);
    }
}
