//! Whether a report can be trusted: its numbers must agree with each other
//! and with the kit that `kata compare` runs in.
//!
//! A report is a JSON file anyone can edit. Each check here finds a way an
//! edited (or corrupted) report contradicts itself: counts that do not add
//! up, a status its counts deny, a verdict outside its ratio's band, ratios
//! that do not follow from the recorded times, tests the kit does not have,
//! or a kit hash that is not this kit's. A report with any of these is
//! refused; one that merely cannot be checked (no provenance) is unverified.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

use anyhow::{Context, Result};
use syn::{Item, ItemFn};

use crate::bench::{Comparison, Verdict};
use crate::exercise::{self, EXERCISES};
use crate::grading::Status;
use crate::libtest::{self, OTHER_TIER, TIERS};
use crate::provenance;
use crate::report::{ExerciseReport, Report};

/// How much a finding weighs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// The report cannot be checked (no provenance): shown, marked unverified.
    Unverified,
    /// The report contradicts itself or the kit: refused.
    Contradiction,
}

/// One thing wrong with a report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// How much it weighs.
    pub severity: Severity,
    /// The exercise it is about, if one.
    pub exercise: Option<String>,
    /// What contradicts what, for the reviewer.
    pub message: String,
}

impl Finding {
    fn contradiction(exercise: Option<&str>, message: String) -> Finding {
        Finding { severity: Severity::Contradiction, exercise: exercise.map(str::to_owned), message }
    }
}

/// What `kata compare` knows of the kit it runs in.
#[derive(Debug, Clone)]
pub struct Kit {
    /// [`provenance::kit_sha256`] of this kit.
    pub sha256: String,
    /// The hidden tests of each exercise, from `tests/<name>.rs`.
    pub hidden: BTreeMap<String, HiddenTests>,
}

impl Kit {
    /// Reads the kit at `root`: its hash and every exercise's hidden tests.
    pub fn read(root: &Path) -> Result<Kit> {
        let sha256 = provenance::kit_sha256(root)?;
        let mut hidden = BTreeMap::new();
        for exercise in EXERCISES {
            let path = root.join("tests").join(format!("{}.rs", exercise.name));
            if let Ok(source) = fs::read_to_string(&path) {
                let tests =
                    HiddenTests::parse(&source).with_context(|| format!("reading {}", path.display()))?;
                hidden.insert(exercise.name.to_owned(), tests);
            }
        }
        Ok(Kit { sha256, hidden })
    }
}

/// An exercise's hidden tests, as the kit declares them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HiddenTests {
    /// Test names as libtest prints them (`module::name` inside modules).
    pub names: BTreeSet<String>,
}

impl HiddenTests {
    /// The `#[test]` functions of a test file (not `#[ignore]`d ones: they are
    /// not graded), found by parsing it with `syn`.
    pub fn parse(source: &str) -> Result<HiddenTests> {
        let file = syn::parse_file(source).context("the file is not valid Rust")?;
        let mut names = BTreeSet::new();
        collect_tests(&file.items, "", &mut names);
        Ok(HiddenTests { names })
    }

    /// Tests per tier.
    pub fn per_tier(&self) -> BTreeMap<&'static str, usize> {
        let mut counts = BTreeMap::new();
        for name in &self.names {
            *counts.entry(libtest::tier_of(name)).or_insert(0) += 1;
        }
        counts
    }
}

fn collect_tests(items: &[Item], prefix: &str, names: &mut BTreeSet<String>) {
    for item in items {
        match item {
            Item::Fn(function) if is_graded_test(function) => {
                names.insert(format!("{prefix}{}", function.sig.ident));
            }
            Item::Mod(module) => {
                if let Some((_, items)) = &module.content {
                    collect_tests(items, &format!("{prefix}{}::", module.ident), names);
                }
            }
            _ => {}
        }
    }
}

fn is_graded_test(function: &ItemFn) -> bool {
    let has = |name: &str| function.attrs.iter().any(|attr| attr.path().is_ident(name));
    has("test") && !has("ignore")
}

