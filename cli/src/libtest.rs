//! Reading libtest's results: the verdicts from its logfile (`--logfile
//! FILE`: `ok NAME`, `failed NAME`, `ignored NAME`, written by libtest, not
//! by the code under test), checked against the binary's own list of tests;
//! the failure messages from the failures section of its standard output.

use std::collections::{BTreeMap, HashMap};

/// The tiers of the hidden tests, by name prefix, in the order they are read.
pub const TIERS: [&str; 5] = ["examples", "edge", "property", "robust", "scale"];

/// The tier of tests whose name has none of the [`TIERS`] prefixes.
pub const OTHER_TIER: &str = "other";

/// One test's result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TestCase {
    /// Its name, e.g. `edge_empty_vectors_are_an_error`.
    pub name: String,
    /// Whether it passed.
    pub passed: bool,
    /// For a failed test: its failure message (the last panic it printed).
    pub message: Option<String>,
}

impl TestCase {
    /// The tier, from the name's prefix.
    pub fn tier(&self) -> &'static str {
        tier_of(&self.name)
    }
}

/// The tier of a test called `name`.
pub fn tier_of(name: &str) -> &'static str {
    let prefix = name.split('_').next().unwrap_or_default();
    TIERS.iter().copied().find(|tier| *tier == prefix).unwrap_or(OTHER_TIER)
}

/// The verdicts of one run, checked against the tests the binary listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdicts {
    /// The tests that passed or failed, in tier order, then by name
    /// (ignored tests are left out: they were not graded).
    pub cases: Vec<TestCase>,
    /// Listed tests without a verdict (the run ended before they did).
    pub missing: Vec<String>,
    /// What contradicts the list: a test with two verdicts, a verdict for a
    /// test the binary does not hold, a line libtest does not write.
    pub contradictions: Vec<String>,
}

/// Reads the verdicts of `log` for the `listed` tests, each failed test's
/// message from `stdout`.
pub fn verdicts(listed: &[String], log: &str, stdout: &str) -> Verdicts {
    let sections = failure_sections(stdout);
    let mut seen: BTreeMap<&str, Vec<&str>> = listed.iter().map(|name| (name.as_str(), Vec::new())).collect();
    let mut contradictions = Vec::new();
    for line in log.lines().filter(|line| !line.is_empty()) {
        let Some((verdict, name)) =
            line.split_once(' ').filter(|(verdict, _)| LOG_VERDICTS.contains(verdict))
        else {
            contradictions.push(format!("the logfile holds a line libtest does not write: {line:?}"));
            continue;
        };
        match seen.get_mut(name) {
            Some(verdicts) => verdicts.push(verdict),
            None => {
                contradictions.push(format!("a verdict for `{name}`, which is not among the listed tests"))
            }
        }
    }
    let mut cases = Vec::new();
    let mut missing = Vec::new();
    for (name, verdicts) in seen {
        match verdicts.as_slice() {
            [] => missing.push(name.to_owned()),
            ["ignored"] => {}
            [verdict] => {
                let passed = *verdict == "ok";
                let message = (!passed).then(|| {
                    sections
                        .get(name)
                        .map_or_else(|| NO_OUTPUT.to_owned(), |section| failure_message(section))
                });
                cases.push(TestCase { name: name.to_owned(), passed, message });
            }
            many => contradictions.push(format!("`{name}` has {} verdicts: {}", many.len(), many.join(", "))),
        }
    }
    cases.sort_by(|a, b| (tier_rank(a.tier()), &a.name).cmp(&(tier_rank(b.tier()), &b.name)));
    Verdicts { cases, missing, contradictions }
}

/// The verdicts libtest writes in its logfile.
const LOG_VERDICTS: [&str; 3] = ["ok", "failed", "ignored"];

/// The position of a tier in the reading order.
pub fn tier_rank(tier: &str) -> usize {
    TIERS.iter().position(|known| *known == tier).unwrap_or(TIERS.len())
}

