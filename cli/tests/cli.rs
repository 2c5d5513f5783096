//! End-to-end tests of the `kata` command: the built binary, run on small
//! fixture workspaces generated in a temporary directory.
//!
//! A fixture is a dependency-free crate with one module and one test file
//! per exercise of the registry (`exercises.toml`); its tests carry the hidden
//! tests' tier prefixes and fail the way the grading harness makes them fail
//! (a stub names the file to open). It builds in a second or two, so these
//! tests stay cheap. They do not depend on the kit's own exercises, so they
//! pass with and without `--features reference`.

use std::fs;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::thread;
use std::time::{Duration, Instant};

use serde_json::Value;
use tempfile::TempDir;

/// The registry, as the binary compiles it in.
#[allow(dead_code)] // the binary uses every item; these tests only some
#[path = "../src/exercise.rs"]
mod exercise;
use exercise::EXERCISES;

/// What the fixture's exercises answer (the tests expect 42).
#[derive(Clone, Copy)]
enum Answer {
    Stub,
    Correct,
    Wrong,
    Panicking,
    EndlessLoop,
}

impl Answer {
    fn body(self, name: &str) -> String {
        match self {
            Answer::Stub => format!("todo!(\"open exercises/src/{name}.rs\")"),
            Answer::Correct => "42".to_owned(),
            Answer::Wrong => "41".to_owned(),
            Answer::Panicking => {
                "panic!(\"index out of bounds: the len is 3 but the index is 7\")".to_owned()
            }
            Answer::EndlessLoop => {
                "loop { std::thread::sleep(std::time::Duration::from_millis(10)); }".to_owned()
            }
        }
    }
}

/// A fixture workspace in a temporary directory (removed on drop).
struct Fixture {
    dir: TempDir,
}

impl Fixture {
    /// Every exercise answers `answer`.
    fn new(answer: Answer) -> Fixture {
        let dir = tempfile::Builder::new().prefix("kata-fixture-").tempdir().expect("a temporary directory");
        let fixture = Fixture { dir };
        fixture.write(
            "Cargo.toml",
            "[package]\nname = \"kata-fixture\"\nversion = \"0.0.0\"\nedition = \"2021\"\n\n\
             [features]\nreference = []\n\n[workspace]\n",
        );
        let mut lib = String::new();
        for exercise in EXERCISES {
            let name = exercise.name;
            lib.push_str(&format!(
                "#[cfg(not(feature = \"reference\"))]\n#[path = \"../exercises/src/{name}.rs\"]\npub mod {name};\n\
                 #[cfg(feature = \"reference\")]\npub mod {name} {{ pub fn answer() -> u32 {{ 42 }} }}\n"
            ));
            fixture.write(&format!("tests/{name}.rs"), &hidden_tests(name));
            // What `kata reset` and `kata grade` take for the shipped stub.
            fixture.set_answer(name, Answer::Stub);
            fixture.write(&format!("stubs/{name}.rs"), &fixture.read(&format!("exercises/src/{name}.rs")));
            fixture.set_answer(name, answer);
        }
        fixture.write("src/lib.rs", &lib);
        fixture
    }

    fn root(&self) -> &Path {
        self.dir.path()
    }

    fn write(&self, relative: &str, text: &str) {
        let path = self.root().join(relative);
        fs::create_dir_all(path.parent().expect("a parent directory"))
            .expect("creating the fixture's directories");
        fs::write(&path, text).expect("writing a fixture file");
    }

    fn read(&self, relative: &str) -> String {
        fs::read_to_string(self.root().join(relative)).expect("reading a fixture file")
    }

    fn set_answer(&self, name: &str, answer: Answer) {
        self.set_body(name, &answer.body(name));
    }

    /// The exercise `name` answers what `body` (an expression) evaluates to.
    fn set_body(&self, name: &str, body: &str) {
        self.write(
            &format!("exercises/src/{name}.rs"),
            &format!(
                "//! The `{name}` fixture.\n\n/// The answer.\npub fn answer() -> u32 {{\n    {body}\n}}\n"
            ),
        );
    }

    /// `kata ARGS --root FIXTURE`, ready to run.
    fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_kata"));
        command
            .args(args)
            .arg("--root")
            .arg(self.root())
            .env("CARGO_TARGET_DIR", self.root().join("target"))
            .env("NO_COLOR", "1")
            // Wide enough that table rows stay whole for the assertions below.
            .env("COLUMNS", "250")
            .env_remove("KATA_SEED")
            .env_remove("KATA_ROOT")
            .stdin(Stdio::null());
        command
    }

    fn kata(&self, args: &[&str]) -> Outcome {
        Outcome::of(self.command(args).output().expect("running kata"))
    }

    /// Writes what criterion saves for one measurement of the `dot` group
    /// (cosine's), and returns its result directory.
    fn save_estimate(&self, implementation: &str, size: &str, ns: f64) -> PathBuf {
        let name = format!("dot/{implementation}/{size}");
        let id = serde_json::json!({
            "group_id": "dot", "function_id": implementation, "value_str": size,
            "throughput": null, "full_id": name, "directory_name": name, "title": name
        });
        let point = serde_json::json!({"point_estimate": ns, "standard_error": 1.0,
            "confidence_interval": {"confidence_level": 0.95, "lower_bound": ns, "upper_bound": ns}});
        let estimates = serde_json::json!({"mean": point, "median": point, "median_abs_dev": point, "slope": null, "std_dev": point});
        self.write(&format!("target/criterion/{name}/new/benchmark.json"), &id.to_string());
        self.write(&format!("target/criterion/{name}/new/estimates.json"), &estimates.to_string());
        self.root().canonicalize().expect("the fixture's root").join("target/criterion").join(name)
    }
}

/// The fixture's hidden tests: one per tier; `property_` also passes on the
/// wrong answer, so a wrong answer is "failing M of N", not "not started".
fn hidden_tests(name: &str) -> String {
    format!(
        r#"fn graded() -> u32 {{
    match std::panic::catch_unwind(kata_fixture::{name}::answer) {{
        Ok(answer) => answer,
        Err(payload) => {{
            let message = payload
                .downcast_ref::<&str>()
                .map(|text| text.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            if message.contains("not yet implemented") {{
                panic!("`{name}` is not implemented yet: open exercises/src/{name}.rs");
            }}
            panic!("{{message}}\n(replay with KATA_SEED=1)");
        }}
    }}
}}

#[test]
fn examples_the_answer() {{ assert_eq!(graded(), 42, "the statement's example"); }}
#[test]
fn edge_the_answer_is_even() {{ assert_eq!(graded() % 2, 0, "the answer must be even"); }}
#[test]
fn property_the_answer_is_large() {{ assert!(graded() > 40, "the answer must exceed 40"); }}
#[test]
fn robust_the_answer_is_exact() {{ assert_eq!(graded(), 42); }}
#[test]
fn scale_the_answer_is_quick() {{ assert_eq!(graded(), 42); }}
"#
    )
}