/// Every contradiction within `report`, and against `kit` when there is one.
pub fn check(report: &Report, kit: Option<&Kit>) -> Vec<Finding> {
    let mut findings = Vec::new();
    let mut seen = BTreeSet::new();
    for exercise in &report.exercises {
        if !seen.insert(exercise.name.as_str()) {
            findings.push(Finding::contradiction(
                Some(&exercise.name),
                format!("{} appears twice in the report", exercise.name),
            ));
        }
        check_exercise(exercise, report.generated_at, kit, &mut findings);
    }
    match (&report.provenance, kit) {
        (None, _) => findings.push(Finding {
            severity: Severity::Unverified,
            exercise: None,
            message: UNVERIFIED_NO_PROVENANCE.to_owned(),
        }),
        (Some(provenance), Some(kit)) if provenance.kit_sha256 != kit.sha256 => {
            findings.push(Finding::contradiction(
                None,
                format!(
                    "its kit_sha256 {} is not this kit's {}: it was graded with other hidden tests or another \
                     harness; grade the hand-in again with this kit (`cargo kata grade`)",
                    short_hash(&provenance.kit_sha256),
                    short_hash(&kit.sha256)
                ),
            ));
        }
        (Some(provenance), _) if provenance.hand_in.is_none() => findings.push(Finding {
            severity: Severity::Unverified,
            exercise: None,
            message: UNVERIFIED_NOT_GRADED.to_owned(),
        }),
        _ => {}
    }
    findings
}

/// Contradictions between reports: a `kit_sha256` that differs from the one
/// most reports share (every differing report when no hash is the majority).
/// One list of findings per report, in order.
pub fn check_kit_hashes(reports: &[Report]) -> Vec<Vec<Finding>> {
    let hashes: Vec<Option<&str>> =
        reports.iter().map(|report| report.provenance.as_ref().map(|p| p.kit_sha256.as_str())).collect();
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for hash in hashes.iter().flatten() {
        *counts.entry(hash).or_insert(0) += 1;
    }
    let most = counts.values().copied().max().unwrap_or(0);
    let majority: Vec<&str> = counts.iter().filter(|(_, n)| **n == most).map(|(hash, _)| *hash).collect();
    let agreed = (majority.len() == 1).then(|| majority[0]);
    hashes
        .iter()
        .map(|hash| match hash {
            Some(hash) if counts.len() > 1 && agreed != Some(*hash) => vec![Finding::contradiction(
                None,
                format!(
                    "its kit_sha256 {} differs from the other reports' ({}): they were graded by different kits, \
                     so their numbers do not compare; grade every hand-in with one kit",
                    short_hash(hash),
                    counts.keys().filter(|other| *other != hash).map(|h| short_hash(h)).collect::<Vec<_>>().join(", ")
                ),
            )],
            _ => Vec::new(),
        })
        .collect()
}

fn check_exercise(exercise: &ExerciseReport, generated_at: u64, kit: Option<&Kit>, out: &mut Vec<Finding>) {
    let name = exercise.name.as_str();
    let mut flag = |message: String| out.push(Finding::contradiction(Some(name), message));
    let Some(registered) = exercise::find(name) else {
        flag(format!(
            "{name} is not an exercise of this kit (exercises.toml): a report of another kit, or edited"
        ));
        return;
    };
    let (passed, total) = (exercise.passed, exercise.total);
    if passed > total {
        flag(format!("{name}: {passed} tests passed of {total} run: more passed than ran"));
    }
    check_tiers(exercise, &mut flag);
    check_status(exercise, &mut flag);
    check_first_failure(exercise, &mut flag);
    if exercise.hints_revealed > registered.hints.len() {
        flag(format!(
            "{name}: {} hints revealed, but the exercise has only {}",
            exercise.hints_revealed,
            registered.hints.len()
        ));
    }
    if let Some(timer) = &exercise.timer
        && (timer.started_at > generated_at || timer.first_passed_at.is_some_and(|at| at < timer.started_at))
    {
        flag(format!("{name}: the timer's times are out of order (started, first passed, report written)"));
    }
    for comparison in &exercise.benchmarks {
        check_comparison(name, comparison, &mut flag);
    }
    if let Some(hidden) = kit.and_then(|kit| kit.hidden.get(name)) {
        check_against_kit(exercise, hidden, &mut flag);
    }
}

