//! Interview mode: a timer per exercise, kept in `.kata/timers.json`.
//!
//! `kata start` records when an exercise was started and its time budget;
//! the first `kata check` (or `list`, `watch`, `report`) that sees it pass
//! records when it first passed. Times are Unix seconds.

use std::collections::BTreeMap;
use std::process::ExitCode;
use std::time::{SystemTime, UNIX_EPOCH};

use anstream::println;
use anyhow::Result;
use serde::{Deserialize, Serialize};

use crate::state::Record;
use crate::term::{self, NOTE, STRONG};
use crate::workspace::{self, Workspace};

/// One exercise's timer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimerRecord {
    /// When `kata start` was run (Unix seconds).
    pub started_at: u64,
    /// The time budget in minutes.
    pub minutes: u64,
    /// When the exercise first passed every test after the start, if it has.
    pub first_passed_at: Option<u64>,
}

impl TimerRecord {
    /// "12m 30s of 45m", "passed after 31m 02s", or "over time by 3m 00s".
    pub fn describe(&self, now: u64) -> String {
        let budget = self.minutes * 60;
        match self.first_passed_at {
            Some(passed) => {
                format!("passed after {}", term::duration(passed.saturating_sub(self.started_at)))
            }
            None => {
                let elapsed = now.saturating_sub(self.started_at);
                if elapsed <= budget {
                    format!("{} of {}", term::duration(elapsed), term::duration(budget))
                } else {
                    format!("over time by {}", term::duration(elapsed - budget))
                }
            }
        }
    }
}

/// Every timer, by exercise name.
pub type Timers = BTreeMap<String, TimerRecord>;

/// `kata start EXERCISE --minutes M`.
pub fn start(workspace: &Workspace, name: &str, minutes: u64) -> Result<ExitCode> {
    let exercise = workspace::exercise(name)?;
    let current = std::fs::read_to_string(workspace.path(exercise.stub_path())).ok();
    if current.as_deref().is_some_and(|code| code != exercise.stub) {
        println!(
            "{} {} is not the shipped stub: code is there already, so the first `kata check` may pass at \
             once. For a fair clock, `cargo kata reset {}` first.",
            term::paint(NOTE, "Note:"),
            exercise.stub_path(),
            exercise.name
        );
    }
    let mut timers = load(workspace)?;
    let restarted = timers.contains_key(exercise.name);
    timers
        .insert(exercise.name.to_owned(), TimerRecord { started_at: now(), minutes, first_passed_at: None });
    save(workspace, &timers)?;
    println!(
        "{} {} with {minutes} minutes on the clock.\nOpen {} and read its doc comment; grade with `cargo kata check {}`.",
        if restarted { "Restarted" } else { "Started" },
        term::paint(STRONG, exercise.name),
        exercise.stub_path(),
        exercise.name
    );
    Ok(ExitCode::SUCCESS)
}

/// Records `now` as the first pass of each of `passing` that has a running timer.
pub fn record_passes(workspace: &Workspace, passing: &[&str]) -> Result<()> {
    let mut timers = load(workspace)?;
    let mut changed = false;
    for name in passing {
        if let Some(record) = timers.get_mut(*name).filter(|record| record.first_passed_at.is_none()) {
            record.first_passed_at = Some(now());
            changed = true;
        }
    }
    if changed {
        save(workspace, &timers)?;
    }
    Ok(())
}

/// The timers on record (none when no exercise was started).
pub fn load(workspace: &Workspace) -> Result<Timers> {
    RECORD.load(workspace)
}

fn save(workspace: &Workspace, timers: &Timers) -> Result<()> {
    RECORD.save(workspace, timers)
}

/// The interview timers.
const RECORD: Record = Record { file: "timers.json", what: "a timer file" };

/// The current time in Unix seconds.
pub fn now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |since| since.as_secs())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn describes_running_passed_and_late_timers() {
        let mut record = TimerRecord { started_at: 1000, minutes: 45, first_passed_at: None };
        assert_eq!(record.describe(1000 + 750), "12m 30s of 45m 00s");
        assert_eq!(record.describe(1000 + 48 * 60), "over time by 3m 00s");
        record.first_passed_at = Some(1000 + 31 * 60 + 2);
        assert_eq!(record.describe(99_999), "passed after 31m 02s");
    }
}