/// A finished run of kata.
struct Outcome {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

impl Outcome {
    fn of(output: Output) -> Outcome {
        Outcome {
            code: output.status.code(),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }

    fn assert_code(&self, code: i32) -> &Outcome {
        assert_eq!(
            self.code,
            Some(code),
            "exit code\n--- stdout\n{}\n--- stderr\n{}",
            self.stdout,
            self.stderr
        );
        self
    }

    fn assert_stdout(&self, needle: &str) -> &Outcome {
        assert!(
            self.stdout.contains(needle),
            "stdout lacks {needle:?}\n--- stdout\n{}\n--- stderr\n{}",
            self.stdout,
            self.stderr
        );
        self
    }

    fn assert_stdout_lacks(&self, needle: &str) -> &Outcome {
        assert!(!self.stdout.contains(needle), "stdout holds {needle:?}\n--- stdout\n{}", self.stdout);
        self
    }

    fn assert_stderr(&self, needle: &str) -> &Outcome {
        assert!(
            self.stderr.contains(needle),
            "stderr lacks {needle:?}\n--- stdout\n{}\n--- stderr\n{}",
            self.stdout,
            self.stderr
        );
        self
    }
}

const FIRST: &str = EXERCISES[0].name;

// ---------------------------------------------------------------- check and list

#[test]
fn check_reports_a_stub_as_not_started() {
    let fixture = Fixture::new(Answer::Stub);
    fixture
        .kata(&["check", FIRST])
        .assert_code(1)
        .assert_stdout("not started")
        .assert_stdout(&format!("Open exercises/src/{FIRST}.rs"));
}

#[test]
fn check_passes_a_correct_solution_with_exit_code_zero() {
    let fixture = Fixture::new(Answer::Correct);
    fixture
        .kata(&["check"])
        .assert_code(0)
        .assert_stdout("passing (5 tests)")
        .assert_stdout("examples    1/1   ok")
        .assert_stdout(&format!("{n} of {n} exercises pass.", n = EXERCISES.len()));
}

#[test]
fn check_reference_grades_the_reference_and_passes() {
    let fixture = Fixture::new(Answer::Stub);
    fixture.kata(&["check", FIRST, "--reference"]).assert_code(0).assert_stdout("passing (5 tests)");
}

#[test]
fn check_shows_the_first_failure_of_a_wrong_answer() {
    let fixture = Fixture::new(Answer::Wrong);
    fixture
        .kata(&["check", FIRST])
        .assert_code(1)
        .assert_stdout("failing: 1 of 5 passed")
        .assert_stdout("first failure: examples_the_answer")
        .assert_stdout("the statement's example")
        .assert_stdout("left: 41");
}

#[test]
fn check_reports_a_panic_with_its_message() {
    let fixture = Fixture::new(Answer::Panicking);
    fixture
        .kata(&["check", FIRST])
        .assert_code(1)
        .assert_stdout("failing: 0 of 5 passed")
        .assert_stdout("index out of bounds: the len is 3 but the index is 7");
}

#[test]
fn check_stops_an_endless_loop_at_the_time_limit() {
    let fixture = Fixture::new(Answer::EndlessLoop);
    // Build first, so the limit below measures the run only.
    fixture.kata(&["check", FIRST, "--reference"]).assert_code(0);
    let started = Instant::now();
    let outcome = fixture.kata(&["check", FIRST, "--timeout", "2"]);
    outcome.assert_code(1).assert_stdout("timed out").assert_stdout("did not finish within 2 s");
    assert!(started.elapsed() < Duration::from_secs(120), "kata check hung for {:?}", started.elapsed());
}

#[test]
fn list_shows_every_exercise_and_what_to_do_next() {
    let fixture = Fixture::new(Answer::Stub);
    fixture.set_answer(FIRST, Answer::Correct);
    let outcome = fixture.kata(&["list"]);
    outcome.assert_code(0);
    for exercise in EXERCISES {
        outcome.assert_stdout(exercise.name);
    }
    outcome.assert_stdout("passing (5 tests)");
    if let Some(second) = EXERCISES.get(1) {
        outcome.assert_stdout("not started").assert_stdout(&format!("Next: {}.", second.name));
    }
}

#[test]
fn an_unknown_exercise_suggests_the_nearest_name() {
    let fixture = Fixture::new(Answer::Stub);
    let typo = &FIRST[..FIRST.len() - 1];
    fixture.kata(&["check", typo]).assert_code(1).assert_stderr(&format!("did you mean \"{FIRST}\"?"));
    fixture.kata(&["hint", "no-such-exercise-at-all"]).assert_code(1).assert_stderr("there is no exercise");
}

#[test]
fn a_workspace_that_does_not_compile_says_so() {
    let fixture = Fixture::new(Answer::Stub);
    fixture.write(&format!("exercises/src/{FIRST}.rs"), "pub fn answer() -> u32 { \"forty-two\" }\n");
    fixture
        .kata(&["check", FIRST])
        .assert_code(1)
        .assert_stdout("does not compile")
        .assert_stderr("mismatched types");
}

// ---------------------------------------------------------------- timer, hints, reset

#[test]
fn start_records_the_timer_and_check_records_the_first_pass() {
    let fixture = Fixture::new(Answer::Correct);
    fixture
        .kata(&["start", FIRST, "--minutes", "30"])
        .assert_code(0)
        .assert_stdout("30 minutes")
        .assert_stdout("is not the shipped stub");
    let timers: Value =
        serde_json::from_str(&fixture.read(".kata/timers.json")).expect("the timer file is JSON");
    assert!(timers[FIRST]["started_at"].as_u64().is_some(), "{timers}");
    assert!(timers[FIRST]["first_passed_at"].is_null(), "{timers}");

    // The reviewer's report sees the pass, but the pass is not the candidate's.
    fixture.kata(&["report"]).assert_code(0);
    let timers: Value =
        serde_json::from_str(&fixture.read(".kata/timers.json")).expect("the timer file is JSON");
    assert!(timers[FIRST]["first_passed_at"].is_null(), "kata report recorded a first pass: {timers}");

    fixture.kata(&["check", FIRST]).assert_code(0);
    let timers: Value =
        serde_json::from_str(&fixture.read(".kata/timers.json")).expect("the timer file is JSON");
    assert!(timers[FIRST]["first_passed_at"].as_u64().is_some(), "{timers}");
    assert_eq!(timers[FIRST]["minutes"], 30);
}

#[test]
fn hints_are_revealed_one_more_per_call() {
    let fixture = Fixture::new(Answer::Stub);
    let first = fixture.kata(&["hint", FIRST]);
    first.assert_code(0).assert_stdout(&format!("Hint 1 of 4 for {FIRST}"));
    assert!(!first.stdout.contains("Hint 2 of"), "{}", first.stdout);
    fixture.kata(&["hint", FIRST]).assert_code(0).assert_stdout("Hint 1 of 4").assert_stdout("Hint 2 of 4");
    fixture
        .kata(&["hint", FIRST, "--all"])
        .assert_code(0)
        .assert_stdout("Hint 4 of 4")
        .assert_stdout("last hint");
}

#[test]
fn reset_restores_the_shipped_stub_and_keeps_a_backup() {
    let fixture = Fixture::new(Answer::Correct);
    let stub_file = format!("exercises/src/{FIRST}.rs");
    let edited = fixture.read(&stub_file);

    // No terminal to ask and no --yes: nothing changes.
    fixture.kata(&["reset", FIRST]).assert_code(1).assert_stderr("--yes");
    assert_eq!(fixture.read(&stub_file), edited);

    fixture.kata(&["reset", FIRST, "--yes"]).assert_code(0).assert_stdout("shipped stub again");
    let shipped = fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../stubs").join(format!("{FIRST}.rs")),
    )
    .expect("the kit's shipped stub");
    assert_eq!(fixture.read(&stub_file), shipped);
    let backups: Vec<PathBuf> = fs::read_dir(fixture.root().join(".kata/backups"))
        .expect("a backup directory")
        .map(|entry| entry.expect("a backup").path())
        .collect();
    assert_eq!(backups.len(), 1);
    assert_eq!(fs::read_to_string(&backups[0]).expect("the backup"), edited);

