//! `kata compare A.json B.json ... [--html FILE]`: candidates side by side,
//! from reports written by `kata report` or `kata grade`.
//!
//! Every report is checked first ([`consistency`]): one whose numbers
//! contradict themselves, the kit's hidden tests or the other reports' kit
//! hash is shown but refused (no score, exit code 1); one without provenance
//! is marked unverified. Then, per exercise: tiers, the first failure, hints
//! used, time taken; per benchmark: the candidate/reference ratio with its
//! spread; per candidate: an overall [`Score`]. Hand-ins whose files share
//! most of their fingerprints ([`fingerprint`]), with each other or with the
//! shipped reference, are flagged. `--html` writes the same as one page.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anstream::println;
use anyhow::{Context, Result};

use crate::bench::{Comparison, Verdict};
use crate::consistency::{self, Finding, Kit, Severity};
use crate::exercise;
use crate::fingerprint::{self, SIMILAR_AT};
use crate::grading::Status;
use crate::html;
use crate::report::{self, ExerciseReport, Report};
use crate::term::{self, BAD, GOOD, NOTE, STRONG};
use crate::workspace::Workspace;

/// Weight of each tier in the tests score, in tier order (`other` weighs 1).
/// Examples are in the statement, so they weigh least; the property and
/// robust tiers are where plausible wrong answers fail, so they weigh most.
pub const TIER_WEIGHTS: [(&str, f64); 5] =
    [("examples", 1.0), ("edge", 2.0), ("property", 3.0), ("robust", 3.0), ("scale", 2.0)];

/// The share of the overall score that speed takes when every report was
/// benchmarked: correctness first, speed second.
pub const SPEED_SHARE: f64 = 0.2;

/// Points per verdict band in the speed component.
pub fn band_points(verdict: Verdict) -> f64 {
    match verdict {
        Verdict::Strong => 1.0,
        Verdict::Acceptable => 0.6,
        Verdict::Weak => 0.2,
        Verdict::NotMeasured => 0.0,
    }
}

/// One candidate: a report, its label and what the checks found.
#[derive(Debug, Clone)]
pub struct Candidate {
    /// The column label (the file name without `.json`).
    pub label: String,
    /// The report.
    pub report: Report,
    /// Everything wrong with it.
    pub findings: Vec<Finding>,
    /// Its overall score (None when refused).
    pub score: Option<Score>,
}

impl Candidate {
    /// Whether the report contradicts itself or the kit.
    pub fn refused(&self) -> bool {
        self.findings.iter().any(|finding| finding.severity == Severity::Contradiction)
    }

    /// "refused", "unverified" or "verified".
    pub fn trust(&self) -> &'static str {
        match self.findings.iter().map(|finding| finding.severity).max() {
            Some(Severity::Contradiction) => "REFUSED",
            Some(Severity::Unverified) => "unverified",
            None => "verified",
        }
    }

    /// The exercise called `name`, if the report has it.
    pub fn exercise(&self, name: &str) -> Option<&ExerciseReport> {
        self.report.exercises.iter().find(|exercise| exercise.name == name)
    }

    /// Its benchmark `key` of exercise `name`, if any.
    pub fn comparison(&self, name: &str, key: &str) -> Option<&Comparison> {
        self.exercise(name)?.benchmarks.iter().find(|comparison| comparison.key() == key)
    }
}

/// An overall score out of 100.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Score {
    /// Tests passed, weighted by tier ([`TIER_WEIGHTS`]), averaged over the
    /// exercises compared: 0 to 1.
    pub tests: f64,
    /// Band points ([`band_points`]) of the passing exercises' benchmarks,
    /// averaged over the benchmarked exercises: 0 to 1; None when not every
    /// report was benchmarked.
    pub speed: Option<f64>,
}

impl Score {
    /// 100 × tests, or 100 × (0.8 tests + 0.2 speed) with a speed component.
    pub fn total(&self) -> f64 {
        match self.speed {
            Some(speed) => 100.0 * ((1.0 - SPEED_SHARE) * self.tests + SPEED_SHARE * speed),
            None => 100.0 * self.tests,
        }
    }
}

