//! `kata grade HAND-IN [--seed S] [--bench [--quick]] [--out FILE]
//! [--allow-uncontained]`: grades a candidate's hand-in in a clean copy of
//! the reviewer's own kit.
//!
//! 1. The hand-in (a directory, a git repository, or a `.tar`/`.tar.gz`
//!    tarball, read without unpacking) is read into memory. Only the
//!    registry's module files, `exercises/src/<name>.rs`, are taken; every
//!    other file that differs from the reviewer's kit is listed in the
//!    report as ignored (a changed `Cargo.toml`, an added `solutions`
//!    dependency, a hand-edited report: none of it reaches the build).
//! 2. Each taken file passes the source checks ([`crate::source_check`]); a
//!    rejected file is replaced by its stub and its exercise is reported
//!    `rejected`, with the reasons.
//! 3. The files go into a copy of the reviewer's kit,
//!    `<target>/grade/<name>/kit`, whose `exercises` package gets a version
//!    of its own, derived from the files' hashes: every hand-in builds into
//!    the reviewer's target directory (dependencies are built once), yet
//!    cargo can never take one hand-in's artifacts for another's (or the
//!    reviewer's), whatever the files' modification times. A file that is
//!    still the shipped stub is `not_started` and neither built nor run.
//! 4. Cargo builds outside the sandbox; an exercise whose file does not
//!    compile is reported `does_not_compile` with the compiler's first
//!    error, its stub put in its place, and the rest are built again.
//! 5. The test binaries run in the sandbox ([`crate::sandbox`]) with the
//!    reviewer's seed; the verdicts come from libtest's logfile.
//! 6. The report (`kata report`'s, with `provenance.hand_in`) is printed and
//!    written to `<target>/grade/<name>/report.json` (or `--out`). The
//!    reviewer's `.kata/` (timers, hints, last report) is never touched.

use std::collections::BTreeMap;
use std::fs;
use std::io::Read;
use std::path::{Component, Path};
use std::process::{Command, ExitCode};
use std::sync::atomic::AtomicBool;

use anstream::{eprintln, println};
use anyhow::{Context, Result, bail};

use crate::args::Grading;
use crate::bench::Plan;
use crate::exercise::{EXERCISES, Exercise};
use crate::grading::{self, Graded, Status};
use crate::provenance::{self, Containment, sha256_hex};
use crate::report::{self, HandIn, Rejection};
use crate::run::{self, Build};
use crate::sandbox::{self, Sandbox};
use crate::source_check;
use crate::term::{self, NOTE};
use crate::workspace::{self, Workspace};

/// What `kata grade` was asked to do.
#[derive(Debug, Clone)]
pub struct Request<'a> {
    /// The hand-in: a directory, a git repository or a tarball.
    pub hand_in: &'a Path,
    /// Whether (and how long) to benchmark.
    pub benches: Option<Plan>,
    /// Where to write the JSON report.
    pub out: Option<&'a Path>,
    /// Run uncontained when the sandbox is not available.
    pub allow_uncontained: bool,
    /// Run the source checks (only the tests of the sandbox turn them off).
    pub source_checks: bool,
}

/// A hand-in's files, by kit-relative path (`/`-separated).
type Files = BTreeMap<String, Vec<u8>>;