    // --restore undoes the reset.
    fixture.kata(&["reset", FIRST, "--restore"]).assert_code(0).assert_stdout("Restored:");
    assert_eq!(fixture.read(&stub_file), edited);
    fixture.kata(&["reset", FIRST, "--restore"]).assert_code(1).assert_stderr("no backup");

    // --all resets every edited exercise, keeping each one's code.
    fixture.kata(&["reset", "--all", "--yes"]).assert_code(0).assert_stdout("exercises reset");
    for exercise in EXERCISES {
        assert_eq!(fixture.read(&exercise.stub_path()), exercise.stub, "{} was not reset", exercise.name);
    }
}

#[test]
fn solution_waits_for_the_pass_unless_forced() {
    let fixture = Fixture::new(Answer::Stub);
    fixture.write(
        &format!("solutions/src/{FIRST}.rs"),
        "//! # The lesson\n//!\n//! Why it is fast.\n\npub fn answer() -> u32 {\n    42\n}\n",
    );
    fixture.kata(&["solution", FIRST]).assert_code(1).assert_stdout("does not pass yet");
    fixture.kata(&["solution", FIRST, "--force"]).assert_code(0).assert_stdout("Why it is fast.");
    fixture.set_answer(FIRST, Answer::Correct);
    fixture.kata(&["solution", FIRST]).assert_code(0).assert_stdout("# The lesson");
}

/// A copy of the kit's own sources (no target/, no .git) in a temporary directory.
fn copy_of_the_kit() -> TempDir {
    fn copy(from: &Path, to: &Path) {
        fs::create_dir_all(to).expect("creating a directory of the copy");
        for entry in fs::read_dir(from).expect("reading the kit") {
            let path = entry.expect("a directory entry").path();
            let name = path.file_name().expect("a file name").to_owned();
            if ["target", ".git", ".kata"].iter().any(|skipped| name == *skipped) {
                continue;
            }
            if path.is_dir() {
                copy(&path, &to.join(&name));
            } else {
                fs::copy(&path, to.join(&name)).expect("copying a file of the kit");
            }
        }
    }
    let dir = tempfile::Builder::new().prefix("kata-kit-").tempdir().expect("a temporary directory");
    copy(Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("the kit's root"), dir.path());
    dir
}

/// `kata ARGS --root ROOT`.
fn kata_at(root: &Path, args: &[&str]) -> Outcome {
    Outcome::of(
        Command::new(env!("CARGO_BIN_EXE_kata"))
            .args(args)
            .arg("--root")
            .arg(root)
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .output()
            .expect("running kata"),
    )
}

#[test]
fn selfcheck_passes_on_the_kit_and_catches_a_stale_stub_copy() {
    let kit = copy_of_the_kit();
    kata_at(kit.path(), &["selfcheck"]).assert_code(0).assert_stdout("every file the registry names");
    let copy = kit.path().join(format!("stubs/{FIRST}.rs"));
    fs::write(&copy, "//! an old statement\n").expect("editing the stub copy");
    kata_at(kit.path(), &["selfcheck"]).assert_code(1).assert_stdout(&format!("stubs/{FIRST}.rs differs"));
    kata_at(kit.path(), &["selfcheck", "--fix"])
        .assert_code(0)
        .assert_stdout(&format!("fixed: stubs/{FIRST}.rs"));
}

#[test]
fn selfcheck_catches_a_module_the_registry_does_not_list() {
    let kit = copy_of_the_kit();
    let lib = kit.path().join("exercises/src/lib.rs");
    let text = fs::read_to_string(&lib).expect("exercises/src/lib.rs");
    fs::write(&lib, format!("{text}pub mod unlisted;\n")).expect("editing lib.rs");
    kata_at(kit.path(), &["selfcheck"]).assert_code(1).assert_stdout("declares `unlisted`");
}

#[test]
fn new_scaffolds_every_file_of_an_exercise_and_refuses_a_taken_name() {
    let kit = copy_of_the_kit();
    let root = kit.path();
    kata_at(root, &["new", "demo_scaffold"]).assert_code(0).assert_stdout("Scaffolded");
    for file in [
        "types/src/demo_scaffold.rs",
        "exercises/src/demo_scaffold.rs",
        "stubs/demo_scaffold.rs",
        "solutions/src/demo_scaffold.rs",
        "tests/demo_scaffold.rs",
        "benches/demo_scaffold.rs",
        "answers/demo_scaffold/right_fold_in_u64.rs",
        "answers/demo_scaffold/wrong_sum_in_u32.rs",
    ] {
        assert!(root.join(file).is_file(), "kata new did not write {file}");
    }
    let read = |file: &str| fs::read_to_string(root.join(file)).expect("a scaffolded file");
    assert_eq!(read("stubs/demo_scaffold.rs"), read("exercises/src/demo_scaffold.rs"));
    assert!(read("exercises/src/demo_scaffold.rs").contains("todo!("));
    for lib in ["exercises/src/lib.rs", "solutions/src/lib.rs"] {
        assert!(read(lib).contains("pub mod demo_scaffold;\n"), "{lib} lacks the module");
    }
    assert!(read("types/src/lib.rs").contains("pub use demo_scaffold::DemoScaffoldError;"));
    assert!(read("benches/Cargo.toml").contains("[[bench]]\nname = \"demo_scaffold\"\n"));
    assert!(read("exercises.toml").contains("name = \"demo_scaffold\""));
    kata_at(root, &["new", "demo_scaffold"]).assert_code(1).assert_stderr("already an exercise");
    kata_at(root, &["new", "Bad-Name"]).assert_code(1).assert_stderr("not a module name");
}

// ---------------------------------------------------------------- report and compare

#[test]
fn report_writes_json_that_follows_the_schema_and_compare_reads_it() {
    let fixture = Fixture::new(Answer::Wrong);
    fixture.set_answer(FIRST, Answer::Correct);
    let out = fixture.root().join("alice.json");
    let out_arg = out.to_str().expect("a UTF-8 path");
    fixture
        .kata(&["report", "--seed", "7", "--out", out_arg])
        .assert_code(0)
        .assert_stdout("AI Kata report")
        .assert_stdout("seed: 0x7 ")
        .assert_stdout("(no --bench)");

    let report: Value = serde_json::from_str(&fs::read_to_string(&out).expect("the report")).expect("JSON");
    let schema: Value =
        serde_json::from_str(include_str!("../../docs/report-schema.json")).expect("the schema is JSON");
    let errors = validate(&report, &schema, &schema, "$");
    assert!(errors.is_empty(), "the report breaks its schema:\n{}\n{report:#}", errors.join("\n"));
    assert_eq!(report["seed"], 7);
    assert_eq!(report["graded"], "candidate");
    assert_eq!(report["exercises"].as_array().map(Vec::len), Some(EXERCISES.len()));
    assert_eq!(report["exercises"][0]["status"], "passing");
    if EXERCISES.len() > 1 {
        assert_eq!(report["exercises"][1]["status"], "failing");
        assert_eq!(report["exercises"][1]["first_failure"]["test"], "examples_the_answer");
    }

    // A second candidate, on another machine with another seed.
    let mut other = report.clone();
    other["seed"] = 8.into();
    other["machine"]["cpu_model"] = "Another CPU".into();
    let bob = fixture.root().join("bob.json");
    fs::write(&bob, other.to_string()).expect("writing the second report");
    let outcome = Outcome::of(
        Command::new(env!("CARGO_BIN_EXE_kata"))
            .args(["compare", out_arg, bob.to_str().expect("a UTF-8 path")])
            .arg("--root")
            .arg(fixture.root())
            .env("NO_COLOR", "1")
            .output()
            .expect("running kata compare"),
    );
    outcome
        .assert_code(0)
        .assert_stdout("alice")
        .assert_stdout("bob")
        .assert_stdout("5/5 passing")
        .assert_stdout("1/5 failing")
        .assert_stdout("different machines")
        .assert_stdout("different seeds");
}

#[test]
fn report_shows_the_saved_benchmarks_of_the_last_kata_bench() {
    let fixture = Fixture::new(Answer::Correct);
    let directories =
        [fixture.save_estimate("reference", "384", 100.0), fixture.save_estimate("candidate", "384", 120.0)];
    let index = serde_json::json!({ "cosine": directories });
    fixture.write(".kata/benchmarks.json", &index.to_string());
    let out = fixture.root().join("saved.json");
    let args = ["report", "--seed", "0x5eed1234", "--out", out.to_str().expect("a UTF-8 path")];
    let outcome = Outcome::of(fixture.command(&args).env("COLUMNS", "80").output().expect("running kata"));
    outcome.assert_code(0).assert_stdout("seed: 0x5eed1234 ").assert_stdout("1.20x");
    let cosine_row = outcome.stdout.lines().find(|line| line.contains("cosine")).expect("a row for cosine");
    assert!(!cosine_row.contains("(no --bench)"), "saved results hidden: {cosine_row}");
    // The table fits an 80-column terminal (the header line names the machine and may not).
    let table: Vec<&str> =
        outcome.stdout.lines().filter(|line| line.starts_with(' ') || line.starts_with('─')).collect();
    assert!(table.len() > EXERCISES.len(), "no table in\n{}", outcome.stdout);
    for line in table {
        assert!(line.chars().count() <= 80, "a line wider than 80 columns: {line:?}");
    }
    let report = read_report(&out);
    assert_eq!(report["benchmarked"], true);
    assert_eq!(report["seed"], 0x5eed_1234);
    assert_eq!(entry(&report, "cosine")["benchmarks"][0]["group"], "dot");
}

#[test]
fn a_mistyped_kata_seed_is_refused_before_anything_runs() {
    let fixture = Fixture::new(Answer::Correct);
    for args in [&["check", FIRST][..], &["report"]] {
        let outcome =
            Outcome::of(fixture.command(args).env("KATA_SEED", "garbage").output().expect("running kata"));
        outcome.assert_code(2).assert_stderr("\"garbage\" is not a number");
    }
    assert!(!fixture.root().join("target").exists(), "kata built the fixture before refusing the seed");
}

#[test]
fn kata_works_from_a_subdirectory_of_the_kit() {
    let fixture = Fixture::new(Answer::Stub);
    let outcome = Outcome::of(
        Command::new(env!("CARGO_BIN_EXE_kata"))
            .arg("list")
            .current_dir(fixture.root().join("exercises/src"))
            .env("NO_COLOR", "1")
            .env_remove("KATA_ROOT")
            .output()
            .expect("running kata"),
    );
    outcome.assert_code(0).assert_stdout(FIRST);
    // `cargo kata` is an alias; naming the package makes it resolve from any
    // member's directory (`--bin kata` alone looks only in the current package).
    let config = fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../.cargo/config.toml"))
        .expect("the kit's .cargo/config.toml");
    let alias = config.lines().find(|line| line.starts_with("kata =")).expect("the kata alias");
    assert!(alias.contains("--package kata-cli") && alias.contains("--bin kata"), "{alias}");
}

#[test]
fn compare_rejects_files_that_are_not_reports() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let broken = dir.path().join("broken.json");
    fs::write(&broken, "{ not json").expect("writing");
    let foreign = dir.path().join("foreign.json");
    fs::write(&foreign, r#"{"schema": "something-else"}"#).expect("writing");
    let newer = dir.path().join("newer.json");
    fs::write(&newer, r#"{"schema": "ai-kata-report", "schema_version": 99}"#).expect("writing");
    let compare = |path: &Path| {
        Outcome::of(
            Command::new(env!("CARGO_BIN_EXE_kata")).arg("compare").arg(path).output().expect("running kata"),
        )
    };
    compare(&broken).assert_code(1).assert_stderr("is not JSON").assert_stderr("kata report --out FILE");
    compare(&foreign).assert_code(1).assert_stderr("is not an AI Kata report");
    compare(&newer).assert_code(1).assert_stderr("schema version 99");
}

/// A real report of the fixture (first exercise passing, the others failing),
/// written by `kata report`, as JSON.
fn real_report(fixture: &Fixture, name: &str) -> (PathBuf, Value) {
    let out = fixture.root().join(format!("{name}.json"));
    fixture.kata(&["report", "--seed", "7", "--out", out.to_str().expect("a UTF-8 path")]).assert_code(0);
    let report = serde_json::from_str(&fs::read_to_string(&out).expect("the report")).expect("JSON");
    (out, report)
}

/// `kata compare` of the report files in `names` (written in the fixture).
fn compare_files(fixture: &Fixture, names: &[&str], extra: &[&str]) -> Outcome {
    let paths: Vec<String> =
        names.iter().map(|name| format!("{}/{name}.json", fixture.root().display())).collect();
    let mut args: Vec<&str> = vec!["compare"];
    args.extend(paths.iter().map(String::as_str));
    args.extend(extra);
    fixture.kata(&args)
}

#[test]
fn compare_refuses_hand_edited_reports_saying_what_contradicts_what() {
    let fixture = Fixture::new(Answer::Wrong);
    fixture.set_answer(FIRST, Answer::Correct);
    let (_, alice) = real_report(&fixture, "alice");
    assert!(alice["exercises"][0]["fingerprint"].as_array().is_some_and(|prints| !prints.is_empty()));
    compare_files(&fixture, &["alice"], &[])
        .assert_code(0)
        .assert_stdout("unverified")
        .assert_stdout("not by `kata grade`")
        .assert_stdout_lacks("refused");
    let edit = |name: &str, change: &dyn Fn(&mut Value)| {
        let mut edited = alice.clone();
        change(&mut edited);
        fixture.write(&format!("{name}.json"), &edited.to_string());
    };

    // 99 of 26: more passed than ran, tiers that do not add up, counts unlike the kit's.
    edit("inflated", &|r| {
        r["exercises"][0]["passed"] = 99.into();
        r["exercises"][0]["total"] = 26.into();
    });
    compare_files(&fixture, &["alice", "inflated"], &[])
        .assert_code(1)
        .assert_stdout("REFUSED")
        .assert_stdout(&format!(
            "refused: inflated: {FIRST}: 99 tests passed of 26 run: more passed than ran"
        ))
        .assert_stdout(&format!("{FIRST}: the tiers add up to 5/5, but the exercise says 99/26"))
        .assert_stdout("refused: no score");

    // 3 of 22 "passing": a status its counts deny, with a first failure left behind.
    if EXERCISES.len() > 1 {
        let second = EXERCISES[1].name;
        edit("promoted", &|r| {
            r["exercises"][1]["status"] = "passing".into();
            r["exercises"][1]["passed"] = 3.into();
            r["exercises"][1]["total"] = 22.into();
        });
        compare_files(&fixture, &["promoted"], &[])
            .assert_code(1)
            .assert_stdout(&format!("{second}: status \"passing\" with 3 of 22 tests passed"))
            .assert_stdout(&format!("{second}: the tiers add up to 1/5, but the exercise says 3/22"))
            .assert_stdout(&format!(
                "{second}: a first failure (examples_the_answer) on an exercise marked passing"
            ))
            .assert_stdout_lacks("alice");
    }

    // A kit hash that is not this kit's (the report claims another kit graded it).
    edit("other_kit", &|r| {
        r["provenance"] = serde_json::json!({
            "kit_sha256": "0".repeat(64), "files_sha256": {}, "toolchain": "rustc 1.89.0", "time_scale": null,
            "kernel": null, "bench_length": null, "contained": true, "sandbox": "bubblewrap",
            "hand_in": {"source": "other_kit.tar", "ignored": [], "rejected": []}
        });
    });
    compare_files(&fixture, &["alice", "other_kit"], &[])
        .assert_code(1)
        .assert_stdout("refused: other_kit: its kit_sha256 000000000000 is not this kit's")
        .assert_stdout("grade the hand-in again with this kit");
}

#[test]
fn compare_flags_copies_and_scores_each_candidate() {
    let fixture = Fixture::new(Answer::Wrong);
    fixture.set_answer(FIRST, Answer::Correct);
    let (_, alice) = real_report(&fixture, "alice");
    // Bob hands in the same code: same fingerprints.
    fixture.write("bob.json", &alice.to_string());
    compare_files(&fixture, &["alice", "bob"], &[])
        .assert_code(0)
        .assert_stdout(&format!("similar: {FIRST}: alice and bob share 100% of their code's fingerprints"))
        .assert_stdout("score");
}

/// Chromium, where it is installed (CI installs it and sets
/// `KATA_REQUIRE_CHROMIUM=1`, so there this test never skips).
fn chromium() -> Option<PathBuf> {
    let found =
        ["/usr/bin/chromium", "/usr/bin/chromium-browser"].iter().map(PathBuf::from).find(|p| p.is_file());
    if found.is_none() && std::env::var_os("KATA_REQUIRE_CHROMIUM").is_some() {
        panic!("KATA_REQUIRE_CHROMIUM is set but chromium is not installed: `apt-get install -y chromium`");
    }
    found
}

#[test]
fn compare_html_renders_every_candidate_and_exercise_in_headless_chromium() {
    let Some(chromium) = chromium() else {
        eprintln!("skipped: chromium is not installed (`apt-get install -y chromium`; CI installs it)");
        return;
    };
    let fixture = Fixture::new(Answer::Wrong);
    fixture.set_answer(FIRST, Answer::Correct);
    let (_, mut alice) = real_report(&fixture, "alice");
    // Benchmarks with a spread, consistent with their times, so the page draws its charts.
    let benchmark = |candidate: f64, min: f64, max: f64| {
        let ratio = candidate / 100.0;
        let verdict = if ratio <= 1.5 {
            "strong"
        } else if ratio <= 5.0 {
            "acceptable"
        } else {
            "weak"
        };
        serde_json::json!([{ "group": "dot", "size": "384",
            "times_ns": { "candidate": candidate, "reference": 100.0 },
            "candidate_vs_reference": ratio, "candidate_vs_peers": {}, "others_vs_reference": {},
            "verdict": verdict, "spread": { "runs": 5, "min": min, "max": max } }])
    };
    alice["benchmarked"] = true.into();
    let mut bob = alice.clone();
    alice["exercises"][0]["benchmarks"] = benchmark(300.0, 2.5, 3.6);
    bob["exercises"][0]["benchmarks"] = benchmark(120.0, 1.1, 1.4);
    bob["exercises"][0]["fingerprint"] = serde_json::json!([]);
    fixture.write("alice.json", &alice.to_string());
    fixture.write("bob.json", &bob.to_string());
    let page = fixture.root().join("review.html");
    compare_files(&fixture, &["alice", "bob"], &["--html", page.to_str().expect("a UTF-8 path")])
        .assert_code(0)
        .assert_stdout("HTML page:");
    let html = fs::read_to_string(&page).expect("the page");
    for external in ["<script", "src=", "href=", "@import", "url("] {
        assert!(!html.contains(external), "the page refers to something outside it ({external})");
    }

    let profile = tempfile::tempdir().expect("a profile directory");
    let run = |extra: &[&str]| {
        let output = Command::new(&chromium)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
            ])
            .args(["--disable-component-update", "--disable-sync"])
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .args(extra)
            .arg(format!("file://{}", page.display()))
            .output()
            .expect("running chromium");
        assert!(output.status.success(), "chromium failed: {}", String::from_utf8_lossy(&output.stderr));
        output
    };
    let dom = String::from_utf8_lossy(&run(&["--dump-dom"]).stdout).into_owned();
    for needle in [
        "alice",
        "bob",
        "AI Kata: candidates side by side",
        "<svg",
        "whisker",
        "3.00x acceptable (2.50–3.60 over 5 runs)",
    ] {
        assert!(dom.contains(needle), "the rendered page lacks {needle:?}");
    }
    for exercise in EXERCISES {
        assert!(
            dom.contains(&format!(">{}<", exercise.name)),
            "the rendered page lacks exercise {}",
            exercise.name
        );
    }
    let screenshot = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("compare.png");
    let _ = fs::remove_file(&screenshot);
    run(&[&format!("--screenshot={}", screenshot.display()), "--window-size=1200,3400", "--hide-scrollbars"]);
    let png = fs::read(&screenshot).expect("chromium wrote the screenshot");
    assert!(png.starts_with(b"\x89PNG") && png.len() > 10_000, "the screenshot is not a picture of the page");
    eprintln!("screenshot: {}", screenshot.display());
}

