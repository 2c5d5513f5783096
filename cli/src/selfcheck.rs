//! `kata selfcheck [--fix]`: the kit's own soundness checks, for maintainers
//! and CI.
//!
//! The registry (`exercises.toml`) declares each exercise; every file that
//! follows from it is checked against it here:
//!
//! - the stub `exercises/src/<name>.rs`, its pristine copy `stubs/<name>.rs`
//!   (what `kata reset` restores) and the copy compiled into this binary;
//! - `pub mod <name>;` in `exercises/src/lib.rs` and `solutions/src/lib.rs`,
//!   and the solution `solutions/src/<name>.rs`;
//! - the hidden tests `tests/<name>.rs` and the answers `answers/<name>/`;
//! - `benches/<name>.rs` and its `[[bench]]` entry in `benches/Cargo.toml`,
//!   exactly when the entry says `bench = true`;
//! - the README's exercise table, generated from the registry.
//!
//! `--fix` rewrites what is derived (the stub copies and the README table);
//! the rest it reports. A candidate who edited a stub fails this on purpose;
//! their `cargo test` does not run it.

use std::fs;
use std::process::ExitCode;

use anstream::println;
use anyhow::{Context, Result};

use std::sync::atomic::AtomicBool;

use crate::args::Grading;
use crate::exercise::{EXERCISES, Exercise};
use crate::grading::{self, Status};
use crate::libtest;
use crate::term::{self, BAD, GOOD, NOTE};
use crate::workspace::Workspace;

/// How long the stub run of one exercise may take (seconds): a stub fails
/// every test at once.
const STUB_RUN_TIMEOUT: u64 = 120;

/// The markers around the generated exercise table in README.md.
pub const TABLE_BEGIN: &str =
    "<!-- exercises:begin (generated from exercises.toml by `cargo kata selfcheck --fix`) -->";
/// See [`TABLE_BEGIN`].
pub const TABLE_END: &str = "<!-- exercises:end -->";

/// `kata selfcheck [--fix] [--stubs]`: exit code 0 only when every check passes.
pub fn run(workspace: &Workspace, fix: bool, stubs: bool) -> Result<ExitCode> {
    if fix {
        for line in fix_derived(workspace)? {
            println!("{} {line}", term::paint(NOTE, "fixed:"));
        }
    }
    let mut problems = problems(workspace);
    if stubs && problems.is_empty() {
        problems.extend(stub_run_problems(workspace)?);
    }
    for problem in &problems {
        println!("{} {problem}", term::paint(BAD, "problem:"));
    }
    if problems.is_empty() {
        println!(
            "{} {} exercises: every file the registry names is there and agrees with it.",
            term::paint(GOOD, "ok:"),
            EXERCISES.len()
        );
        Ok(ExitCode::SUCCESS)
    } else {
        Ok(ExitCode::FAILURE)
    }
}

/// Every problem found, as a sentence that says how to mend it.
pub fn problems(workspace: &Workspace) -> Vec<String> {
    let read = |relative: &str| fs::read_to_string(workspace.path(relative)).ok();
    let exercises_lib = read("exercises/src/lib.rs").unwrap_or_default();
    let solutions_lib = read("solutions/src/lib.rs");
    let bench_manifest = read("benches/Cargo.toml").unwrap_or_default();
    let mut problems = Vec::new();
    for exercise in EXERCISES {
        problems.extend(stub_problems(workspace, exercise));
        let name = exercise.name;
        if !declares_module(&exercises_lib, name) {
            problems.push(format!("exercises/src/lib.rs lacks `pub mod {name};`"));
        }
        // A kit packed for an interview may leave the reference out.
        if let Some(solutions_lib) = &solutions_lib {
            if !declares_module(solutions_lib, name) {
                problems.push(format!("solutions/src/lib.rs lacks `pub mod {name};`"));
            }
            if !workspace.path(format!("solutions/src/{name}.rs")).is_file() {
                problems.push(format!("solutions/src/{name}.rs (the reference) is missing"));
            }
        }
        if !workspace.path(format!("tests/{name}.rs")).is_file() {
            problems.push(format!("tests/{name}.rs (the hidden tests of `{name}`) is missing"));
        }
        if exercise.hints.is_empty() {
            problems.push(format!("`{name}` has no hints in exercises.toml"));
        }
        let bench_file = workspace.path(format!("benches/{name}.rs")).is_file();
        let bench_entry = declares_bench(&bench_manifest, name);
        match (exercise.bench, bench_file, bench_entry) {
            (true, false, _) => {
                problems.push(format!("`{name}` has bench = true but benches/{name}.rs is missing"))
            }
            (true, true, false) => {
                problems.push(format!("benches/Cargo.toml lacks the [[bench]] entry of `{name}`"))
            }
            (false, true, _) | (false, _, true) => problems.push(format!(
                "benches/{name}.rs or its [[bench]] entry exists but exercises.toml says bench = false"
            )),
            _ => {}
        }
        if exercise.bench && exercise.ladder_advice("plain").is_none() {
            problems.push(format!(
                "`{name}` has bench = true but no `ladder.plain` in exercises.toml: say what a plain correct \
                 answer does (and `ladder.reference`, what the reference does better), so `kata bench` can \
                 tell a candidate what the next rung takes"
            ));
        }
    }
    problems.extend(strays(workspace, &exercises_lib));
    if let Some(readme) = read("README.md") {
        match table_in(&readme) {
            None => problems
                .push(format!("README.md lacks the exercise table markers ({TABLE_BEGIN} ... {TABLE_END})")),
            Some(table) if table != exercise_table() => problems.push(
                "README.md's exercise table differs from exercises.toml: run `cargo kata selfcheck --fix`"
                    .to_owned(),
            ),
            Some(_) => {}
        }
    }
    problems
}

