//! What a report's numbers rest on ([`Provenance`]): which kit graded which
//! files, with which toolchain and settings, and whether the code ran
//! contained. Two reports compare only when their `kit_sha256` agree.
//!
//! The kit's hash covers every file under its root except the graded files
//! (`exercises/src/<name>.rs` of each registry exercise), the build output
//! (`target/`), git's and kata's own records (`.git/`, `.kata/`) and
//! cargo-mutants' output: tests, harness, manifests, stubs, statements. It
//! is a SHA-256 over the sorted lines `PATH NUL SHA-256(CONTENT)`.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result};
use sha2::{Digest, Sha256};

use crate::exercise::EXERCISES;
use crate::report::{BenchLength, HandIn, Provenance};
use crate::sandbox;
use crate::workspace::Workspace;

/// How the graded code ran.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Containment {
    /// `kata report`: in the kit, as the candidate runs it.
    InPlace,
    /// `kata grade`: in the sandbox.
    Sandboxed,
    /// `kata grade --allow-uncontained`.
    Uncontained,
}

impl Containment {
    /// Whether the tests and benchmarks ran in the sandbox.
    pub fn contained(self) -> bool {
        self == Containment::Sandboxed
    }

    /// The report's `sandbox`: its name, or why there was none.
    pub fn sandbox(self) -> String {
        match self {
            Containment::InPlace => {
                "none: `kata report` runs the kit in place (`kata grade` contains hand-ins)"
            }
            Containment::Sandboxed => sandbox::NAME,
            Containment::Uncontained => "none: --allow-uncontained",
        }
        .to_owned()
    }
}

/// The provenance of grading the files of `graded` in the kit `kit` (the
/// same workspace for `kata report`; for `kata grade`, the reviewer's kit
/// and the graded copy).
pub fn collect(
    kit: &Workspace,
    graded: &Workspace,
    benches: Option<BenchLength>,
    containment: &Containment,
    hand_in: Option<HandIn>,
) -> Result<Provenance> {
    Ok(Provenance {
        kit_sha256: kit_sha256(kit)?,
        files_sha256: graded_files_sha256(graded)?,
        toolchain: toolchain(),
        time_scale: std::env::var(kata::grade::TIME_SCALE_VARIABLE).ok(),
        kernel: std::env::var("KATA_KERNEL").ok(),
        bench_length: benches.map(|length| length.name().to_owned()),
        contained: containment.contained(),
        sandbox: containment.sandbox(),
        hand_in,
    })
}

/// SHA-256 of `bytes`, in lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|byte| format!("{byte:02x}")).collect()
}

/// Each registry exercise's file in `workspace` -> its SHA-256.
fn graded_files_sha256(workspace: &Workspace) -> Result<BTreeMap<String, String>> {
    let mut files = BTreeMap::new();
    for exercise in EXERCISES {
        let relative = exercise.stub_path();
        let path = workspace.path(&relative);
        if path.is_file() {
            let bytes = fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
            files.insert(relative, sha256_hex(&bytes));
        }
    }
    Ok(files)
}

/// The hash of the kit's own files (see the module's documentation).
fn kit_sha256(workspace: &Workspace) -> Result<String> {
    let mut files = Vec::new();
    let skip =
        [workspace.path("target"), workspace.target_dir(), workspace.path(".git"), workspace.state_dir()];
    kit_files(workspace.root(), workspace.root(), &skip, &mut files)?;
    let graded: Vec<String> = EXERCISES.iter().map(|exercise| exercise.stub_path()).collect();
    files.retain(|(relative, _)| !graded.contains(relative));
    files.sort();
    let mut listing = String::new();
    for (relative, path) in files {
        let bytes = fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
        listing.push_str(&format!("{relative}\0{}\n", sha256_hex(&bytes)));
    }
    Ok(sha256_hex(listing.as_bytes()))
}

/// Every file under `dir` (kit-relative with `/`, and its path), `skip` and
/// `mutants.out*` left out, symbolic links not followed.
fn kit_files(root: &Path, dir: &Path, skip: &[PathBuf], out: &mut Vec<(String, PathBuf)>) -> Result<()> {
    for entry in fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
        let entry = entry.context("reading a directory entry")?;
        let path = entry.path();
        if skip.contains(&path) || entry.file_name().to_string_lossy().starts_with("mutants.out") {
            continue;
        }
        let kind = entry.file_type().context("reading a file's type")?;
        if kind.is_dir() {
            kit_files(root, &path, skip, out)?;
        } else if kind.is_file() {
            let relative = path.strip_prefix(root).unwrap_or(&path);
            let relative =
                relative.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
            out.push((relative, path));
        }
    }
    Ok(())
}

/// `rustc -V`, or why it is unknown.
fn toolchain() -> String {
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    Command::new(rustc).arg("-V").output().ok().filter(|output| output.status.success()).map_or_else(
        || "unknown (rustc -V failed)".to_owned(),
        |output| String::from_utf8_lossy(&output.stdout).trim().to_owned(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_is_the_standard_one() {
        assert_eq!(sha256_hex(b"abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}