/// `kata grade`: exit code 0 once the report is written, whatever it says.
pub fn run(workspace: &Workspace, request: &Request, grading: &Grading) -> Result<ExitCode> {
    let containment = containment(request.allow_uncontained)?;
    let (files, mut ignored) = read(request.hand_in)?;
    let name = hand_in_name(request.hand_in);
    let base = workspace.target_dir().join("grade");
    let kit = base.join(&name).join("kit");
    let scratch = base.join(&name).join("scratch");
    prepare_kit(workspace, &kit, &scratch)?;

    let stubs: BTreeMap<&str, Vec<u8>> =
        EXERCISES.iter().map(|exercise| (exercise.name, kit_stub(workspace, exercise))).collect();
    let mut taken = BTreeMap::new();
    let mut rejected = Vec::new();
    let mut graded_as_rejected = Vec::new();
    let mut not_started = Vec::new();
    for exercise in EXERCISES {
        let path = exercise.stub_path();
        // A file that is still the shipped stub is not started: nothing to build or run.
        let Some(bytes) = files.get(&path).filter(|bytes| **bytes != stubs[exercise.name]) else {
            not_started.push(stub_exercise(exercise));
            continue;
        };
        let rejections = match std::str::from_utf8(bytes) {
            Ok(text) if request.source_checks => source_check::check(&path, text),
            Ok(_) => Vec::new(),
            Err(_) => vec![Rejection { file: path.clone(), line: 1, reason: NOT_UTF8.to_owned() }],
        };
        if rejections.is_empty() {
            taken.insert(exercise.name, bytes.clone());
        } else {
            graded_as_rejected.push(rejected_exercise(exercise, &rejections));
            rejected.extend(rejections);
        }
    }
    for exercise in EXERCISES {
        let bytes = taken.get(exercise.name).unwrap_or(&stubs[exercise.name]);
        write(&kit.join(exercise.stub_path()), bytes)?;
    }
    ignored.extend(
        files
            .iter()
            .filter(|(path, bytes)| !is_taken(path) && differs(workspace, path, bytes))
            .map(|(path, _)| path.clone()),
    );
    pin_version(&kit, &taken)?;

    // The reviewer's own target directory: dependencies are built once, and
    // the pinned version keeps the hand-in's crates apart.
    let mut graded_kit = Workspace::scratch(kit.clone(), workspace.target_dir());
    if containment.contained() {
        graded_kit = graded_kit.contained(Sandbox::new(vec![kit], scratch));
    }
    let grading = report::reviewer_grading(&Grading { reference: false, ..grading.clone() });
    let to_run: Vec<&'static Exercise> =
        EXERCISES.iter().filter(|exercise| taken.contains_key(exercise.name)).collect();
    let mut results = grade_what_builds(&graded_kit, &to_run, &grading, &stubs)?;
    results.extend(graded_as_rejected);
    results.extend(not_started);
    results.sort_by_key(|graded| EXERCISES.iter().position(|exercise| exercise == graded.exercise));

    let hand_in = HandIn {
        source: request.hand_in.display().to_string(),
        ignored: ignored.clone(),
        rejected: rejected.clone(),
    };
    let provenance =
        provenance::collect(workspace, &graded_kit, request.benches.as_ref(), &containment, Some(hand_in))?;
    let report = report::assemble(&graded_kit, &results, &grading, request.benches.as_ref(), provenance)?;
    print_hand_in(&ignored, &rejected, containment);
    let out = request.out.map_or_else(|| base.join(&name).join("report.json"), Path::to_path_buf);
    report::publish(&graded_kit, &report, Some(&out))
}

/// The sandbox if it works here; else uncontained only if the reviewer allowed it.
fn containment(allow_uncontained: bool) -> Result<Containment> {
    match sandbox::check_available() {
        Ok(()) => Ok(Containment::Sandboxed),
        Err(why) if allow_uncontained => {
            eprintln!(
                "{} {why}; running the hand-in UNCONTAINED (--allow-uncontained).",
                term::paint(NOTE, "note:")
            );
            Ok(Containment::Uncontained)
        }
        Err(why) => bail!("{why}. {UNCONTAINED}"),
    }
}

/// The name of a hand-in's directory under `<target>/grade/`: its file name
/// without the tarball extension, in safe characters.
fn hand_in_name(hand_in: &Path) -> String {
    let file = hand_in.file_name().map(|name| name.to_string_lossy().into_owned()).unwrap_or_default();
    let stem = [".tar.gz", ".tgz", ".tar"].iter().find_map(|ext| file.strip_suffix(ext)).unwrap_or(&file);
    let name: String = stem
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '_' })
        .collect();
    if name.is_empty() { "hand-in".to_owned() } else { name }
}

/// The shipped stub of `exercise` in the reviewer's kit (`stubs/<name>.rs`),
/// else the one this binary embeds.
fn kit_stub(workspace: &Workspace, exercise: &Exercise) -> Vec<u8> {
    fs::read(workspace.path(format!("stubs/{}.rs", exercise.name)))
        .unwrap_or_else(|_| exercise.stub.as_bytes().to_vec())
}

/// Whether `path` is a file `kata grade` takes.
fn is_taken(path: &str) -> bool {
    EXERCISES.iter().any(|exercise| exercise.stub_path() == path)
}

/// Whether the hand-in's `bytes` at `path` differ from the reviewer's kit.
fn differs(workspace: &Workspace, path: &str, bytes: &[u8]) -> bool {
    fs::read(workspace.path(path)).ok().as_deref() != Some(bytes)
}

/// The graded kit: the reviewer's kit copied (only changed files are
/// rewritten, so unchanged ones keep their times), without `.kata/`, and an
/// empty scratch directory.
fn prepare_kit(workspace: &Workspace, kit: &Path, scratch: &Path) -> Result<()> {
    let skip =
        [workspace.target_dir(), workspace.path("target"), workspace.path(".git"), workspace.state_dir()];
    workspace::copy_tree(workspace.root(), kit, &skip)?;
    for dir in [kit.join(".kata"), scratch.to_path_buf()] {
        if dir.exists() {
            fs::remove_dir_all(&dir).with_context(|| format!("removing {}", dir.display()))?;
        }
    }
    fs::create_dir_all(scratch).with_context(|| format!("creating {}", scratch.display()))
}