/// Two hand-ins (or one and the reference) that share most fingerprints.
#[derive(Debug, Clone, PartialEq)]
pub struct Similarity {
    /// The exercise.
    pub exercise: String,
    /// The first candidate's label.
    pub first: String,
    /// The second candidate's label, or None for the shipped reference.
    pub second: Option<String>,
    /// The Jaccard index of their fingerprints, the stub's removed.
    pub jaccard: f64,
}

impl Similarity {
    /// For the reviewer.
    pub fn describe(&self) -> String {
        let percent = self.jaccard * 100.0;
        match &self.second {
            Some(second) => format!(
                "{}: {} and {second} share {percent:.0}% of their code's fingerprints (names and layout \
                 ignored): one may be a copy of the other",
                self.exercise, self.first
            ),
            None => format!(
                "{}: {}'s code shares {percent:.0}% of its fingerprints with the shipped reference \
                 (solutions/src/{}.rs): it may be a copy",
                self.exercise, self.first, self.exercise
            ),
        }
    }
}

/// Everything `compare` shows, in the terminal and in the HTML page.
#[derive(Debug, Clone)]
pub struct Review {
    /// The candidates, in the order given.
    pub candidates: Vec<Candidate>,
    /// Every exercise of any report, in first-seen order.
    pub exercises: Vec<String>,
    /// Per exercise, its benchmark keys (`group/size`) in any report.
    pub benchmarks: Vec<(String, Vec<String>)>,
    /// Flagged similarities.
    pub similar: Vec<Similarity>,
    /// What makes the reports hard to compare.
    pub notes: Vec<String>,
}