// ---------------------------------------------------------------- bench

#[test]
fn bench_without_criterion_results_says_which_command_makes_them() {
    let fixture = Fixture::new(Answer::Stub);
    fixture.kata(&["bench", "--saved"]).assert_code(1).assert_stderr("cargo kata bench");
}

#[test]
fn bench_repeat_needs_a_run_of_at_least_one() {
    let fixture = Fixture::new(Answer::Stub);
    fixture.kata(&["bench", "cosine", "--repeat", "0"]).assert_code(2).assert_stderr("--repeat");
    fixture.kata(&["bench", "--saved", "--repeat", "3"]).assert_code(2).assert_stderr("--saved");
}

#[test]
fn bench_reads_criterion_estimates_and_rates_the_candidate() {
    let fixture = Fixture::new(Answer::Stub);
    let estimate =
        |implementation: &str, size: &str, ns: f64| fixture.save_estimate(implementation, size, ns);
    estimate("reference", "384", 100.0);
    estimate("candidate", "384", 300.0);
    estimate("peer:simsimd", "384", 50.0);
    estimate("floor:stream once", "384", 40.0);
    estimate("reference", "4096", 1000.0);
    estimate("candidate", "4096", 1200.0);
    // The ladder of dot/384: the candidate is level with the plain answer,
    // 1.5x the reference's portable path.
    estimate("plain:f64 sums", "384", 320.0);
    estimate("reference:portable", "384", 200.0);
    // A wide terminal keeps each cell on one line.
    Outcome::of(fixture.command(&["bench", "--saved"]).env("COLUMNS", "250").output().expect("running kata"))
        .assert_code(0)
        .assert_stdout("dot/384")
        .assert_stdout("3.00x")
        .assert_stdout("dot/384: plain 0.94x, portable 1.50x, reference 3.00x")
        .assert_stdout("next rung: portable (now plain at dot/384)")
        .assert_stdout("a plain correct answer (`plain`) vs the reference: dot/384 3.20x, acceptable")
        .assert_stdout("peer:simsimd 6.00x")
        .assert_stdout_lacks("floor:stream once 7.50x")
        .assert_stdout("floor:stream once 0.40x")
        .assert_stdout("acceptable")
        .assert_stdout("1.20x")
        .assert_stdout("strong")
        .assert_stdout("report/index.html");

    // On an 80-column terminal the table wraps its cells instead of running off the screen.
    let narrow = Outcome::of(
        fixture.command(&["bench", "--saved"]).env("COLUMNS", "80").output().expect("running kata"),
    );
    narrow.assert_code(0);
    let table_lines: Vec<&str> = narrow.stdout.lines().filter(|line| line.contains("dot/")).collect();
    assert!(!table_lines.is_empty(), "no table rows in\n{}", narrow.stdout);
    for line in narrow.stdout.lines().take_while(|line| !line.starts_with("Ratios are")) {
        assert!(line.chars().count() <= 80, "a line wider than 80 columns: {line:?}");
    }
}

