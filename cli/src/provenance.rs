//! Where a report comes from: the SHA-256 of the kit that graded it.
//!
//! Two reports can be compared only if the same hidden tests and the same
//! harness graded them. [`kit_sha256`] hashes the kit's own files (never a
//! candidate's `exercises/src`), so a reviewer's kit and a report's claim
//! can be checked against each other.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use sha2::{Digest, Sha256};

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
        collect(root, Path::new(directory), &mut files)?;
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
    Ok(hex(&hasher.finalize()))
}

/// Every file under `root/relative`, recursively, as paths relative to `root`.
fn collect(root: &Path, relative: &Path, files: &mut Vec<PathBuf>) -> Result<()> {
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
            collect(root, &child, files)?;
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

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_written_as_lowercase_hex() {
        assert_eq!(
            hex(&Sha256::digest(b"abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
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