/// Runs every exercise's hidden tests against its shipped stub: each test
/// must fail, and say which file to open.
fn stub_run_problems(workspace: &Workspace) -> Result<Vec<String>> {
    let exercises: Vec<&'static Exercise> = EXERCISES.iter().collect();
    let grading =
        Grading { reference: false, seed: None, timeout: STUB_RUN_TIMEOUT, only_test: None, reviewing: true };
    let results = grading::grade(workspace, &exercises, &grading, &AtomicBool::new(false))?;
    let mut problems = Vec::new();
    for graded in &results {
        let name = graded.exercise.name;
        println!("{name:<12} stub: {} hidden tests, {} pass", graded.total(), graded.passed());
        if graded.status == Status::NotStarted {
            continue;
        }
        problems.push(format!("`{name}` against its stub is {}, not \"not started\"", graded.status.label()));
        if let Some(detail) = &graded.detail {
            problems.push(term::indent(detail, 4));
        }
        for case in &graded.cases {
            if case.passed {
                problems.push(format!(
                    "  {} passes against the stub: it asserts nothing about the work",
                    case.name
                ));
            } else if !case.message.as_deref().is_some_and(libtest::is_stub_failure) {
                problems.push(format!(
                    "  {} fails without naming {}",
                    case.name,
                    graded.exercise.stub_path()
                ));
            }
        }
    }
    Ok(problems)
}

/// The stub, its pristine copy and the embedded copy agree.
fn stub_problems(workspace: &Workspace, exercise: &Exercise) -> Vec<String> {
    let name = exercise.name;
    let stub_path = exercise.stub_path();
    let pristine = fs::read_to_string(workspace.path(format!("stubs/{name}.rs"))).ok();
    let exercise_file = fs::read_to_string(workspace.path(&stub_path)).ok();
    let mut problems = Vec::new();
    match (&pristine, &exercise_file) {
        (_, None) => problems.push(format!("{stub_path} is missing")),
        (None, Some(_)) => {
            problems.push(format!("stubs/{name}.rs is missing: `cargo kata selfcheck --fix` copies it"))
        }
        (Some(pristine), Some(file)) if pristine != file => problems.push(format!(
            "stubs/{name}.rs differs from {stub_path}: the stub `kata reset` restores must be the one \
             shipped (`cargo kata selfcheck --fix` copies it over after you edit the statement)"
        )),
        _ => {}
    }
    if let Some(file) = &exercise_file
        && !file.contains("todo!")
    {
        problems.push(format!("{stub_path} has no todo!(): a shipped exercise must be a stub"));
    }
    if pristine.as_deref().is_some_and(|pristine| pristine != exercise.stub) {
        problems.push(format!("the kata binary embeds an old stubs/{name}.rs: rebuild it (cargo kata ...)"));
    }
    problems
}