fn check_tiers(exercise: &ExerciseReport, flag: &mut impl FnMut(String)) {
    let name = &exercise.name;
    let mut seen = BTreeSet::new();
    for tier in &exercise.tiers {
        if !TIERS.contains(&tier.tier.as_str()) && tier.tier != OTHER_TIER {
            flag(format!(
                "{name}: unknown tier {:?} (tiers are {}, {OTHER_TIER})",
                tier.tier,
                TIERS.join(", ")
            ));
        }
        if !seen.insert(tier.tier.as_str()) {
            flag(format!("{name}: tier {} appears twice", tier.tier));
        }
        if tier.passed > tier.total {
            flag(format!("{name}: tier {} has {} passed of {} run", tier.tier, tier.passed, tier.total));
        }
    }
    let (passed, total): (usize, usize) =
        exercise.tiers.iter().fold((0, 0), |(p, t), tier| (p + tier.passed, t + tier.total));
    if (passed, total) != (exercise.passed, exercise.total) {
        flag(format!(
            "{name}: the tiers add up to {passed}/{total}, but the exercise says {}/{}",
            exercise.passed, exercise.total
        ));
    }
}

fn check_status(exercise: &ExerciseReport, flag: &mut impl FnMut(String)) {
    let (name, passed, total) = (&exercise.name, exercise.passed, exercise.total);
    let agrees = match exercise.status {
        Status::Passing => total > 0 && passed == total,
        Status::Failing => passed < total,
        // `kata grade` does not build a file that is still the shipped stub: 0 of 0.
        Status::NotStarted => passed == 0,
        Status::NoTests | Status::DoesNotCompile | Status::Rejected => total == 0,
        Status::TimedOut | Status::Crashed | Status::Interrupted | Status::ExitedEarly => true,
    };
    if !agrees {
        flag(format!("{name}: status \"{}\" with {passed} of {total} tests passed", exercise.status.label()));
    }
}

fn check_first_failure(exercise: &ExerciseReport, flag: &mut impl FnMut(String)) {
    let name = &exercise.name;
    match (&exercise.first_failure, exercise.status) {
        (Some(failure), Status::Passing) => {
            flag(format!("{name}: a first failure ({}) on an exercise marked passing", failure.test));
        }
        (Some(failure), _) if exercise.passed == exercise.total && exercise.total > 0 => {
            flag(format!("{name}: a first failure ({}) although every test passed", failure.test));
        }
        (None, Status::NotStarted) if exercise.total == 0 => {}
        (None, Status::Failing | Status::NotStarted) => {
            flag(format!("{name}: status \"{}\" but no first failure", exercise.status.label()));
        }
        (Some(failure), Status::Failing | Status::NotStarted) => {
            let tier = libtest::tier_of(&failure.test);
            let report_tier = exercise.tiers.iter().find(|t| t.tier == tier);
            if report_tier.is_none_or(|t| t.passed == t.total) {
                flag(format!(
                    "{name}: the first failure {} is in tier {tier}, where nothing failed",
                    failure.test
                ));
            }
            let earlier = exercise
                .tiers
                .iter()
                .take_while(|t| t.tier != tier)
                .find(|t| t.passed < t.total && t.tier != OTHER_TIER);
            if let Some(earlier) = earlier {
                flag(format!(
                    "{name}: the first failure {} is in tier {tier}, but tier {} failed before it",
                    failure.test, earlier.tier
                ));
            }
        }
        _ => {}
    }
}

/// Ratios must follow from `times_ns` and the verdict from the ratio.
fn check_comparison(name: &str, comparison: &Comparison, flag: &mut impl FnMut(String)) {
    let key = comparison.key();
    let derived = Comparison::from_times(
        comparison.group.clone(),
        comparison.size.clone(),
        comparison.times_ns.clone(),
    );
    if comparison.verdict != Verdict::of(comparison.candidate_vs_reference) {
        flag(format!(
            "{name}: benchmark {key}: verdict \"{}\" for a ratio of {}, whose band is \"{}\"",
            comparison.verdict.label(),
            ratio_text(comparison.candidate_vs_reference),
            Verdict::of(comparison.candidate_vs_reference).label()
        ));
    }
    if !same_ratio(comparison.candidate_vs_reference, derived.candidate_vs_reference) {
        flag(format!(
            "{name}: benchmark {key}: candidate/reference is {}, but its times give {}",
            ratio_text(comparison.candidate_vs_reference),
            ratio_text(derived.candidate_vs_reference)
        ));
    }
    let maps = [
        ("candidate/peer", &comparison.candidate_vs_peers, &derived.candidate_vs_peers),
        ("other/reference", &comparison.others_vs_reference, &derived.others_vs_reference),
    ];
    for (what, stated, expected) in maps {
        let names: BTreeSet<&String> = stated.keys().chain(expected.keys()).collect();
        for other in names {
            let (s, e) = (stated.get(other).copied(), expected.get(other).copied());
            if !same_ratio(s, e) {
                flag(format!(
                    "{name}: benchmark {key}: {what} for {other} is {}, but its times give {}",
                    ratio_text(s),
                    ratio_text(e)
                ));
            }
        }
    }
    if let Some(spread) = comparison.spread {
        let ratio = comparison.candidate_vs_reference;
        let inside = ratio.is_some_and(|r| {
            spread.min <= r * (1.0 + RATIO_TOLERANCE) && r <= spread.max * (1.0 + RATIO_TOLERANCE)
        });
        if spread.runs == 0 || spread.min > spread.max || !inside {
            flag(format!(
                "{name}: benchmark {key}: the spread {:.2}..{:.2} over {} runs does not hold the ratio {}",
                spread.min,
                spread.max,
                spread.runs,
                ratio_text(ratio)
            ));
        }
    }
}

