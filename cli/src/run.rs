//! Building and running the hidden tests under a time limit.
//!
//! Cargo builds the test binaries (`cargo test --no-run`); `kata` then runs
//! each binary itself, as its own child process, so that a run that does not
//! finish in time (an endless loop that escaped the per-test limits) is
//! killed outright instead of hanging the command.
//!
//! Verdicts never come from text the tested code can print. Each binary
//! first lists its tests (`--list --format terse`, which runs none of the
//! code under test), then runs with `--logfile FILE`: libtest itself writes
//! `ok NAME` / `failed NAME` there as each test ends. Standard output is
//! read only for the failure messages and the progress bar.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::{Duration, Instant};
use std::{fs, process};

use anyhow::{Context, Result, bail};
use indicatif::{ProgressBar, ProgressStyle};
use serde_json::Value;

use crate::args::Grading;
use crate::exercise::Exercise;
use crate::workspace::Workspace;

/// How often a running test binary is polled (for the time limit and Ctrl-C).
const POLL: Duration = Duration::from_millis(50);

/// The outcome of `cargo test --no-run`.
#[derive(Debug)]
pub enum Build {
    /// The test executable of each exercise, by exercise name.
    Built(HashMap<String, PathBuf>),
    /// The code does not compile.
    Failed(BuildFailure),
}

/// Why a build failed.
#[derive(Debug, Clone)]
pub struct BuildFailure {
    /// Everything the compiler and cargo said, rendered for people.
    pub diagnostics: String,
    /// Each error, in the compiler's order.
    pub errors: Vec<CompileError>,
}

/// One compiler error.
#[derive(Debug, Clone)]
pub struct CompileError {
    /// The file of its primary span, relative to the package's root
    /// (`src/cosine.rs` in `exercises`, `tests/cosine.rs` in `kata`), if any.
    pub file: Option<String>,
    /// The error as the compiler renders it.
    pub rendered: String,
}

/// Builds the hidden tests of `exercises` (against the reference solutions
/// when `reference`).
pub fn build_tests(workspace: &Workspace, exercises: &[&Exercise], reference: bool) -> Result<Build> {
    if exercises.is_empty() {
        return Ok(Build::Built(HashMap::new()));
    }
    let mut command = cargo();
    command.current_dir(workspace.root()).args(["test", "--no-run", "--message-format=json"]);
    for exercise in exercises {
        command.args(["--test", exercise.name]);
    }
    if reference {
        command.args(["--features", "reference"]);
    }
    if let Some(target) = workspace.target_override() {
        command.env("CARGO_TARGET_DIR", target);
    }
    let spinner = spinner(format!("compiling the tests of {}", names(exercises)));
    let output = command.output().context("running `cargo test --no-run` (is cargo installed?)")?;
    spinner.finish_and_clear();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let messages = stdout.lines().filter_map(|line| serde_json::from_str::<Value>(line).ok());
    if !output.status.success() {
        return Ok(Build::Failed(build_failure(messages, &String::from_utf8_lossy(&output.stderr))));
    }
    let mut executables = HashMap::new();
    for message in messages {
        let is_test =
            message["target"]["kind"].as_array().is_some_and(|kinds| kinds.iter().any(|kind| kind == "test"));
        if let (Some(name), Some(executable), true) =
            (message["target"]["name"].as_str(), message["executable"].as_str(), is_test)
        {
            executables.insert(name.to_owned(), PathBuf::from(executable));
        }
    }
    Ok(Build::Built(executables))
}

/// The compiler's messages (from `--message-format=json`) and cargo's own
/// stderr, as one failure.
fn build_failure(messages: impl Iterator<Item = Value>, stderr: &str) -> BuildFailure {
    let mut diagnostics = String::new();
    let mut errors = Vec::new();
    for message in messages.filter(|message| message["reason"] == "compiler-message") {
        let diagnostic = &message["message"];
        let rendered = diagnostic["rendered"].as_str().unwrap_or_default().to_owned();
        diagnostics.push_str(&rendered);
        if diagnostic["level"] == "error" {
            let file = diagnostic["spans"]
                .as_array()
                .and_then(|spans| spans.iter().find(|span| span["is_primary"] == true))
                .and_then(|span| span["file_name"].as_str())
                .map(str::to_owned);
            errors.push(CompileError { file, rendered });
        }
    }
    diagnostics.push_str(stderr);
    BuildFailure { diagnostics, errors }
}

/// How a test binary's run ended.
#[derive(Debug)]
pub enum Ending {
    /// It exited by itself, with this status.
    Exited(ExitStatus),
    /// It was killed at the time limit.
    TimedOut(Duration),
    /// It was killed because the user pressed Ctrl-C.
    Interrupted,
}

/// What a test binary printed, and how it ended.
#[derive(Debug)]
pub struct Run {
    /// The tests it holds, from its own list, before any ran.
    pub listed: Vec<String>,
    /// libtest's logfile: one `ok NAME`, `failed NAME` or `ignored NAME`
    /// line per test that ended.
    pub log: String,
    /// Its standard output: libtest's report (read for failure messages only).
    pub stdout: String,
    /// Its standard error.
    pub stderr: String,
    /// How it ended.
    pub ending: Ending,
}

