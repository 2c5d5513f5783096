//! Where the kit lives on disk, and which exercise a name means.

use std::env;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::exercise::{EXERCISES, Exercise};
use crate::sandbox::Sandbox;
use anyhow::{Context, Result, bail};

/// The kit's root directory and the paths under it.
#[derive(Debug, Clone)]
pub struct Workspace {
    root: PathBuf,
    /// Cargo's target directory when it is not the usual one (a scratch
    /// copy of the kit builds into the original's).
    target: Option<PathBuf>,
    /// Where its test and benchmark binaries run, when they run contained
    /// (a hand-in graded by `kata grade`).
    sandbox: Option<Sandbox>,
}

impl Workspace {
    /// The workspace at `root`, or the nearest directory from the current one
    /// up that holds `Cargo.toml` and `exercises/`.
    pub fn discover(root: Option<&Path>) -> Result<Workspace> {
        if let Some(root) = root {
            if !root.join("Cargo.toml").is_file() {
                bail!("{} has no Cargo.toml: --root (or KATA_ROOT) must name the kit's root", root.display());
            }
            let root = root.canonicalize().with_context(|| format!("resolving {}", root.display()))?;
            return Ok(Workspace { root, target: None, sandbox: None });
        }
        let current = env::current_dir().context("reading the current directory")?;
        current
            .ancestors()
            .find(|dir| dir.join("Cargo.toml").is_file() && dir.join("exercises").is_dir())
            .map(|root| Workspace { root: root.to_path_buf(), target: None, sandbox: None })
            .with_context(|| format!("{} is not inside the AI Kata kit. {NOT_A_KIT}", current.display()))
    }

    /// The root directory.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// A path relative to the root.
    pub fn path(&self, relative: impl AsRef<Path>) -> PathBuf {
        self.root.join(relative)
    }

    /// The directory of the kit's own records (timers, hints, the last report);
    /// git ignores it.
    pub fn state_dir(&self) -> PathBuf {
        self.root.join(".kata")
    }

    /// A kit at `root` (a scratch copy) that builds into `target`.
    pub fn scratch(root: PathBuf, target: PathBuf) -> Workspace {
        Workspace { root, target: Some(target), sandbox: None }
    }

    /// This kit, its binaries run in `sandbox`.
    pub fn contained(self, sandbox: Sandbox) -> Workspace {
        Workspace { sandbox: Some(sandbox), ..self }
    }

    /// The sandbox its binaries run in, if any.
    pub fn sandbox(&self) -> Option<&Sandbox> {
        self.sandbox.as_ref()
    }

    /// A command that runs one of the kit's built binaries from the root:
    /// in the sandbox when there is one (with `writable_files` writable),
    /// directly otherwise.
    pub fn binary(&self, program: &Path, writable_files: &[&Path]) -> Command {
        let mut command = match &self.sandbox {
            Some(sandbox) => sandbox.command(program, &self.root, writable_files),
            None => Command::new(program),
        };
        command.current_dir(&self.root);
        command
    }

    /// The target directory to hand to cargo, when it is not cargo's own choice.
    pub fn target_override(&self) -> Option<&Path> {
        self.target.as_deref()
    }

    /// Whether the kit has the reference solutions: its root package declares
    /// the `reference` feature. A kit made by `kata pack` has not.
    pub fn has_reference(&self) -> bool {
        let Ok(manifest) = fs::read_to_string(self.path("Cargo.toml")) else { return false };
        manifest
            .parse::<toml_edit::DocumentMut>()
            .is_ok_and(|manifest| manifest.get("features").and_then(|f| f.get("reference")).is_some())
    }

    /// Fails, saying why and where to go instead, when the kit has no
    /// reference and `what` needs it.
    pub fn require_reference(&self, what: &str) -> Result<()> {
        if self.has_reference() {
            return Ok(());
        }
        bail!(
            "{what} needs the reference solutions, and this kit has none: it was packed for \
             candidates by `cargo kata pack`. Run it in the full AI Kata repository."
        )
    }

    /// Cargo's target directory: `CARGO_TARGET_DIR`, else `target/` under the root.
    pub fn target_dir(&self) -> PathBuf {
        if let Some(target) = &self.target {
            return target.clone();
        }
        match env::var_os("CARGO_TARGET_DIR") {
            Some(dir) => self.root.join(dir),
            None => self.root.join("target"),
        }
    }
}

/// Copies the files under `from` to `to`, skipping `skip` and `mutants.out*`;
/// a file already there with the same bytes is left alone (it keeps its
/// time, so cargo rebuilds only what changed).
pub fn copy_tree(from: &Path, to: &Path, skip: &[PathBuf]) -> Result<()> {
    fs::create_dir_all(to).with_context(|| format!("creating {}", to.display()))?;
    for entry in fs::read_dir(from).with_context(|| format!("reading {}", from.display()))? {
        let path = entry.context("reading a directory entry")?.path();
        let name = path.file_name().map(|name| name.to_string_lossy().into_owned()).unwrap_or_default();
        if skip.contains(&path) || name.starts_with("mutants.out") {
            continue;
        }
        let target = to.join(&name);
        if path.is_dir() {
            copy_tree(&path, &target, skip)?;
        } else {
            let bytes = fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
            if fs::read(&target).ok().as_deref() != Some(bytes.as_slice()) {
                fs::write(&target, bytes).with_context(|| format!("writing {}", target.display()))?;
            }
        }
    }
    Ok(())
}

/// The exercise called `name`, or an error that suggests the nearest name.
pub fn exercise(name: &str) -> Result<&'static Exercise> {
    if let Some(exercise) = crate::exercise::find(name) {
        return Ok(exercise);
    }
    let names: Vec<&str> = EXERCISES.iter().map(|exercise| exercise.name).collect();
    match nearest(name) {
        Some(near) => {
            bail!("there is no exercise {name:?}: did you mean {near:?}? (exercises: {})", names.join(", "))
        }
        None => bail!("there is no exercise {name:?} (exercises: {})", names.join(", ")),
    }
}

/// The named exercise, or every exercise when no name is given.
pub fn selection(name: Option<&str>) -> Result<Vec<&'static Exercise>> {
    match name {
        Some(name) => Ok(vec![exercise(name)?]),
        None => Ok(EXERCISES.iter().collect()),
    }
}

/// The exercise name closest to `name`, if any is close enough to be a typo.
fn nearest(name: &str) -> Option<&'static str> {
    let name = name.to_lowercase().replace('-', "_");
    EXERCISES
        .iter()
        .map(|exercise| (strsim::jaro_winkler(&name, exercise.name), exercise.name))
        .filter(|(similarity, _)| *similarity >= 0.7)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, name)| name)
}

const NOT_A_KIT: &str = "Run kata from the kit's directory (the one with Cargo.toml and exercises/), \
or pass --root DIR.";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typos_suggest_the_nearest_exercise() {
        assert_eq!(nearest("cosin"), Some("cosine"));
        assert_eq!(nearest("top-k"), Some("top_k"));
        assert_eq!(nearest("zzzzzzzz"), None);
    }
}