/// `kata compare`.
pub fn run(paths: &[PathBuf], root: Option<&Path>, html_out: Option<&Path>) -> Result<ExitCode> {
    let reports: Vec<Report> = paths.iter().map(report::read).collect::<Result<_>>()?;
    let mut notes = Vec::new();
    let kit_root = match Workspace::discover(root) {
        Ok(workspace) => Some(workspace.root().to_path_buf()),
        Err(error) if root.is_some() => return Err(error),
        Err(_) => {
            notes.push(NO_KIT.to_owned());
            None
        }
    };
    let kit = kit_root.as_deref().map(Kit::read).transpose().context("reading this kit's hidden tests")?;
    let review = review(labels(paths), reports, kit.as_ref(), kit_root.as_deref(), notes);
    print(&review);
    if let Some(out) = html_out {
        fs::write(out, html::render(&review)).with_context(|| format!("writing {}", out.display()))?;
        println!("HTML page: {}", out.display());
    }
    Ok(if review.candidates.iter().any(Candidate::refused) { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}

/// Checks, scores and compares the reports.
pub fn review(
    labels: Vec<String>,
    reports: Vec<Report>,
    kit: Option<&Kit>,
    kit_root: Option<&Path>,
    mut notes: Vec<String>,
) -> Review {
    let between = consistency::check_kit_hashes(&reports);
    let exercises = ordered_union(reports.iter().map(|r| r.exercises.iter().map(|e| e.name.clone())));
    let benchmarks = exercises
        .iter()
        .map(|name| {
            let keys = ordered_union(reports.iter().map(|r| {
                r.exercises
                    .iter()
                    .filter(|e| &e.name == name)
                    .flat_map(|e| e.benchmarks.iter().map(Comparison::key))
            }));
            (name.clone(), keys)
        })
        .filter(|(_, keys)| !keys.is_empty())
        .collect();
    let all_benchmarked = reports.iter().all(|r| r.benchmarked);
    notes.extend(differences(&reports, &labels));
    let mut candidates: Vec<Candidate> = labels
        .into_iter()
        .zip(reports)
        .zip(between)
        .map(|((label, report), mut findings)| {
            findings.splice(0..0, consistency::check(&report, kit));
            Candidate { label, report, findings, score: None }
        })
        .collect();
    for candidate in &mut candidates {
        if !candidate.refused() {
            candidate.score = Some(score(&candidate.report, &exercises, all_benchmarked));
        }
    }
    let similar = similarities(&candidates, &exercises, kit_root);
    Review { candidates, exercises, benchmarks, similar, notes }
}

/// The overall score of `report` over `exercises`.
pub fn score(report: &Report, exercises: &[String], with_speed: bool) -> Score {
    let count = exercises.len().max(1) as f64;
    let find = |name: &String| report.exercises.iter().find(|e| &e.name == name);
    let tests = exercises.iter().filter_map(find).map(tests_score).sum::<f64>() / count;
    let benchmarked: Vec<&ExerciseReport> =
        exercises.iter().filter_map(find).filter(|e| !e.benchmarks.is_empty()).collect();
    let speed = (with_speed && !benchmarked.is_empty()).then(|| {
        benchmarked
            .iter()
            .map(|e| {
                if e.status != Status::Passing {
                    return 0.0; // a fast wrong answer is worth nothing
                }
                e.benchmarks.iter().map(|c| band_points(c.verdict)).sum::<f64>() / e.benchmarks.len() as f64
            })
            .sum::<f64>()
            / benchmarked.len() as f64
    });
    Score { tests, speed }
}

/// Tests passed weighted by tier: 0 to 1.
fn tests_score(exercise: &ExerciseReport) -> f64 {
    let weight = |tier: &str| TIER_WEIGHTS.iter().find(|(name, _)| *name == tier).map_or(1.0, |(_, w)| *w);
    let (earned, possible) = exercise.tiers.iter().filter(|t| t.total > 0).fold((0.0, 0.0), |(e, p), t| {
        let w = weight(&t.tier);
        (e + w * t.passed as f64 / t.total as f64, p + w)
    });
    if possible > 0.0 { earned / possible } else { 0.0 }
}

/// Pairs of candidates (and candidates and the reference) whose files for an
/// exercise share at least [`SIMILAR_AT`] of their fingerprints.
fn similarities(candidates: &[Candidate], exercises: &[String], kit_root: Option<&Path>) -> Vec<Similarity> {
    let mut similar = Vec::new();
    for name in exercises {
        let base = exercise::find(name).map(|e| fingerprint::fingerprint(e.stub)).unwrap_or_default();
        let prints: Vec<(&Candidate, Vec<u64>)> = candidates
            .iter()
            .filter_map(|c| Some((c, fingerprint::without_base(&c.exercise(name)?.fingerprint, &base))))
            .filter(|(_, prints)| !prints.is_empty())
            .collect();
        for (i, (first, a)) in prints.iter().enumerate() {
            for (second, b) in &prints[i + 1..] {
                let jaccard = fingerprint::jaccard(a, b);
                if jaccard >= SIMILAR_AT {
                    similar.push(Similarity {
                        exercise: name.clone(),
                        first: first.label.clone(),
                        second: Some(second.label.clone()),
                        jaccard,
                    });
                }
            }
        }
        let reference =
            kit_root.and_then(|root| fs::read_to_string(root.join(format!("solutions/src/{name}.rs"))).ok());
        if let Some(reference) = reference {
            let reference = fingerprint::without_base(&fingerprint::fingerprint(&reference), &base);
            for (candidate, prints) in prints.iter().filter(|(c, _)| c.report.graded != "reference") {
                let jaccard = fingerprint::jaccard(prints, &reference);
                if jaccard >= SIMILAR_AT {
                    similar.push(Similarity {
                        exercise: name.clone(),
                        first: candidate.label.clone(),
                        second: None,
                        jaccard,
                    });
                }
            }
        }
    }
    similar
}

/// Prints the review as tables and lists.
fn print(review: &Review) {
    let mut header = vec!["exercise".to_owned()];
    header.extend(review.candidates.iter().map(|c| c.label.clone()));
    let mut table = term::table(header);
    let row = |title: String, cell: &dyn Fn(&Candidate) -> String| {
        let mut row = vec![title];
        row.extend(review.candidates.iter().map(cell));
        row
    };
    table.add_row(row("trust".to_owned(), &|c| c.trust().to_owned()));
    table.add_row(row("score".to_owned(), &score_text));
    for name in &review.exercises {
        let per_exercise = |title: &str, text: &dyn Fn(&ExerciseReport) -> String| {
            row(title.to_owned(), &|c: &Candidate| c.exercise(name).map_or_else(|| "-".to_owned(), text))
        };
        table.add_row(per_exercise(name, &|e| format!("{}/{} {}", e.passed, e.total, e.status.label())));
        table.add_row(per_exercise("  tiers", &tiers_text));
        let any = |has: &dyn Fn(&ExerciseReport) -> bool| {
            review.candidates.iter().filter_map(|c| c.exercise(name)).any(has)
        };
        if any(&|e| e.first_failure.is_some()) {
            table.add_row(per_exercise("  first failure", &first_failure_text));
        }
        if any(&|e| e.hints_revealed > 0) {
            table.add_row(per_exercise("  hints used", &|e| e.hints_revealed.to_string()));
        }
        if any(&|e| e.timer.is_some()) {
            table.add_row(row("  time taken".to_owned(), &|c| {
                c.exercise(name).map_or_else(|| "-".to_owned(), |e| time_text(e, c.report.generated_at))
            }));
        }
    }
    for (name, keys) in &review.benchmarks {
        for key in keys {
            table.add_row(row(format!("{name}: {key} cand/ref"), &|c| {
                c.comparison(name, key).map_or_else(|| "-".to_owned(), ratio_text)
            }));
        }
    }
    println!("{}", term::paint(STRONG, "AI Kata: candidates side by side"));
    println!("{table}");
    for candidate in &review.candidates {
        for finding in &candidate.findings {
            let (style, tag) = match finding.severity {
                Severity::Contradiction => (BAD, "refused:"),
                Severity::Unverified => (NOTE, "unverified:"),
            };
            println!("{} {}: {}", term::paint(style, tag), candidate.label, finding.message);
        }
    }
    for similarity in &review.similar {
        println!("{} {}", term::paint(BAD, "similar:"), similarity.describe());
    }
    if review.candidates.iter().all(|c| c.findings.is_empty()) {
        println!("{} every report agrees with itself and with this kit", term::paint(GOOD, "verified:"));
    }
    for note in &review.notes {
        println!("{} {note}", term::paint(NOTE, "note:"));
    }
    println!("{}", term::paint(term::DIM, SCORE_LEGEND));
}

/// "83.5" (with its parts), or why there is none.
pub fn score_text(candidate: &Candidate) -> String {
    match candidate.score {
        None => "refused: no score".to_owned(),
        Some(score) => match score.speed {
            Some(speed) => format!(
                "{:.1} (tests {:.0}%, speed {:.0}%)",
                score.total(),
                score.tests * 100.0,
                speed * 100.0
            ),
            None => format!("{:.1} (tests {:.0}%)", score.total(), score.tests * 100.0),
        },
    }
}

/// "examples 2/2  edge 3/4 ...".
pub fn tiers_text(exercise: &ExerciseReport) -> String {
    exercise
        .tiers
        .iter()
        .map(|t| format!("{} {}/{}", t.tier, t.passed, t.total))
        .collect::<Vec<_>>()
        .join("  ")
}

/// The first failure's test and the first line of its message, shortened.
pub fn first_failure_text(exercise: &ExerciseReport) -> String {
    exercise.first_failure.as_ref().map_or_else(String::new, |failure| {
        let line = failure.message.lines().next().unwrap_or_default();
        let short: String = line.chars().take(FAILURE_CHARS).collect();
        let ellipsis = if line.chars().count() > FAILURE_CHARS { "…" } else { "" };
        format!("{}: {short}{ellipsis}", failure.test)
    })
}

/// The timer as of when the report was written.
pub fn time_text(exercise: &ExerciseReport, generated_at: u64) -> String {
    exercise.timer.map_or_else(|| "no timer".to_owned(), |timer| timer.describe(generated_at))
}

/// "2.31x acceptable (1.90–2.80 over 5 runs)".
pub fn ratio_text(comparison: &Comparison) -> String {
    let spread = comparison
        .spread
        .map(|s| format!(" ({:.2}–{:.2} over {} runs)", s.min, s.max, s.runs))
        .unwrap_or_default();
    match comparison.candidate_vs_reference {
        Some(ratio) => format!("{ratio:.2}x {}{spread}", comparison.verdict.label()),
        None => comparison.verdict.label().to_owned(),
    }
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
fn differences(reports: &[Report], labels: &[String]) -> Vec<String> {
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
    if let Some(detail) = differ(&|r| kata::seed::display(r.seed)) {
        notes.push(format!("{DIFFERENT_SEEDS} ({detail})"));
    }
    if let Some(detail) = differ(&|r| r.graded.clone()) {
        notes.push(format!("Some reports grade the reference solutions, not a candidate ({detail})."));
    }
    if reports.iter().any(|r| !r.benchmarked) && reports.iter().any(|r| r.benchmarked) {
        notes.push(
            "Some reports were made without --bench: their speed rows show \"-\", and no score has a speed \
             component."
                .to_owned(),
        );
    }
    notes
}

/// Characters of a failure message shown in the table.
const FAILURE_CHARS: usize = 60;

const DIFFERENT_MACHINES: &str = "The reports come from different machines: their benchmark ratios \
are only roughly comparable (each ratio is against the reference on its own machine).";

const DIFFERENT_SEEDS: &str = "The reports used different seeds: each candidate met different \
random cases.";

const NO_KIT: &str = "Not run inside a kit, so test counts, the kit hash and the reference were not \
checked: run `cargo kata compare` from the kit that graded the reports, or pass --root.";

/// How the score is made (the README says why).
pub const SCORE_LEGEND: &str = "score: tests passed weighted by tier (examples 1, edge 2, property 3, \
robust 3, scale 2), averaged over the exercises; with benchmarks in every report, 80% tests + 20% speed \
(strong 1, acceptable 0.6, weak 0.2, per passing exercise). README: \"Compare candidates\".";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::consistency::tests::report;
    use crate::exercise::EXERCISES;

    fn candidate(label: &str, report: Report) -> Candidate {
        Candidate { label: label.to_owned(), report, findings: Vec::new(), score: None }
    }

    #[test]
    fn the_score_weighs_tiers_and_adds_speed_for_passing_exercises() {
        let failing = report();
        let names = vec![failing.exercises[0].name.clone()];
        // robust (weight 3) failed: 8 of 11 weighted points; failing, so no speed points.
        let score = score(&failing, &names, true);
        assert!((score.tests - 8.0 / 11.0).abs() < 1e-12, "{score:?}");
        assert_eq!(score.speed, Some(0.0));
        assert!((score.total() - 80.0 * 8.0 / 11.0).abs() < 1e-9);

        let mut passing = report();
        let exercise = &mut passing.exercises[0];
        (exercise.status, exercise.passed, exercise.first_failure) = (Status::Passing, 5, None);
        exercise.tiers[3].passed = 1;
        let score = super::score(&passing, &names, true);
        assert_eq!((score.tests, score.speed), (1.0, Some(band_points(Verdict::Acceptable))));
        assert!((score.total() - (80.0 + 20.0 * 0.6)).abs() < 1e-9);
        // Without benchmarks in every report, tests only.
        assert_eq!(super::score(&passing, &names, false).total(), 100.0);
        // An exercise missing from the report counts 0.
        let both = vec![names[0].clone(), "missing".to_owned()];
        assert_eq!(super::score(&passing, &both, false).total(), 50.0);
    }

    #[test]
    fn copies_of_each_other_and_of_the_reference_are_flagged_independent_answers_are_not() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let cosine = EXERCISES.iter().find(|e| e.name == "cosine").expect("the kit has cosine");
        let read = |relative: &str| fs::read_to_string(root.join(relative)).expect("a kit file");
        let with_code = |label: &str, code: &str| {
            let mut report = report();
            report.exercises[0].name = cosine.name.to_owned();
            report.exercises[0].fingerprint = fingerprint::fingerprint(code);
            candidate(label, report)
        };
        let reference = read("solutions/src/cosine.rs");
        let answer = read("answers/cosine/right_f64_sums.rs")
            .replace("include!(\"../../answers/cosine/common.rs\");", &read("answers/cosine/common.rs"));
        let copied = reference.replace("cosine_of_slices", "similarity_of").replace("kernel", "k");
        let candidates = [
            with_code("alice", &answer),
            with_code("bob", &answer.replace("    ", "\t")),
            with_code("carol", &copied),
            with_code("dave", cosine.stub),
        ];
        let names = vec![cosine.name.to_owned()];
        let similar = similarities(&candidates, &names, Some(&root));
        let pairs: Vec<(&str, Option<&str>)> =
            similar.iter().map(|s| (s.first.as_str(), s.second.as_deref())).collect();
        assert_eq!(pairs, [("alice", Some("bob")), ("carol", None)], "{similar:#?}");
        assert!(similar[1].describe().contains("the shipped reference (solutions/src/cosine.rs)"));
        assert!(
            similarities(&candidates, &names, None).iter().all(|s| s.second.is_some()),
            "no kit, no reference"
        );
    }
}