// ---------------------------------------------------------------- watch

/// Sends Ctrl-C with `kill -INT`, hence Unix only.
#[cfg(unix)]
#[test]
fn watch_rechecks_on_save_and_stops_on_ctrl_c() {
    let fixture = Fixture::new(Answer::Correct);
    let mut child = fixture
        .command(&["watch", FIRST])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("starting kata watch");
    let lines = lines_of(&mut child);
    wait_for(&lines, "passing (5 tests)", Duration::from_secs(120));
    wait_for(&lines, "Waiting for a save", Duration::from_secs(10));
    // The build reading the files is no save: one check at start, not two.
    expect_silence(&lines, Duration::from_secs(3));

    fixture.set_answer(FIRST, Answer::Wrong);
    wait_for(&lines, "failing: 1 of 5 passed", Duration::from_secs(120));
    wait_for(&lines, "Waiting for a save", Duration::from_secs(10));

    let interrupt =
        Command::new("kill").args(["-INT", &child.id().to_string()]).status().expect("running kill");
    assert!(interrupt.success());
    wait_for(&lines, "Stopped watching.", Duration::from_secs(10));
    let status = child.wait().expect("waiting for kata watch");
    assert!(status.success(), "kata watch exited with {status}");
}

/// The lines a child prints, as they come.
fn lines_of(child: &mut Child) -> Receiver<String> {
    let stdout = child.stdout.take().expect("a piped stdout");
    let (sender, receiver) = channel();
    thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if sender.send(line).is_err() {
                break;
            }
        }
    });
    receiver
}