/// Gives the graded kit's `exercises` package a version derived from the
/// taken files, so that cargo keeps each hand-in's artifacts apart in the
/// shared target directory.
fn pin_version(kit: &Path, taken: &BTreeMap<&str, Vec<u8>>) -> Result<()> {
    // A kit whose exercises are modules of the root package pins that one.
    let manifest = Some(kit.join("exercises/Cargo.toml")).filter(|path| path.is_file());
    let manifest = manifest.unwrap_or_else(|| kit.join("Cargo.toml"));
    let text = fs::read_to_string(&manifest).with_context(|| format!("reading {}", manifest.display()))?;
    let mut listing = String::new();
    for (name, bytes) in taken {
        listing.push_str(&format!("{name}\0{}\n", sha256_hex(bytes)));
    }
    let version = format!("version = \"0.0.0-grade.{}\"", &sha256_hex(listing.as_bytes())[..16]);
    let Some(line) = text.lines().find(|line| line.trim_start().starts_with("version")) else {
        bail!("{} has no `version` line to pin", manifest.display());
    };
    write(&manifest, text.replacen(line, &version, 1).as_bytes())
}

/// Grades `exercises`; an exercise whose file (or whose hidden tests,
/// against its signatures) does not compile is reported with the
/// compiler's first error and its stub put back, and the rest build again.
fn grade_what_builds(
    kit: &Workspace,
    exercises: &[&'static Exercise],
    grading: &Grading,
    stubs: &BTreeMap<&str, Vec<u8>>,
) -> Result<Vec<Graded>> {
    let mut remaining = exercises.to_vec();
    let mut broken = Vec::new();
    loop {
        let failure = match run::build_tests(kit, &remaining, false)? {
            Build::Built(_) => break,
            Build::Failed(failure) => failure,
        };
        let culprits: Vec<&'static Exercise> = remaining
            .iter()
            .copied()
            .filter(|exercise| failure.errors.iter().any(|error| blames(error.file.as_deref(), exercise)))
            .collect();
        if culprits.is_empty() {
            // Not the hand-in's doing (the kit itself is broken): say so for all.
            let detail = failure.diagnostics.clone();
            broken.extend(remaining.drain(..).map(|exercise| does_not_compile(exercise, detail.clone())));
            break;
        }
        for exercise in culprits {
            let first = failure
                .errors
                .iter()
                .find(|error| blames(error.file.as_deref(), exercise))
                .map(|error| error.rendered.clone())
                .unwrap_or_default();
            write(&kit.path(exercise.stub_path()), &stubs[exercise.name])?;
            broken.push(does_not_compile(exercise, first));
            remaining.retain(|other| other != &exercise);
        }
    }
    let mut results = grading::grade(kit, &remaining, grading, &AtomicBool::new(false))?;
    results.extend(broken);
    Ok(results)
}

/// Whether a compiler error in `file` is `exercise`'s: in its module or in
/// its hidden tests (a changed signature).
fn blames(file: Option<&str>, exercise: &Exercise) -> bool {
    let Some(file) = file else { return false };
    let file = file.replace('\\', "/");
    file.ends_with(&exercise.stub_path()) || file == format!("tests/{}.rs", exercise.name)
}

fn does_not_compile(exercise: &'static Exercise, first_error: String) -> Graded {
    let detail = format!("{}\n{DOES_NOT_COMPILE}", first_error.trim_end());
    Graded { exercise, status: Status::DoesNotCompile, cases: Vec::new(), detail: Some(detail) }
}

fn stub_exercise(exercise: &'static Exercise) -> Graded {
    let detail = format!("{} is the shipped stub (or missing): not built, not run.", exercise.stub_path());
    Graded { exercise, status: Status::NotStarted, cases: Vec::new(), detail: Some(detail) }
}

fn rejected_exercise(exercise: &'static Exercise, rejections: &[Rejection]) -> Graded {
    let reasons: Vec<String> =
        rejections.iter().map(|r| format!("{}:{}: {}", r.file, r.line, r.reason)).collect();
    let detail = format!("{REJECTED}\n{}", reasons.join("\n"));
    Graded { exercise, status: Status::Rejected, cases: Vec::new(), detail: Some(detail) }
}

/// Prints what was not taken from the hand-in, and how it ran.
fn print_hand_in(ignored: &[String], rejected: &[Rejection], containment: Containment) {
    println!("{}", term::paint(NOTE, format!("Sandbox: {}", containment.sandbox())));
    if !ignored.is_empty() {
        println!("Ignored (only exercises/src/*.rs is graded): {}", ignored.join(", "));
    }
    for rejection in rejected {
        println!("Rejected {}:{}: {}", rejection.file, rejection.line, rejection.reason);
    }
}

/// Reads a hand-in: its files by kit-relative path, and the entries listed
/// as ignored outright (links, paths outside the kit).
fn read(hand_in: &Path) -> Result<(Files, Vec<String>)> {
    let mut files = Files::new();
    let mut ignored = Vec::new();
    if is_repository(hand_in) {
        read_tar(git_archive(hand_in)?.as_slice(), &mut files, &mut ignored)?;
    } else if hand_in.is_dir() {
        read_directory(hand_in, hand_in, &mut files, &mut ignored)?;
    } else if is_tarball(hand_in) {
        let file = fs::File::open(hand_in).with_context(|| format!("opening {}", hand_in.display()))?;
        if hand_in.to_string_lossy().ends_with(".tar") {
            read_tar(file, &mut files, &mut ignored)?;
        } else {
            read_tar(flate2::read::GzDecoder::new(file), &mut files, &mut ignored)?;
        }
    } else if hand_in.exists() {
        bail!(
            "{} is not a directory, a git repository or a .tar/.tar.gz. {WHAT_TO_HAND_IN}",
            hand_in.display()
        );
    } else {
        bail!("{} does not exist. {WHAT_TO_HAND_IN}", hand_in.display());
    }
    strip_common_directory(&mut files);
    if !files.keys().any(|path| path.starts_with("exercises/src/")) {
        bail!("{} holds no exercises/src/ directory. {WHAT_TO_HAND_IN}", hand_in.display());
    }
    Ok((files, ignored))
}

fn is_tarball(path: &Path) -> bool {
    let name = path.to_string_lossy();
    [".tar", ".tar.gz", ".tgz"].iter().any(|ext| name.ends_with(ext))
}

/// A git repository: a work tree (with `.git`) or a bare one (`HEAD` and
/// `objects/` at its top). Its `HEAD` commit is the hand-in.
fn is_repository(dir: &Path) -> bool {
    dir.join(".git").exists() || dir.join("HEAD").is_file() && dir.join("objects").is_dir()
}

/// The committed tree of a repository at `HEAD`, as a tarball.
fn git_archive(repository: &Path) -> Result<Vec<u8>> {
    let output = Command::new("git")
        .arg("-C")
        .arg(repository)
        .args(["archive", "--format=tar", "HEAD"])
        .output()
        .context("running `git archive` (is git installed?)")?;
    if !output.status.success() {
        bail!(
            "{} is not a directory, tarball or git repository ({}). {WHAT_TO_HAND_IN}",
            repository.display(),
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    Ok(output.stdout)
}

/// The regular files under `dir` (not `.git/`, `target/` or `.kata/`),
/// symbolic links listed as ignored and never followed.
fn read_directory(root: &Path, dir: &Path, files: &mut Files, ignored: &mut Vec<String>) -> Result<()> {
    for entry in fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
        let entry = entry.context("reading a directory entry")?;
        let path = entry.path();
        let relative = kit_relative(path.strip_prefix(root).unwrap_or(&path));
        let Some(relative) = relative.filter(|relative| !is_build_or_records(relative)) else { continue };
        let kind = entry.file_type().context("reading a file's type")?;
        if kind.is_dir() {
            read_directory(root, &path, files, ignored)?;
        } else if kind.is_file() {
            files.insert(relative, fs::read(&path).with_context(|| format!("reading {}", path.display()))?);
        } else {
            ignored.push(format!("{relative} (not a regular file)"));
        }
    }
    Ok(())
}

/// The regular files of a tar stream; links and paths leaving the kit are
/// listed as ignored.
fn read_tar(stream: impl Read, files: &mut Files, ignored: &mut Vec<String>) -> Result<()> {
    let mut archive = tar::Archive::new(stream);
    for entry in archive.entries().context("reading the tarball")? {
        let mut entry = entry.context("reading the tarball")?;
        let path = entry.path().context("reading a path in the tarball")?.into_owned();
        let kind = entry.header().entry_type();
        // `tar -C dir .` writes the root itself as `./`: a directory, not a file.
        if kind.is_dir() && path.components().all(|part| matches!(part, std::path::Component::CurDir)) {
            continue;
        }
        let Some(relative) = kit_relative(&path) else {
            ignored.push(format!("{} (outside the kit)", path.display()));
            continue;
        };
        // pax headers (git archive writes one) describe entries; they are not files.
        if kind.is_dir()
            || kind.is_pax_global_extensions()
            || kind.is_pax_local_extensions()
            || is_build_or_records(&relative)
        {
            continue;
        }
        if !kind.is_file() {
            ignored.push(format!("{relative} (not a regular file)"));
            continue;
        }
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).with_context(|| format!("reading {relative} in the tarball"))?;
        files.insert(relative, bytes);
    }
    Ok(())
}

/// `path` as a kit-relative `/`-separated string; none for a path that
/// leaves the kit (`..`, absolute).
fn kit_relative(path: &Path) -> Option<String> {
    let mut parts = Vec::new();
    for component in path.components() {
        match component {
            Component::Normal(part) => parts.push(part.to_string_lossy().into_owned()),
            Component::CurDir => {}
            _ => return None,
        }
    }
    (!parts.is_empty()).then(|| parts.join("/"))
}

/// Build output and git's and kata's records: never part of a hand-in.
fn is_build_or_records(relative: &str) -> bool {
    let first = relative.split('/').next().unwrap_or_default();
    matches!(first, ".git" | "target" | ".kata")
}

/// A tarball of `kit/...` holds the kit under one directory: drop it.
fn strip_common_directory(files: &mut Files) {
    let Some(first) =
        files.keys().next().and_then(|path| path.split_once('/')).map(|(dir, _)| dir.to_owned())
    else {
        return;
    };
    let prefix = format!("{first}/");
    if first != "exercises" && files.keys().all(|path| path.starts_with(&prefix)) {
        *files = std::mem::take(files)
            .into_iter()
            .map(|(path, bytes)| (path[prefix.len()..].to_owned(), bytes))
            .collect();
    }
}

/// Writes `bytes` to `path` unless it already holds them (unchanged files
/// keep their times, so cargo rebuilds only what changed).
fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    if fs::read(path).ok().as_deref() != Some(bytes) {
        fs::write(path, bytes).with_context(|| format!("writing {}", path.display()))?;
    }
    Ok(())
}

