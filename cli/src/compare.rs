//! `kata compare A.json B.json ...`: candidates side by side, per exercise
//! and per benchmark ratio, from reports written by `kata report`.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::process::ExitCode;

use anstream::println;
use anyhow::Result;

use crate::report::{self, Report};
use crate::term::{self, NOTE, STRONG};

/// `kata compare`.
pub fn run(paths: &[PathBuf]) -> Result<ExitCode> {
    let reports: Vec<Report> = paths.iter().map(report::read).collect::<Result<_>>()?;
    let labels = labels(paths);

    let mut header = vec!["exercise".to_owned()];
    header.extend(labels.iter().cloned());
    let mut table = term::table(header);

    let exercise_names: Vec<String> =
        ordered_union(reports.iter().map(|r| r.exercises.iter().map(|e| e.name.clone())));
    for name in &exercise_names {
        let mut row = vec![name.clone()];
        for report in &reports {
            row.push(report.exercises.iter().find(|e| &e.name == name).map_or_else(
                || "-".to_owned(),
                |e| format!("{}/{} {}", e.passed, e.total, e.status.label()),
            ));
        }
        table.add_row(row);
    }
    for name in &exercise_names {
        let keys = ordered_union(reports.iter().map(|r| {
            r.exercises.iter().filter(|e| &e.name == name).flat_map(|e| e.benchmarks.iter().map(|c| c.key()))
        }));
        for key in keys {
            let mut row = vec![format!("{name}: {key} cand/ref")];
            for report in &reports {
                let comparison = report
                    .exercises
                    .iter()
                    .filter(|e| &e.name == name)
                    .flat_map(|e| e.benchmarks.iter())
                    .find(|c| c.key() == key);
                row.push(comparison.map_or_else(
                    || "-".to_owned(),
                    |c| match c.candidate_vs_reference {
                        Some(ratio) => format!("{ratio:.2}x {}", c.verdict.label()),
                        None => c.verdict.label().to_owned(),
                    },
                ));
            }
            table.add_row(row);
        }
    }
    println!("{}", term::paint(STRONG, "AI Kata: candidates side by side"));
    println!("{table}");
    for note in notes(&reports, &labels) {
        println!("{} {note}", term::paint(NOTE, "note:"));
    }
    Ok(ExitCode::SUCCESS)
}

/// Column labels: each file's name without `.json` (the path where names clash).
fn labels(paths: &[PathBuf]) -> Vec<String> {
    let stems: Vec<String> = paths
        .iter()
        .map(|path| {
            path.file_stem().map_or_else(|| path.display().to_string(), |s| s.to_string_lossy().into_owned())
        })
        .collect();
    let unique = stems.iter().collect::<BTreeSet<_>>().len() == stems.len();
    if unique { stems } else { paths.iter().map(|path| path.display().to_string()).collect() }
}

/// The items of every list, each once, in first-seen order.
fn ordered_union<I: IntoIterator<Item = String>>(lists: impl Iterator<Item = I>) -> Vec<String> {
    let mut seen = Vec::new();
    for item in lists.flatten() {
        if !seen.contains(&item) {
            seen.push(item);
        }
    }
    seen
}

/// What makes the reports hard to compare.
fn notes(reports: &[Report], labels: &[String]) -> Vec<String> {
    let mut notes = Vec::new();
    let differ = |describe: &dyn Fn(&Report) -> String| {
        let values: BTreeSet<String> = reports.iter().map(describe).collect();
        (values.len() > 1).then(|| {
            labels
                .iter()
                .zip(reports)
                .map(|(label, r)| format!("{label}: {}", describe(r)))
                .collect::<Vec<_>>()
                .join("; ")
        })
    };
    if let Some(detail) = differ(&|r| format!("{} ({} cores)", r.machine.cpu_model, r.machine.cores)) {
        notes.push(format!("{DIFFERENT_MACHINES} ({detail})"));
    }
    if let Some(detail) = differ(&|r| r.seed.to_string()) {
        notes.push(format!("{DIFFERENT_SEEDS} ({detail})"));
    }
    if let Some(detail) = differ(&|r| r.graded.clone()) {
        notes.push(format!("Some reports grade the reference solutions, not a candidate ({detail})."));
    }
    if reports.iter().any(|r| !r.benchmarked) && reports.iter().any(|r| r.benchmarked) {
        notes.push("Some reports were made without --bench: their speed rows show \"-\".".to_owned());
    }
    notes
}

const DIFFERENT_MACHINES: &str = "The reports come from different machines: their benchmark ratios \
are only roughly comparable (each ratio is against the reference on its own machine).";

const DIFFERENT_SEEDS: &str = "The reports used different seeds: each candidate met different \
random cases.";