/// Fails the test when anything is printed within `quiet`.
fn expect_silence(lines: &Receiver<String>, quiet: Duration) {
    if let Ok(line) = lines.recv_timeout(quiet) {
        panic!("expected nothing more for {quiet:?}, got {line:?}");
    }
}

/// Waits until a line contains `needle`, or fails the test.
fn wait_for(lines: &Receiver<String>, needle: &str, limit: Duration) {
    let deadline = Instant::now() + limit;
    let mut seen = Vec::new();
    while let Some(left) = deadline.checked_duration_since(Instant::now()) {
        match lines.recv_timeout(left) {
            Ok(line) if line.contains(needle) => return,
            Ok(line) => seen.push(line),
            Err(_) => break,
        }
    }
    panic!("no line with {needle:?} within {limit:?}; saw:\n{}", seen.join("\n"));
}

// ---------------------------------------------------------------- a small JSON Schema checker

/// Checks `value` against the subset of JSON Schema that docs/report-schema.json
/// uses (type, enum, minimum, required, properties, additionalProperties,
/// items, local $ref). Returns every violation with its path.
fn validate(value: &Value, schema: &Value, root: &Value, path: &str) -> Vec<String> {
    if let Some(reference) = schema["$ref"].as_str() {
        let name = reference.strip_prefix("#/$defs/").expect("only local $defs references");
        return validate(value, &root["$defs"][name], root, path);
    }
    let mut errors = Vec::new();
    if let Some(types) = schema.get("type") {
        let allowed: Vec<&str> = match types {
            Value::String(one) => vec![one.as_str()],
            Value::Array(many) => many.iter().filter_map(Value::as_str).collect(),
            _ => panic!("bad schema type at {path}"),
        };
        if !allowed.iter().any(|kind| has_type(value, kind)) {
            return vec![format!("{path}: {value} is not of type {allowed:?}")];
        }
    }
    if let Some(options) = schema["enum"].as_array()
        && !options.contains(value)
    {
        errors.push(format!("{path}: {value} is not one of {options:?}"));
    }
    if let (Some(minimum), Some(number)) = (schema["minimum"].as_f64(), value.as_f64())
        && number < minimum
    {
        errors.push(format!("{path}: {number} is below {minimum}"));
    }
    if let Some(object) = value.as_object() {
        for required in schema["required"].as_array().into_iter().flatten().filter_map(Value::as_str) {
            if !object.contains_key(required) {
                errors.push(format!("{path}: missing {required:?}"));
            }
        }
        for (key, item) in object {
            let child = format!("{path}.{key}");
            match (schema["properties"].get(key), schema.get("additionalProperties")) {
                (Some(property), _) => errors.extend(validate(item, property, root, &child)),
                (None, Some(Value::Bool(false))) => errors.push(format!("{child}: not in the schema")),
                (None, Some(extra @ Value::Object(_))) => errors.extend(validate(item, extra, root, &child)),
                (None, _) => {}
            }
        }
    }
    if let (Some(items), Some(array)) = (schema.get("items"), value.as_array()) {
        for (index, item) in array.iter().enumerate() {
            errors.extend(validate(item, items, root, &format!("{path}[{index}]")));
        }
    }
    errors
}