/// The tests `executable` holds, by name, from its own list (no test runs).
pub fn list_tests(workspace: &Workspace, executable: &Path) -> Result<Vec<String>> {
    let output = workspace
        .binary(executable, &[])
        .args(["--list", "--format", "terse"])
        .env("CARGO_MANIFEST_DIR", workspace.root())
        .stdin(Stdio::null())
        .output()
        .with_context(|| format!("listing the tests of {}", executable.display()))?;
    if !output.status.success() {
        bail!(
            "{} could not list its tests ({}): {}",
            executable.display(),
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    Ok(String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| line.strip_suffix(": test"))
        .map(str::to_owned)
        .collect())
}

/// Runs one test binary from the root as `grading` says (`KATA_SEED`, the
/// time limit, one test only), killed as soon as
/// `interrupted` is set.
pub fn run_tests(
    workspace: &Workspace,
    exercise: &str,
    executable: &Path,
    grading: &Grading,
    interrupted: &AtomicBool,
) -> Result<Run> {
    let limit = Duration::from_secs(grading.timeout);
    let mut listed = list_tests(workspace, executable)?;
    let logfile = fresh_logfile(workspace, exercise)?;
    let mut command = workspace.binary(executable, &[&logfile]);
    if let Some(test) = &grading.only_test {
        listed.retain(|name| name == test);
        command.args(["--exact", test]);
    }
    command
        .arg("--logfile")
        .arg(&logfile)
        .env("CARGO_MANIFEST_DIR", workspace.root())
        // A crash (an abort) prints its message, not a backtrace of the harness.
        .env("RUST_BACKTRACE", "0")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if let Some(seed) = grading.seed {
        command.env(kata::seed::SEED_VARIABLE, seed.to_string());
    }
    let mut child = command.spawn().with_context(|| format!("running {}", executable.display()))?;

    let progress = spinner(format!("running the tests of {exercise}"));
    progress.set_length(u64::try_from(listed.len()).unwrap_or(0));
    progress.set_style(bar_style());
    let stdout = child.stdout.take().context("the test binary's stdout")?;
    let stdout_reader = {
        let progress = progress.clone();
        thread::spawn(move || read_libtest_output(stdout, &progress))
    };
    let mut stderr = child.stderr.take().context("the test binary's stderr")?;
    let stderr_reader = thread::spawn(move || {
        let mut text = String::new();
        // A read error only truncates what is shown: nothing to recover.
        let _ = stderr.read_to_string(&mut text);
        text
    });

    let started = Instant::now();
    let ending = loop {
        if let Some(status) = child.try_wait().context("waiting for the test binary")? {
            break Ending::Exited(status);
        }
        let stop = if interrupted.load(Ordering::SeqCst) {
            Some(Ending::Interrupted)
        } else if started.elapsed() >= limit {
            Some(Ending::TimedOut(limit))
        } else {
            None
        };
        if let Some(ending) = stop {
            // It may have exited just now: then there is nothing to kill.
            let _ = child.kill();
            child.wait().context("waiting for the killed test binary")?;
            break ending;
        }
        thread::sleep(POLL);
    };
    progress.finish_and_clear();
    let stdout = stdout_reader.join().unwrap_or_default();
    let stderr = stderr_reader.join().unwrap_or_default();
    let log = fs::read_to_string(&logfile).with_context(|| format!("reading {}", logfile.display()))?;
    // Only this run reads it; a file left behind is harmless.
    let _ = fs::remove_file(&logfile);
    Ok(Run { listed, log, stdout, stderr, ending })
}

/// An empty logfile for one run of `exercise`'s tests (it must exist before
/// the run: the sandbox binds it), named so that two `kata` processes never
/// share one.
fn fresh_logfile(workspace: &Workspace, exercise: &str) -> Result<PathBuf> {
    let dir = workspace.target_dir().join("kata-logs");
    fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let logfile = dir.join(format!("{exercise}-{}.log", process::id()));
    fs::write(&logfile, "").with_context(|| format!("creating {}", logfile.display()))?;
    Ok(logfile)
}

/// Reads libtest's output to the end, moving the progress bar at each test
/// (only the bar: verdicts come from the logfile).
fn read_libtest_output(stdout: impl Read, progress: &ProgressBar) -> String {
    let mut text = String::new();
    for line in BufReader::new(stdout).lines() {
        let Ok(line) = line else { break };
        if line.starts_with("test ") && (line.ends_with(" ok") || line.ends_with(" FAILED")) {
            progress.inc(1);
        }
        text.push_str(&line);
        text.push('\n');
    }
    text
}

/// Cargo, as the one that runs us (`cargo kata`) or from the PATH.
pub fn cargo() -> process::Command {
    process::Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
}

/// A spinner on stderr (hidden when stderr is not a terminal).
pub fn spinner(message: String) -> ProgressBar {
    let spinner = ProgressBar::new_spinner().with_message(message);
    spinner.enable_steady_tick(Duration::from_millis(100));
    spinner
}

/// The style of a progress bar with a known length.
pub fn bar_style() -> ProgressStyle {
    ProgressStyle::with_template("{spinner} {msg} [{bar:30}] {pos}/{len} ({elapsed})")
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> ")
}

/// "cosine, top_k".
fn names(exercises: &[&Exercise]) -> String {
    exercises.iter().map(|exercise| exercise.name).collect::<Vec<_>>().join(", ")
}