/// Test counts per tier must be the kit's: all of them for a finished run,
/// at most them for one that stopped early.
fn check_against_kit(exercise: &ExerciseReport, hidden: &HiddenTests, flag: &mut impl FnMut(String)) {
    let name = &exercise.name;
    let kit = hidden.per_tier();
    // A stub `kata grade` did not run (0 of 0) has no tiers to compare.
    let complete = matches!(exercise.status, Status::Passing | Status::Failing)
        || (exercise.status == Status::NotStarted && exercise.total > 0);
    let tiers: BTreeSet<&str> =
        kit.keys().copied().chain(exercise.tiers.iter().map(|t| t.tier.as_str())).collect();
    for tier in tiers {
        let expected = kit.get(tier).copied().unwrap_or(0);
        let found = exercise.tiers.iter().find(|t| t.tier == tier).map_or(0, |t| t.total);
        if found > expected || (complete && found != expected) {
            flag(format!(
                "{name}: tier {tier} ran {found} tests, but this kit's tests/{name}.rs has {expected}"
            ));
        }
    }
    if let Some(failure) = &exercise.first_failure
        && exercise.status != Status::DoesNotCompile
        && !hidden.names.contains(&failure.test)
    {
        flag(format!(
            "{name}: the first failure {} is not a test of this kit's tests/{name}.rs",
            failure.test
        ));
    }
}

/// Relative tolerance on recomputed ratios: JSON round-trips f64 exactly,
/// so only a hand-edit (or another formula) differs by more.
const RATIO_TOLERANCE: f64 = 1e-9;

fn same_ratio(a: Option<f64>, b: Option<f64>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(a), Some(b)) => {
            (a - b).abs() <= RATIO_TOLERANCE * a.abs().max(b.abs()) || (a.is_nan() && b.is_nan())
        }
        _ => false,
    }
}

fn ratio_text(ratio: Option<f64>) -> String {
    ratio.map_or_else(|| "none".to_owned(), |r| format!("{r:.3}x"))
}

/// The first 12 hex digits: enough to tell hashes apart in a message.
fn short_hash(hash: &str) -> &str {
    &hash[..hash.len().min(12)]
}

const UNVERIFIED_NO_PROVENANCE: &str = "no provenance (no kit hash, no file hashes): written by an older kata or \
     by hand, so nothing ties it to a kit; grade the hand-in with `cargo kata grade` to verify it";