fn has_type(value: &Value, kind: &str) -> bool {
    match kind {
        "object" => value.is_object(),
        "array" => value.is_array(),
        "string" => value.is_string(),
        "integer" => value.is_u64() || value.is_i64(),
        "number" => value.is_number(),
        "boolean" => value.is_boolean(),
        "null" => value.is_null(),
        other => panic!("unknown schema type {other}"),
    }
}

#[test]
fn the_schema_checker_catches_violations() {
    let schema: Value =
        serde_json::from_str(include_str!("../../docs/report-schema.json")).expect("the schema is JSON");
    let bad =
        serde_json::json!({"schema": "ai-kata-report", "schema_version": 99, "seed": -1, "extra": true});
    let errors = validate(&bad, &schema, &schema, "$");
    for expected in ["$.schema_version", "$.seed", "$.extra", "missing \"machine\""] {
        assert!(errors.iter().any(|error| error.contains(expected)), "{expected} not caught: {errors:?}");
    }
}

// ---------------------------------------------------------------- grade

/// Reads a JSON report and checks it against docs/report-schema.json.
fn read_report(path: &Path) -> Value {
    let report: Value = serde_json::from_str(&fs::read_to_string(path).expect("the report was written"))
        .expect("the report is JSON");
    let schema: Value =
        serde_json::from_str(include_str!("../../docs/report-schema.json")).expect("the schema is JSON");
    let errors = validate(&report, &schema, &schema, "$");
    assert!(errors.is_empty(), "the report breaks its schema:\n{}\n{report:#}", errors.join("\n"));
    report
}

/// The entry of exercise `name` in a report.
fn entry<'a>(report: &'a Value, name: &str) -> &'a Value {
    report["exercises"]
        .as_array()
        .and_then(|entries| entries.iter().find(|entry| entry["name"] == name))
        .unwrap_or_else(|| panic!("no entry for {name} in {report:#}"))
}

/// `CARGO_HOME` and `RUSTUP_HOME` as cargo finds them now, for a run of
/// kata with another `HOME`.
fn toolchain_homes() -> [(String, PathBuf); 2] {
    let home = PathBuf::from(std::env::var_os("HOME").expect("HOME is set"));
    ["CARGO_HOME", "RUSTUP_HOME"].map(|name| {
        let default = home.join(if name == "CARGO_HOME" { ".cargo" } else { ".rustup" });
        (name.to_owned(), std::env::var_os(name).map_or(default, PathBuf::from))
    })
}

#[test]
fn grade_contains_a_hand_in_that_reaches_outside_its_scratch_directory() {
    let kit = Fixture::new(Answer::Stub);
    let hand_in = Fixture::new(Answer::Stub);
    let home = tempfile::Builder::new().prefix("kata-home-").tempdir().expect("a temporary home");
    let secret = home.path().join("secret.txt");
    fs::write(&secret, "the reviewer's secret").expect("writing the secret");
    // Relative: into the graded copy of the kit, the tests' working directory.
    let outside = "escaped.txt";
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a local port");
    listener.set_nonblocking(true).expect("a non-blocking listener");
    let port = listener.local_addr().expect("the port").port();
    let [honest, writer, caller, reader, quitter] = [0, 1, 2, 3, 4].map(|i| EXERCISES[i].name);
    hand_in.set_body(honest, "42");
    let escape = |call: String, what: &str| {
        format!("{call}.map(|_| 42).unwrap_or_else(|error| panic!(\"could not {what}: {{error}}\"))")
    };
    hand_in.set_body(writer, &escape(format!("std::fs::write({outside:?}, \"x\")"), "write outside"));
    hand_in
        .set_body(caller, &escape(format!("std::net::TcpStream::connect(\"127.0.0.1:{port}\")"), "connect"));
    hand_in.set_body(reader, &escape(format!("std::fs::read_to_string({secret:?})"), "read the secret"));
    hand_in.set_body(
        quitter,
        "{ println!(\"test examples_the_answer ... ok\\ntest result: ok.\"); std::process::exit(0) }",
    );
    let report_path = kit.root().join("graded.json");
    let grade = |extra: &[&str]| {
        let mut args = vec!["grade", hand_in.root().to_str().expect("a UTF-8 path"), "--out"];
        args.push(report_path.to_str().expect("a UTF-8 path"));
        args.extend_from_slice(extra);
        let mut command = kit.command(&args);
        command.env("HOME", home.path()).envs(toolchain_homes());
        Outcome::of(command.output().expect("running kata grade"))
    };

    // The sandbox alone, the source checks off.
    grade(&["--no-source-checks"]).assert_code(0).assert_stdout("Sandbox: bubblewrap");
    let report = read_report(&report_path);
    assert_eq!(report["provenance"]["contained"], true, "{report:#}");
    assert_eq!(report["provenance"]["sandbox"], "bubblewrap");
    assert_eq!(entry(&report, honest)["status"], "passing", "{report:#}");
    let failure =
        |name: &str| entry(&report, name)["first_failure"]["message"].as_str().unwrap_or_default().to_owned();
    assert!(failure(writer).contains("could not write outside: Read-only file system"), "{report:#}");
    let graded_kit =
        kit.root().join("target/grade").join(hand_in.root().file_name().expect("a name")).join("kit");
    assert!(graded_kit.is_dir() && !graded_kit.join(outside).exists(), "the hand-in wrote {outside}");
    assert!(failure(caller).contains("could not connect"), "{report:#}");
    assert!(listener.accept().is_err(), "the hand-in reached a socket of the reviewer's machine");
    assert!(failure(reader).contains("could not read the secret: No such file"), "{report:#}");
    assert_eq!(entry(&report, quitter)["status"], "exited_early", "{report:#}");
    assert_eq!(entry(&report, quitter)["passed"], 0, "printed results are not verdicts: {report:#}");

    // With the source checks, the same files never build.
    grade(&[]).assert_code(0).assert_stdout("Rejected");
    let report = read_report(&report_path);
    for name in [writer, caller, reader, quitter] {
        assert_eq!(entry(&report, name)["status"], "rejected", "{report:#}");
    }
    let rejected = report["provenance"]["hand_in"]["rejected"].as_array().expect("rejections");
    let quit = rejected
        .iter()
        .find(|r| {
            r["file"] == format!("exercises/src/{quitter}.rs")
                && r["reason"].to_string().contains("std::process")
        })
        .unwrap_or_else(|| panic!("no std::process rejection in {rejected:#?}"));
    assert_eq!(quit["line"], 5, "the line of the call");
    assert_eq!(entry(&report, honest)["status"], "passing", "{report:#}");
}

