//! Running a stranger's code contained, with bubblewrap (`bwrap`).
//!
//! `kata grade` runs a hand-in's test and benchmark binaries in a sandbox:
//! - no network (every namespace unshared, the network one included);
//! - the whole system read-only, the reviewer's home directory and `/tmp`
//!   replaced by empty read-only directories (the reviewer's files are not
//!   there to read);
//! - the graded kit and the binary read-only, bound back where they were;
//! - one scratch directory writable (it is also `HOME` and `TMPDIR`), plus
//!   the files the caller names (libtest's logfile);
//! - a clean environment (only [`PASSED_ENVIRONMENT`] and what the caller
//!   sets), its own session, and killed with `kata` (`--die-with-parent`).
//!
//! Cargo builds outside the sandbox: a hand-in contributes only
//! `exercises/src/*.rs`, and the manifests are the reviewer's, so no build
//! script or proc macro of the candidate's runs at build time.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The program that contains.
const BWRAP: &str = "bwrap";

/// What the report's `sandbox` says when the code ran contained.
pub const NAME: &str = "bubblewrap";

/// Variables of `kata`'s environment the contained code still sees: the
/// ones the hidden tests read, and the locale.
const PASSED_ENVIRONMENT: [&str; 7] = [
    "PATH",
    "LANG",
    "RUST_BACKTRACE",
    "RUST_MIN_STACK",
    "RUST_TEST_THREADS",
    "KATA_TIME_SCALE",
    "KATA_KERNEL",
];

/// Where contained code may read and write.
#[derive(Debug, Clone)]
pub struct Sandbox {
    /// Bound read-only (again) inside: the graded kit.
    readable: Vec<PathBuf>,
    /// The one writable directory.
    scratch: PathBuf,
}

impl Sandbox {
    /// A sandbox that reads `readable` (and the system) and writes `scratch` only.
    pub fn new(readable: Vec<PathBuf>, scratch: PathBuf) -> Sandbox {
        Sandbox { readable, scratch }
    }

    /// The writable directory.
    pub fn scratch(&self) -> &Path {
        &self.scratch
    }

    /// A command that runs `program` contained, from `directory`, with
    /// `writable_files` (which must exist) writable too. Arguments and
    /// variables added to it reach `program`.
    pub fn command(&self, program: &Path, directory: &Path, writable_files: &[&Path]) -> Command {
        let mut command = Command::new(BWRAP);
        command.env_clear();
        for name in PASSED_ENVIRONMENT {
            if let Some(value) = std::env::var_os(name) {
                command.env(name, value);
            }
        }
        command.env("HOME", &self.scratch).env("TMPDIR", &self.scratch);
        command.args(["--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc"]);
        let hidden = hidden_directories();
        for dir in &hidden {
            command.arg("--tmpfs").arg(dir);
        }
        for path in self.readable.iter().map(PathBuf::as_path).chain([program]) {
            command.arg("--ro-bind").arg(path).arg(path);
        }
        command.arg("--bind").arg(&self.scratch).arg(&self.scratch);
        for file in writable_files {
            command.arg("--bind").arg(file).arg(file);
        }
        for dir in &hidden {
            command.arg("--remount-ro").arg(dir);
        }
        command.args(["--unshare-all", "--die-with-parent", "--new-session", "--chdir"]);
        command.arg(directory).arg("--").arg(program);
        command
    }
}

/// The directories replaced by empty ones inside: the reviewer's home and
/// the shared temporary directories.
fn hidden_directories() -> Vec<PathBuf> {
    let home = std::env::var_os("HOME").map(PathBuf::from);
    let candidates: Vec<PathBuf> = home
        .into_iter()
        .chain(["/tmp", "/var/tmp"].map(PathBuf::from))
        .filter(|dir| dir.is_dir() && dir != Path::new("/"))
        .collect();
    // A home under /tmp is hidden with it (and cannot be mounted over twice).
    candidates
        .iter()
        .filter(|dir| !candidates.iter().any(|other| other != *dir && dir.starts_with(other)))
        .cloned()
        .collect()
}

/// Whether bubblewrap can contain code here; if not, why and what to do.
pub fn check_available() -> Result<(), String> {
    let status = Command::new(BWRAP)
        .args(["--ro-bind", "/", "/", "--unshare-all", "--die-with-parent", "--", "true"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
    match status {
        Ok(status) if status.success() => Ok(()),
        Ok(status) => Err(format!(
            "bubblewrap is installed but cannot make a sandbox here ({status}): user namespaces may \
             be disabled (sysctl kernel.unprivileged_userns_clone=1, or run where they are allowed)"
        )),
        Err(_) => Err("bubblewrap (bwrap) is not installed: `sudo apt-get install bubblewrap`".to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_binds_the_kit_read_only_and_the_scratch_writable() {
        let sandbox = Sandbox::new(vec![PathBuf::from("/kit")], PathBuf::from("/scratch"));
        let command = sandbox.command(Path::new("/kit/t"), Path::new("/kit"), &[Path::new("/log")]);
        let args: Vec<String> = command.get_args().map(|arg| arg.to_string_lossy().into_owned()).collect();
        let joined = args.join(" ");
        assert!(joined.starts_with("--ro-bind / / "), "{joined}");
        assert!(joined.contains("--ro-bind /kit /kit"), "{joined}");
        assert!(joined.contains("--bind /scratch /scratch --bind /log /log"), "{joined}");
        assert!(joined.contains("--unshare-all --die-with-parent"), "{joined}");
        assert!(joined.ends_with("--chdir /kit -- /kit/t"), "{joined}");
        let home = command.get_envs().find(|(name, _)| *name == "HOME").and_then(|(_, value)| value);
        assert_eq!(home, Some(std::ffi::OsStr::new("/scratch")));
    }
}