const UNVERIFIED_NOT_GRADED: &str = "written by `kata report` in the candidate's own kit, not by `kata grade` in \
     the reviewer's: the kit matches, but the run is the candidate's";

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::bench::Spread;
    use crate::report::{Failure, Provenance, TierReport};

    /// A consistent report of the registry's first exercise: 4 of 5 tests
    /// passed, the robust one failed, one benchmark (candidate 3x the reference).
    pub(crate) fn report() -> Report {
        let name = EXERCISES[0].name.to_owned();
        let tier = |tier: &str, passed, total| TierReport { tier: tier.to_owned(), passed, total };
        let times = BTreeMap::from([
            ("candidate".to_owned(), 300.0),
            ("reference".to_owned(), 100.0),
            ("peer:other".to_owned(), 150.0),
            ("naive:loop".to_owned(), 2000.0),
        ]);
        let exercise = ExerciseReport {
            name,
            status: Status::Failing,
            passed: 4,
            total: 5,
            tiers: vec![
                tier("examples", 1, 1),
                tier("edge", 1, 1),
                tier("property", 1, 1),
                tier("robust", 0, 1),
                tier("scale", 1, 1),
            ],
            first_failure: Some(Failure { test: "robust_one".to_owned(), message: "wrong".to_owned() }),
            hints_revealed: 0,
            timer: None,
            benchmarks: vec![Comparison::from_times("dot".to_owned(), "384".to_owned(), times)],
            fingerprint: Vec::new(),
            detail: None,
        };
        Report {
            schema: crate::report::SCHEMA.to_owned(),
            schema_version: crate::report::SCHEMA_VERSION,
            kata_version: "0.1.0".to_owned(),
            generated_at: 1_000,
            graded: "candidate".to_owned(),
            seed: 1,
            commit: None,
            worktree_dirty: None,
            machine: crate::machine::Machine::current(),
            benchmarked: true,
            exercises: vec![exercise],
            provenance: None,
        }
    }

    fn provenance(kit_sha256: &str) -> Provenance {
        Provenance {
            kit_sha256: kit_sha256.to_owned(),
            files_sha256: BTreeMap::new(),
            toolchain: "rustc 1.89.0".to_owned(),
            time_scale: None,
            kernel: None,
            bench_length: Some("quick".to_owned()),
            contained: true,
            sandbox: "bubblewrap".to_owned(),
            hand_in: Some(crate::report::HandIn {
                source: "alice.tar".to_owned(),
                ignored: vec![],
                rejected: vec![],
            }),
        }
    }

    fn kit() -> Kit {
        let names = ["examples_one", "edge_one", "property_one", "robust_one", "scale_one"];
        let hidden = HiddenTests { names: names.iter().map(|n| (*n).to_owned()).collect() };
        Kit { sha256: "a".repeat(64), hidden: BTreeMap::from([(EXERCISES[0].name.to_owned(), hidden)]) }
    }

    /// The contradictions' messages.
    fn contradictions(report: &Report) -> Vec<String> {
        check(report, Some(&kit()))
            .into_iter()
            .filter(|f| f.severity == Severity::Contradiction)
            .map(|f| f.message)
            .collect()
    }

    fn assert_flags(report: &Report, needle: &str) {
        let found = contradictions(report);
        assert!(found.iter().any(|m| m.contains(needle)), "expected {needle:?} among {found:#?}");
    }

    #[test]
    fn a_consistent_report_without_provenance_is_only_unverified() {
        let findings = check(&report(), Some(&kit()));
        assert_eq!(findings.len(), 1, "{findings:#?}");
        assert_eq!(findings[0].severity, Severity::Unverified);
        let mut graded = report();
        graded.provenance = Some(provenance(&"a".repeat(64)));
        assert_eq!(check(&graded, Some(&kit())), vec![]);
    }

    #[test]
    fn a_stub_that_kata_grade_did_not_run_is_consistent() {
        let mut graded = report();
        graded.provenance = Some(provenance(&"a".repeat(64)));
        let stub = &mut graded.exercises[0];
        stub.status = Status::NotStarted;
        (stub.passed, stub.total, stub.tiers, stub.first_failure) = (0, 0, Vec::new(), None);
        assert_eq!(check(&graded, Some(&kit())), vec![]);
    }

    #[test]
    fn counts_that_do_not_add_up_are_contradictions() {
        let mut r = report();
        r.exercises[0].passed = 99;
        assert_flags(&r, "more passed than ran");
        assert_flags(&r, "the tiers add up to 4/5");
        let mut r = report();
        r.exercises[0].tiers[0].passed = 2;
        assert_flags(&r, "tier examples has 2 passed of 1 run");
        let mut r = report();
        r.exercises[0].tiers[1].tier = "bonus".to_owned();
        assert_flags(&r, "unknown tier \"bonus\"");
        let mut r = report();
        r.exercises[0].name = "no_such_exercise".to_owned();
        assert_flags(&r, "not an exercise of this kit");
        let mut r = report();
        r.exercises[0].hints_revealed = 99;
        assert_flags(&r, "hints revealed");
    }

    #[test]
    fn a_status_its_counts_deny_is_a_contradiction() {
        let mut r = report();
        r.exercises[0].status = Status::Passing;
        assert_flags(&r, "status \"passing\" with 4 of 5");
        let mut r = report();
        r.exercises[0].first_failure = None;
        assert_flags(&r, "but no first failure");
        let mut r = report();
        r.exercises[0].first_failure = Some(Failure { test: "edge_one".to_owned(), message: String::new() });
        assert_flags(&r, "where nothing failed");
        let mut r = report();
        r.exercises[0].first_failure =
            Some(Failure { test: "robust_invented".to_owned(), message: String::new() });
        assert_flags(&r, "not a test of this kit");
    }

    #[test]
    fn test_counts_must_be_the_kits() {
        let mut r = report();
        r.exercises[0].tiers[4] = TierReport { tier: "scale".to_owned(), passed: 2, total: 2 };
        r.exercises[0].total = 6;
        r.exercises[0].passed = 5;
        assert_eq!(
            contradictions(&r),
            vec![format!(
                "{}: tier scale ran 2 tests, but this kit's tests/{}.rs has 1",
                EXERCISES[0].name, EXERCISES[0].name
            )]
        );
    }

    #[test]
    fn verdicts_and_ratios_must_follow_from_the_times() {
        let mut r = report();
        r.exercises[0].benchmarks[0].verdict = Verdict::Strong;
        assert_flags(&r, "verdict \"strong\" for a ratio of 3.000x, whose band is \"acceptable\"");
        let mut r = report();
        r.exercises[0].benchmarks[0].candidate_vs_reference = Some(1.2);
        r.exercises[0].benchmarks[0].verdict = Verdict::Strong;
        assert_flags(&r, "candidate/reference is 1.200x, but its times give 3.000x");
        let mut r = report();
        r.exercises[0].benchmarks[0].others_vs_reference.insert("naive:loop".to_owned(), 1.0);
        assert_flags(&r, "other/reference for naive:loop is 1.000x, but its times give 20.000x");
        let mut r = report();
        r.exercises[0].benchmarks[0].spread = Some(Spread { runs: 3, min: 1.0, max: 2.0 });
        assert_flags(&r, "does not hold the ratio");
        r.exercises[0].benchmarks[0].spread = Some(Spread { runs: 3, min: 2.5, max: 3.5 });
        assert!(contradictions(&r).is_empty());
    }

    #[test]
    fn a_kit_hash_unlike_this_kits_or_the_others_is_a_contradiction() {
        let mut r = report();
        r.provenance = Some(provenance(&"b".repeat(64)));
        assert_flags(&r, "is not this kit's aaaaaaaaaaaa");
        let mut reports = vec![report(), report(), report()];
        for (report, hash) in reports.iter_mut().zip(["a", "a", "c"]) {
            report.provenance = Some(provenance(&hash.repeat(64)));
        }
        let between = check_kit_hashes(&reports);
        assert!(between[0].is_empty() && between[1].is_empty());
        assert!(
            between[2][0].message.contains("differs from the other reports' (aaaaaaaaaaaa)"),
            "{between:?}"
        );
        let two = check_kit_hashes(&reports[1..]);
        assert!(two.iter().all(|findings| findings.len() == 1), "no majority: both flagged");
    }

    #[test]
    fn hidden_tests_are_counted_per_tier_from_the_source() {
        let source = "#[test]\nfn examples_a() {}\n#[test]\n#[ignore]\nfn edge_ignored() {}\n\
                      fn edge_helper() {}\n#[test]\nfn edge_b() {}\nmod inner { #[test] fn scale_c() {} }\n";
        let hidden = HiddenTests::parse(source).expect("valid Rust");
        assert_eq!(hidden.per_tier(), BTreeMap::from([("edge", 1), ("examples", 1), ("other", 1)]));
        assert!(hidden.names.contains("inner::scale_c"));
        assert!(HiddenTests::parse("fn broken(").is_err());
    }

    #[test]
    fn the_kits_own_hidden_tests_parse() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let kit = Kit::read(&root).expect("reading the kit");
        for exercise in EXERCISES {
            let hidden = kit.hidden.get(exercise.name).expect("every exercise has hidden tests");
            assert!(
                hidden.per_tier().contains_key("examples"),
                "{}: no examples_ tests found",
                exercise.name
            );
            assert!(
                !hidden.per_tier().contains_key(OTHER_TIER),
                "{}: a test outside the tiers",
                exercise.name
            );
        }
    }
}