/// Files and modules that belong to no exercise of the registry.
fn strays(workspace: &Workspace, exercises_lib: &str) -> Vec<String> {
    let known = |name: &str| EXERCISES.iter().any(|exercise| exercise.name == name);
    let mut problems = Vec::new();
    for name in modules_declared(exercises_lib) {
        if !known(name) {
            problems.push(format!(
                "exercises/src/lib.rs declares `{name}`, which the registry does not list (after editing \
                 exercises.toml, rebuild kata: `cargo kata selfcheck`)"
            ));
        }
    }
    for dir in ["stubs", "tests", "answers"] {
        let Ok(entries) = fs::read_dir(workspace.path(dir)) else { continue };
        for entry in entries.flatten() {
            let path = entry.path();
            let stem = path.file_stem().map(|stem| stem.to_string_lossy().into_owned()).unwrap_or_default();
            let is_module = dir == "answers" || path.extension().is_some_and(|extension| extension == "rs");
            if is_module && !known(&stem) {
                problems.push(format!("{dir}/{stem} belongs to no exercise in the registry"));
            }
        }
    }
    problems
}

/// Whether `lib` (a lib.rs) declares `pub mod name;`.
fn declares_module(lib: &str, name: &str) -> bool {
    modules_declared(lib).any(|declared| declared == name)
}

/// The `pub mod NAME;` declarations of a lib.rs.
fn modules_declared(lib: &str) -> impl Iterator<Item = &str> {
    lib.lines().filter_map(|line| line.trim().strip_prefix("pub mod ")?.strip_suffix(';'))
}

/// Whether the benches manifest has a `[[bench]]` named `name`.
fn declares_bench(manifest: &str, name: &str) -> bool {
    manifest.contains(&format!("[[bench]]\nname = \"{name}\"\n"))
}

/// The README's exercise table, from the registry.
pub fn exercise_table() -> String {
    let mut table = String::from("| exercise | you build | level | grade it |\n|---|---|---|---|\n");
    for exercise in EXERCISES {
        table.push_str(&format!(
            "| `{}` | {} | {} | `cargo test --test {}` |\n",
            exercise.name, exercise.summary, exercise.difficulty, exercise.name
        ));
    }
    table
}

/// The text between the table markers of a README, if both are there.
fn table_in(readme: &str) -> Option<&str> {
    table_span(readme).map(|(start, end)| &readme[start..end])
}

/// Where the table sits in a README: from the line after the begin marker
/// to the end marker.
fn table_span(readme: &str) -> Option<(usize, usize)> {
    let start = readme.find(TABLE_BEGIN)? + TABLE_BEGIN.len();
    let start = start + usize::from(readme[start..].starts_with('\n'));
    let end = start + readme[start..].find(TABLE_END)?;
    Some((start, end))
}

/// Rewrites the derived files (stub copies, the README table); says what changed.
pub fn fix_derived(workspace: &Workspace) -> Result<Vec<String>> {
    let mut changed = Vec::new();
    for exercise in EXERCISES {
        let source = workspace.path(exercise.stub_path());
        let copy = workspace.path(format!("stubs/{}.rs", exercise.name));
        let Ok(stub) = fs::read_to_string(&source) else { continue };
        if fs::read_to_string(&copy).ok().as_deref() != Some(stub.as_str()) {
            fs::write(&copy, &stub).with_context(|| format!("writing {}", copy.display()))?;
            changed.push(format!("stubs/{}.rs", exercise.name));
        }
    }
    let readme_path = workspace.path("README.md");
    if let Ok(readme) = fs::read_to_string(&readme_path)
        && let Some((start, end)) = table_span(&readme)
        && readme[start..end] != exercise_table()
    {
        let updated = format!("{}{}{}", &readme[..start], exercise_table(), &readme[end..]);
        fs::write(&readme_path, updated).with_context(|| format!("writing {}", readme_path.display()))?;
        changed.push("README.md's exercise table".to_owned());
    }
    Ok(changed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn module_declarations_are_read_line_by_line() {
        let lib = "//! doc\npub mod bm25;\nmod select;\n    pub mod cosine;\n";
        assert_eq!(modules_declared(lib).collect::<Vec<_>>(), ["bm25", "cosine"]);
        assert!(declares_module(lib, "cosine"));
        assert!(!declares_module(lib, "select"), "a private module is no exercise");
    }

    #[test]
    fn the_table_lists_every_exercise_in_kit_order() {
        let table = exercise_table();
        let rows: Vec<&str> = table.lines().skip(2).collect();
        assert_eq!(rows.len(), EXERCISES.len());
        for (row, exercise) in rows.iter().zip(EXERCISES) {
            assert!(row.starts_with(&format!("| `{}` |", exercise.name)), "{row}");
        }
    }

    #[test]
    fn the_table_is_found_between_its_markers() {
        let readme = format!("intro\n{TABLE_BEGIN}\n| a |\n{TABLE_END}\nrest");
        assert_eq!(table_in(&readme), Some("| a |\n"));
        assert_eq!(table_in("no markers"), None);
    }
}