/// The `---- NAME stdout ----` sections, by test name.
fn failure_sections(stdout: &str) -> HashMap<&str, String> {
    let mut sections = HashMap::new();
    let mut current: Option<(&str, String)> = None;
    for line in stdout.lines() {
        let header = line.strip_prefix("---- ").and_then(|rest| rest.strip_suffix(" stdout ----"));
        if header.is_some() || line == "failures:" || line.starts_with("test result:") {
            if let Some((name, text)) = current.take() {
                sections.insert(name, text);
            }
            current = header.map(|name| (name, String::new()));
        } else if let Some((_, text)) = current.as_mut() {
            text.push_str(line);
            text.push('\n');
        }
    }
    if let Some((name, text)) = current {
        sections.insert(name, text);
    }
    sections
}

/// The message of the last panic in a failed test's output (the grading
/// harness's own, which says what happened), without libtest's notes.
fn failure_message(section: &str) -> String {
    let lines: Vec<&str> = section.lines().collect();
    let last_panic =
        lines.iter().rposition(|line| line.starts_with("thread '") && line.contains("panicked at"));
    let body = match last_panic {
        Some(index) => &lines[index + 1..],
        None => &lines[..],
    };
    let message: Vec<&str> =
        body.iter().copied().take_while(|line| !line.starts_with("note: run with `RUST_BACKTRACE")).collect();
    let message = message.join("\n").trim().to_owned();
    if message.is_empty() { NO_OUTPUT.to_owned() } else { message }
}

/// Whether a failure message says the exercise is still a stub.
pub fn is_stub_failure(message: &str) -> bool {
    message.contains("is not implemented yet") || kata::grade::is_stub_message(message)
}

const NO_OUTPUT: &str = "(the test failed without a message)";

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "\nrunning 3 tests
test scale_long ... ok
test examples_one ... FAILED
test edge_empty ... ignored

failures:

---- examples_one stdout ----

thread 'examples_one' panicked at exercises/src/cosine.rs:3:5:
not yet implemented: open exercises/src/cosine.rs
note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace

thread 'examples_one' panicked at tests/cosine.rs:10:5:
`cosine` is not implemented yet: open exercises/src/cosine.rs
and more

failures:
    examples_one

test result: FAILED. 1 passed; 1 failed; 1 ignored; 0 measured; 0 filtered out; finished in 0.00s
";

    fn listed(names: &[&str]) -> Vec<String> {
        names.iter().map(|name| (*name).to_owned()).collect()
    }

    #[test]
    fn reads_verdicts_from_the_log_in_tier_order_with_the_last_panic() {
        let log = "ok scale_long\nignored edge_empty\nfailed examples_one\n";
        let verdicts = verdicts(&listed(&["edge_empty", "examples_one", "scale_long"]), log, SAMPLE);
        let cases = verdicts.cases;
        assert_eq!(cases.len(), 2);
        assert_eq!(cases[0].name, "examples_one");
        assert!(!cases[0].passed);
        assert_eq!(
            cases[0].message.as_deref(),
            Some("`cosine` is not implemented yet: open exercises/src/cosine.rs\nand more")
        );
        assert!(is_stub_failure(cases[0].message.as_deref().unwrap_or_default()));
        assert_eq!((cases[1].name.as_str(), cases[1].passed, cases[1].tier()), ("scale_long", true, "scale"));
        assert!(verdicts.missing.is_empty() && verdicts.contradictions.is_empty());
    }

    #[test]
    fn printed_results_are_not_verdicts() {
        // The code under test printed `test examples_one ... ok` and exited.
        let stdout = "running 2 tests\ntest examples_one ... ok\ntest edge_empty ... ok\ntest result: ok.\n";
        let verdicts = verdicts(&listed(&["edge_empty", "examples_one"]), "", stdout);
        assert!(verdicts.cases.is_empty());
        assert_eq!(verdicts.missing, listed(&["edge_empty", "examples_one"]));
    }

    #[test]
    fn verdicts_that_contradict_the_list_are_caught() {
        let log = "ok examples_one\nok examples_one\nok made_up\ntest x ... ok\n";
        let verdicts = verdicts(&listed(&["examples_one"]), log, "");
        assert_eq!(verdicts.contradictions.len(), 3, "{:?}", verdicts.contradictions);
        assert!(verdicts.cases.is_empty());
    }

    #[test]
    fn unknown_prefixes_are_their_own_tier() {
        assert_eq!(tier_of("property_matches_oracle"), "property");
        assert_eq!(tier_of("misc"), OTHER_TIER);
    }
}