#[test]
fn grade_catches_the_four_cheats_of_issue_9_in_one_hand_in() {
    let kit_root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("the kit's root");
    let hand_in = copy_of_the_kit();
    let edit = |relative: &str, change: &dyn Fn(String) -> String| {
        let path = hand_in.path().join(relative);
        let text = fs::read_to_string(&path).unwrap_or_default();
        fs::write(&path, change(text)).expect("editing the hand-in");
    };
    // (1) Every test against the reference, through a default feature.
    edit("Cargo.toml", &|text| text.replace("default = [\"with-reference\"]", "default = [\"reference\"]"));
    // (2) The solutions as a dependency, re-exported.
    edit("exercises/Cargo.toml", &|text| {
        text.replace("[dependencies]", "[dependencies]\nsolutions.workspace = true")
    });
    edit("exercises/src/bm25.rs", &|_| "pub use solutions::bm25::*;\n".to_owned());
    // (3) The solution's file as a module of the answer.
    edit("exercises/src/cosine.rs", &|_| {
        "#[path = \"../../solutions/src\"]\nmod wrap {\n    pub mod cosine;\n}\npub use wrap::cosine::*;\n"
            .to_owned()
    });
    // (4) Printed results, then an exit before libtest reports.
    edit("exercises/src/chunking.rs", &|_| {
        "pub use kata_types::ChunkError;\n\npub fn chunk_tokens(_: &str, _: usize, _: usize) -> Result<Vec<&str>, ChunkError> {\n    \
         for i in 0..35 {\n        println!(\"test examples_{i} ... ok\");\n    }\n    std::process::exit(0)\n}\n"
            .to_owned()
    });
    // And one honest answer, which must still pass.
    edit("exercises/src/rate_limit.rs", &|_| {
        fs::read_to_string(kit_root.join("solutions/src/rate_limit.rs")).expect("the reference rate limiter")
    });
    let tarball = hand_in.path().with_extension("tar.gz");
    let status = Command::new("tar")
        .arg("czf")
        .arg(&tarball)
        .arg("-C")
        .arg(hand_in.path())
        .arg(".")
        .status()
        .expect("running tar");
    assert!(status.success(), "tar failed");

    // The kit's own target directory is locked by the `cargo test` running
    // this test: grade into one of its own, kept between runs.
    let target = std::env::current_exe()
        .expect("this test's path")
        .ancestors()
        .nth(3)
        .expect("the target dir")
        .join("kata-cli-grade");
    let out = hand_in.path().join("graded.json");
    let outcome = Outcome::of(
        Command::new(env!("CARGO_BIN_EXE_kata"))
            .args([
                "grade",
                tarball.to_str().expect("a UTF-8 path"),
                "--out",
                out.to_str().expect("a UTF-8 path"),
            ])
            .arg("--root")
            .arg(kit_root)
            .env("CARGO_TARGET_DIR", &target)
            .env("NO_COLOR", "1")
            .env_remove("KATA_SEED")
            .stdin(Stdio::null())
            .output()
            .expect("running kata grade"),
    );
    let _ = fs::remove_file(&tarball);
    outcome.assert_code(0);
    let report = read_report(&out);
    let ignored = report["provenance"]["hand_in"]["ignored"].to_string();
    assert!(ignored.contains("\"Cargo.toml\""), "(1) the root manifest is not listed as ignored: {ignored}");
    assert!(
        ignored.contains("exercises/Cargo.toml"),
        "(2) the exercises' manifest is not ignored: {ignored}"
    );
    assert_eq!(report["graded"], "candidate");
    for (cheat, name, reason) in
        [(2, "bm25", "`solutions`"), (3, "cosine", "#[path]"), (4, "chunking", "std::process")]
    {
        assert_eq!(
            entry(&report, name)["status"],
            "rejected",
            "({cheat}) {name} was not rejected: {report:#}"
        );
        assert!(
            entry(&report, name)["detail"].as_str().unwrap_or_default().contains(reason),
            "({cheat}) {name}'s rejection does not name {reason}: {report:#}"
        );
    }
    assert_eq!(entry(&report, "rate_limit")["status"], "passing", "the honest answer: {report:#}");
    let passing: Vec<&Value> = report["exercises"]
        .as_array()
        .expect("exercises")
        .iter()
        .filter(|e| e["status"] == "passing")
        .collect();
    assert_eq!(passing.len(), 1, "(1) only the honest answer may pass: {report:#}");
    let provenance = &report["provenance"];
    assert_eq!(provenance["contained"], true);
    assert_eq!(provenance["files_sha256"].as_object().map(|files| files.len()), Some(EXERCISES.len()));
    assert!(provenance["toolchain"].as_str().unwrap_or_default().starts_with("rustc "), "{provenance:#}");
}

// ---------------------------------------------------------------- pack

#[test]
fn pack_writes_a_kit_without_the_reference_and_refuses_a_used_directory() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("the kit's root");
    let out = tempfile::Builder::new().prefix("kata-pack-").tempdir().expect("a temporary directory");
    let kit = out.path().join("kit");
    let kit_arg = kit.to_str().expect("a UTF-8 path");
    kata_at(root, &["pack", "--out", kit_arg, "--tests", "samples", FIRST])
        .assert_code(0)
        .assert_stdout("Packed");

    for present in
        ["Cargo.toml", "Cargo.lock", "README.md", "exercises.toml", "cli/src/main.rs", "src/lib.rs"]
    {
        assert!(kit.join(present).is_file(), "the kit lacks {present}");
    }
    for absent in ["solutions", "answers", "cli/tests", "docs"] {
        assert!(!kit.join(absent).exists(), "the kit holds {absent}");
    }
    let read = |relative: &str| fs::read_to_string(kit.join(relative)).expect("a file of the kit");
    let stub = fs::read_to_string(root.join(format!("stubs/{FIRST}.rs"))).expect("the shipped stub");
    assert_eq!(read(&format!("exercises/src/{FIRST}.rs")), stub);
    assert_eq!(read(&format!("stubs/{FIRST}.rs")), stub);
    let tests = read(&format!("tests/{FIRST}.rs"));
    assert!(tests.contains("fn examples_") && tests.contains("fn edge_"), "the samples lack a tier");
    for hidden in ["fn property_", "fn robust_", "fn scale_"] {
        assert!(!tests.contains(hidden), "the samples hold {hidden}");
    }
    let registry = read("exercises.toml");
    let names: Vec<&str> = registry.lines().filter(|line| line.starts_with("name = ")).collect();
    assert_eq!(names, [format!("name = \"{FIRST}\"")]);
    assert_eq!(read("exercises/src/lib.rs").matches("pub mod ").count(), 1);
    assert!(!read("Cargo.toml").contains("solutions"), "the root manifest names the reference");

    kata_at(&kit, &["solution", FIRST, "--force"]).assert_code(1).assert_stderr("this kit has none");
    kata_at(&kit, &["check", FIRST, "--reference"]).assert_code(1).assert_stderr("this kit has none");
    kata_at(root, &["pack", "--out", kit_arg, FIRST]).assert_code(1).assert_stderr("is not empty");
}