const UNCONTAINED: &str = "A hand-in is a stranger's code: `kata grade` runs it only in the sandbox. \
Install bubblewrap, or pass --allow-uncontained to run it without one (the report will say so).";

const WHAT_TO_HAND_IN: &str = "Give `kata grade` the candidate's kit: a directory, a git repository, \
or a .tar/.tar.gz of it (only its exercises/src/*.rs files are graded).";

const NOT_UTF8: &str = "the file is not UTF-8 text, so it cannot be Rust source";

const REJECTED: &str = "Not built: the file uses what an answer may not (an answer uses std's \
collections, iterators and maths, `kata_types` and the crates exercises/Cargo.toml lists; it \
reads no file, environment or network, and prints nothing):";

const DOES_NOT_COMPILE: &str = "The stub was graded in its place, so that the other exercises still count.";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_come_from_the_file_name() {
        assert_eq!(hand_in_name(Path::new("/x/alice.tar.gz")), "alice");
        assert_eq!(hand_in_name(Path::new("bob kit.tgz")), "bob_kit");
        assert_eq!(hand_in_name(Path::new("/x/carol/")), "carol");
    }

    #[test]
    fn paths_leaving_the_kit_are_refused() {
        assert_eq!(kit_relative(Path::new("./exercises/src/a.rs")).as_deref(), Some("exercises/src/a.rs"));
        assert_eq!(kit_relative(Path::new("../etc/passwd")), None);
        assert_eq!(kit_relative(Path::new("/etc/passwd")), None);
    }

    #[test]
    fn one_top_directory_is_dropped() {
        let mut files: Files = [("kit/exercises/src/a.rs", "a"), ("kit/Cargo.toml", "b")]
            .map(|(p, t)| (p.to_owned(), t.into()))
            .into();
        strip_common_directory(&mut files);
        assert!(files.contains_key("exercises/src/a.rs") && files.contains_key("Cargo.toml"));
        strip_common_directory(&mut files);
        assert!(files.contains_key("exercises/src/a.rs"), "a kit's own top directories stay");
    }

    #[test]
    fn errors_are_blamed_on_the_exercise_or_its_tests() {
        let Some(cosine) = EXERCISES.iter().find(|exercise| exercise.name == "cosine") else {
            return;
        };
        assert!(blames(Some("exercises/src/cosine.rs"), cosine));
        assert!(blames(Some("tests/cosine.rs"), cosine));
        assert!(!blames(Some("tests/top_k.rs"), cosine));
        assert!(!blames(None, cosine));
    }
}
