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
            fixture.set_answer(name, answer);
            fixture.write(&format!("tests/{name}.rs"), &hidden_tests(name));
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
        self.write(
            &format!("exercises/src/{name}.rs"),
            &format!(
                "//! The `{name}` fixture.\n\n/// The answer.\npub fn answer() -> u32 {{\n    {}\n}}\n",
                answer.body(name)
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
    fixture.kata(&["start", FIRST, "--minutes", "30"]).assert_code(0).assert_stdout("30 minutes");
    let timers: Value =
        serde_json::from_str(&fixture.read(".kata/timers.json")).expect("the timer file is JSON");
    assert!(timers[FIRST]["started_at"].as_u64().is_some(), "{timers}");
    assert!(timers[FIRST]["first_passed_at"].is_null(), "{timers}");

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
    fixture.kata(&["report", "--seed", "7", "--out", out_arg]).assert_code(0).assert_stdout("AI Kata report");

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
    other["exercises"][0]["passed"] = 3.into();
    let bob = fixture.root().join("bob.json");
    fs::write(&bob, other.to_string()).expect("writing the second report");
    let outcome = Outcome::of(
        Command::new(env!("CARGO_BIN_EXE_kata"))
            .args(["compare", out_arg, bob.to_str().expect("a UTF-8 path")])
            .env("NO_COLOR", "1")
            .output()
            .expect("running kata compare"),
    );
    outcome
        .assert_code(0)
        .assert_stdout("alice")
        .assert_stdout("bob")
        .assert_stdout("5/5 passing")
        .assert_stdout("3/5 passing")
        .assert_stdout("different machines")
        .assert_stdout("different seeds");
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

// ---------------------------------------------------------------- bench

#[test]
fn bench_without_criterion_results_says_which_command_makes_them() {
    let fixture = Fixture::new(Answer::Stub);
    fixture.kata(&["bench", "--saved"]).assert_code(1).assert_stderr("cargo kata bench");
}

#[test]
fn bench_reads_criterion_estimates_and_rates_the_candidate() {
    let fixture = Fixture::new(Answer::Stub);
    let estimate = |implementation: &str, size: &str, ns: f64| {
        let dir = format!("target/criterion/dot/{implementation}/{size}/new");
        let id = serde_json::json!({
            "group_id": "dot", "function_id": implementation, "value_str": size,
            "throughput": null, "full_id": format!("dot/{implementation}/{size}"),
            "directory_name": format!("dot/{implementation}/{size}"), "title": format!("dot/{implementation}/{size}")
        });
        let point = serde_json::json!({"point_estimate": ns, "standard_error": 1.0,
            "confidence_interval": {"confidence_level": 0.95, "lower_bound": ns, "upper_bound": ns}});
        let estimates = serde_json::json!({"mean": point, "median": point, "median_abs_dev": point, "slope": null, "std_dev": point});
        fixture.write(&format!("{dir}/benchmark.json"), &id.to_string());
        fixture.write(&format!("{dir}/estimates.json"), &estimates.to_string());
    };
    estimate("reference", "384", 100.0);
    estimate("candidate", "384", 300.0);
    estimate("peer:simsimd", "384", 50.0);
    estimate("floor:stream once", "384", 40.0);
    estimate("reference", "4096", 1000.0);
    estimate("candidate", "4096", 1200.0);
    fixture
        .kata(&["bench", "--saved"])
        .assert_code(0)
        .assert_stdout("dot/384")
        .assert_stdout("3.00x")
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
    let bad = serde_json::json!({"schema": "ai-kata-report", "schema_version": 2, "seed": -1, "extra": true});
    let errors = validate(&bad, &schema, &schema, "$");
    for expected in ["$.schema_version", "$.seed", "$.extra", "missing \"machine\""] {
        assert!(errors.iter().any(|error| error.contains(expected)), "{expected} not caught: {errors:?}");
    }
}

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
