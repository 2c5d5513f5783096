//! Where a report was made: the machine and the commit.

use std::fs;
use std::process::Command;

use serde::{Deserialize, Serialize};

use crate::workspace::Workspace;

/// The machine a report was made on (benchmark ratios only compare on one machine).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Machine {
    /// The CPU model (`/proc/cpuinfo`'s "model name"), or "unknown".
    pub cpu_model: String,
    /// Cores available to this process.
    pub cores: usize,
    /// The operating system (`linux`, `macos`, ...).
    pub os: String,
    /// The CPU architecture (`x86_64`, `aarch64`, ...).
    pub arch: String,
}

impl Machine {
    /// This machine.
    pub fn current() -> Machine {
        Machine {
            cpu_model: cpu_model().unwrap_or_else(|| "unknown".to_owned()),
            cores: std::thread::available_parallelism().map_or(1, |cores| cores.get()),
            os: std::env::consts::OS.to_owned(),
            arch: std::env::consts::ARCH.to_owned(),
        }
    }
}

fn cpu_model() -> Option<String> {
    let cpuinfo = fs::read_to_string("/proc/cpuinfo").ok()?;
    cpuinfo
        .lines()
        .filter_map(|line| line.split_once(':'))
        .find(|(key, _)| key.trim() == "model name")
        .map(|(_, value)| value.trim().to_owned())
}

/// The commit checked out at the root, and whether the work tree has changes;
/// `None` outside git.
pub fn commit(workspace: &Workspace) -> Option<(String, bool)> {
    let git = |args: &[&str]| {
        let output = Command::new("git").current_dir(workspace.root()).args(args).output().ok()?;
        output.status.success().then(|| String::from_utf8_lossy(&output.stdout).trim().to_owned())
    };
    let commit = git(&["rev-parse", "HEAD"])?;
    let dirty = git(&["status", "--porcelain"]).is_some_and(|status| !status.is_empty());
    Some((commit, dirty))
}
