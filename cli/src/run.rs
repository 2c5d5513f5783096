//! Building and running the hidden tests under a time limit.
//!
//! Cargo builds the test binaries (`cargo test --no-run`); `kata` then runs
//! each binary itself, as its own child process, so that a run that does not
//! finish in time (an endless loop that escaped the per-test limits) is
//! killed outright instead of hanging the command.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
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
    /// The code does not compile: cargo's diagnostics.
    Failed(String),
}

/// Builds the hidden tests of `exercises` (against the reference solutions
/// when `reference`).
pub fn build_tests(workspace: &Workspace, exercises: &[&Exercise], reference: bool) -> Result<Build> {
    if exercises.is_empty() {
        return Ok(Build::Built(HashMap::new()));
    }
    let mut command = cargo();
    command.current_dir(workspace.root()).args([
        "test",
        "--no-run",
        "--message-format=json-render-diagnostics",
    ]);
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
    if !output.status.success() {
        return Ok(Build::Failed(String::from_utf8_lossy(&output.stderr).into_owned()));
    }
    let mut executables = HashMap::new();
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let Ok(message) = serde_json::from_str::<Value>(line) else { continue };
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

/// How a test binary's run ended.
#[derive(Debug)]
pub enum Ending {
    /// It exited by itself.
    Exited,
    /// It was killed at the time limit.
    TimedOut(Duration),
    /// It was killed because the user pressed Ctrl-C.
    Interrupted,
    /// It was killed at its first failed test, as asked.
    StoppedAtFailure,
}

/// What a test binary printed, and how it ended.
#[derive(Debug)]
pub struct Run {
    /// Its standard output: libtest's report.
    pub stdout: String,
    /// Its standard error.
    pub stderr: String,
    /// How it ended.
    pub ending: Ending,
}

/// Runs one test binary from the root as `grading` says (`KATA_SEED`, the
/// time limit, one test only, stop at the first failure), killed as soon as
/// `interrupted` is set.
pub fn run_tests(
    workspace: &Workspace,
    exercise: &str,
    executable: &PathBuf,
    grading: &Grading,
    interrupted: &AtomicBool,
) -> Result<Run> {
    let limit = Duration::from_secs(grading.timeout);
    let mut command = Command::new(executable);
    if let Some(test) = &grading.only_test {
        command.args(["--exact", test]);
    }
    command
        .current_dir(workspace.root())
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
    let stdout = child.stdout.take().context("the test binary's stdout")?;
    let failed = Arc::new(AtomicBool::new(false));
    let stdout_reader = {
        let progress = progress.clone();
        let failed = Arc::clone(&failed);
        thread::spawn(move || read_libtest_output(stdout, &progress, &failed))
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
        if child.try_wait().context("waiting for the test binary")?.is_some() {
            break Ending::Exited;
        }
        let stop = if interrupted.load(Ordering::SeqCst) {
            Some(Ending::Interrupted)
        } else if grading.stop_at_first_failure && failed.load(Ordering::SeqCst) {
            Some(Ending::StoppedAtFailure)
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
    Ok(Run { stdout, stderr, ending })
}

/// Reads libtest's output to the end, moving the progress bar at each test
/// and raising `failed` at the first failed one.
fn read_libtest_output(stdout: impl Read, progress: &ProgressBar, failed: &AtomicBool) -> String {
    let mut text = String::new();
    for line in BufReader::new(stdout).lines() {
        let Ok(line) = line else { break };
        if let Some(count) = line.strip_prefix("running ").and_then(|rest| rest.split(' ').next()) {
            if let Ok(count) = count.parse() {
                progress.set_length(count);
                progress.set_style(bar_style());
            }
        } else if line.starts_with("test ") && (line.ends_with(" ok") || line.ends_with(" FAILED")) {
            progress.inc(1);
            if line.ends_with(" FAILED") {
                failed.store(true, Ordering::SeqCst);
            }
        }
        text.push_str(&line);
        text.push('\n');
    }
    text
}

/// Cargo, as the one that runs us (`cargo kata`) or from the PATH.
pub fn cargo() -> Command {
    Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
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
