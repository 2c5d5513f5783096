//! What a report's numbers rest on ([`Provenance`]): which kit graded which
//! files, with which toolchain and settings, and whether the code ran
//! contained. Two reports compare only when their `kit_sha256` agree.
//!
//! The kit's hash ([`kit_sha256`]) covers what decides a grade: the hidden
//! tests, the harness, the given types, the benchmarks, the `kata` command,
//! the lock file, the manifests and the registry; never `exercises/src` (the
//! graded code) nor build output.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result};
use sha2::{Digest, Sha256};

use crate::bench::Plan;
use crate::exercise::EXERCISES;
use crate::report::{HandIn, Provenance};
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
    benches: Option<&Plan>,
    containment: &Containment,
    hand_in: Option<HandIn>,
) -> Result<Provenance> {
    Ok(Provenance {
        kit_sha256: kit_sha256(kit.root())?,
        files_sha256: graded_files_sha256(graded)?,
        toolchain: toolchain(),
        time_scale: std::env::var(kata::grade::TIME_SCALE_VARIABLE).ok(),
        kernel: std::env::var("KATA_KERNEL").ok(),
        bench_length: benches.map(|plan| if plan.quick { "quick" } else { "full" }.to_owned()),
        contained: containment.contained(),
        sandbox: containment.sandbox(),
        hand_in,
    })
}

/// SHA-256 of `bytes`, in lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    sha256_hex_of(&Sha256::digest(bytes))
}

/// A digest in lowercase hex.
fn sha256_hex_of(digest: &[u8]) -> String {
    digest.iter().map(|byte| format!("{byte:02x}")).collect()
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

/// The directories of the kit that decide a grade: the hidden tests, the
/// harness, the given types, the benchmarks and the `kata` command.
const KIT_DIRECTORIES: [&str; 5] = ["tests", "src", "types", "benches", "cli"];

/// The kit's single files that decide a grade: the lock file, the manifests
/// outside those directories and the registry.
const KIT_FILES: [&str; 5] =
    ["Cargo.lock", "Cargo.toml", "exercises/Cargo.toml", "solutions/Cargo.toml", "exercises.toml"];

/// SHA-256 (lowercase hex) over the kit at `root`: every file of
/// [`KIT_DIRECTORIES`] and [`KIT_FILES`] that exists, in sorted path order,
/// each as its `/`-separated relative path, a NUL byte, its length (8 bytes,
/// little-endian) and its bytes. Build output (`target/`) and hidden
/// directories are skipped; `exercises/src` (the graded code) is never read.
pub fn kit_sha256(root: &Path) -> Result<String> {
    let mut files: Vec<PathBuf> =
        KIT_FILES.iter().map(PathBuf::from).filter(|relative| root.join(relative).is_file()).collect();
    for directory in KIT_DIRECTORIES {
        collect_files(root, Path::new(directory), &mut files)?;
    }
    let mut named: Vec<(String, PathBuf)> =
        files.into_iter().map(|relative| (slashed(&relative), relative)).collect();
    named.sort();
    let mut hasher = Sha256::new();
    for (name, relative) in &named {
        let path = root.join(relative);
        let bytes = fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
        hasher.update(name.as_bytes());
        hasher.update([0]);
        hasher.update(u64::try_from(bytes.len()).unwrap_or(u64::MAX).to_le_bytes());
        hasher.update(&bytes);
    }
    Ok(sha256_hex_of(&hasher.finalize()))
}

/// Every file under `root/relative`, recursively, as paths relative to `root`.
fn collect_files(root: &Path, relative: &Path, files: &mut Vec<PathBuf>) -> Result<()> {
    let directory = root.join(relative);
    if !directory.is_dir() {
        return Ok(());
    }
    let entries = fs::read_dir(&directory).with_context(|| format!("reading {}", directory.display()))?;
    for entry in entries {
        let entry = entry.with_context(|| format!("reading {}", directory.display()))?;
        let name = entry.file_name();
        if name.to_string_lossy().starts_with('.') || name == "target" {
            continue;
        }
        let child = relative.join(&name);
        let kind = entry.file_type().with_context(|| format!("reading {}", root.join(&child).display()))?;
        if kind.is_dir() {
            collect_files(root, &child, files)?;
        } else if kind.is_file() {
            files.push(child);
        }
    }
    Ok(())
}

/// A relative path with `/` separators on every platform.
fn slashed(path: &Path) -> String {
    path.components().map(|part| part.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
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

    #[test]
    fn the_kit_hash_follows_the_tests_and_ignores_the_candidates_code() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let write = |relative: &str, text: &str| {
            let path = dir.path().join(relative);
            fs::create_dir_all(path.parent().expect("a parent")).expect("creating directories");
            fs::write(path, text).expect("writing");
        };
        write("Cargo.toml", "[package]\n");
        write("tests/cosine.rs", "#[test] fn examples_one() {}\n");
        write("exercises/src/cosine.rs", "pub fn answer() {}\n");
        let first = kit_sha256(dir.path()).expect("hashing");
        assert_eq!(first.len(), 64);

        write("exercises/src/cosine.rs", "pub fn answer() { /* the candidate's work */ }\n");
        write("target/debug/junk", "build output");
        assert_eq!(
            kit_sha256(dir.path()).expect("hashing"),
            first,
            "graded code and build output do not count"
        );

        write("tests/cosine.rs", "#[test] fn examples_one() { assert!(true) }\n");
        assert_ne!(kit_sha256(dir.path()).expect("hashing"), first, "a changed hidden test changes the hash");
    }
}
