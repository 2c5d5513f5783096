//! `kata watch [EXERCISE]`: re-checks an exercise whenever a file under
//! `exercises/` is saved. Saves are debounced (an editor's burst of writes
//! is one save); Ctrl-C stops the running check and the watch cleanly.

use std::collections::HashMap;
use std::fs;
use std::path::{Component, Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Sender, channel};
use std::time::Duration;

use crate::exercise::Exercise;
use anstream::println;
use anyhow::{Context, Result};
use notify_debouncer_mini::notify::RecursiveMode;
use notify_debouncer_mini::{DebounceEventResult, new_debouncer};

use crate::args::Grading;
use crate::check;
use crate::grading::{self, Status};
use crate::term::{self, DIM, GOOD, STRONG};
use crate::workspace::{self, Workspace};

/// How long a burst of writes must stay quiet before it counts as one save.
const DEBOUNCE: Duration = Duration::from_millis(300);

/// What wakes the watch loop.
enum Wake {
    Saved(DebounceEventResult),
    Stop,
}

/// `kata watch [EXERCISE]`.
pub fn run(workspace: &Workspace, name: Option<&str>, grading: &Grading) -> Result<ExitCode> {
    let mut current = name.map(workspace::exercise).transpose()?;
    let (sender, wakes) = channel();
    let interrupted = Arc::new(AtomicBool::new(false));
    install_ctrl_c(sender.clone(), Arc::clone(&interrupted))?;

    let saves = sender.clone();
    let mut debouncer = new_debouncer(DEBOUNCE, move |result| {
        // The loop may have ended: then nobody listens any more.
        let _ = saves.send(Wake::Saved(result));
    })
    .context("starting the file watcher")?;
    let exercises_dir = workspace.path("exercises");
    debouncer
        .watcher()
        .watch(&exercises_dir, RecursiveMode::Recursive)
        .with_context(|| format!("watching {}", exercises_dir.display()))?;

    let mut saved = Contents::of_tree(&exercises_dir);
    println!("{}", term::paint(STRONG, format!("Watching {} (Ctrl-C stops).", exercises_dir.display())));
    if let Some(exercise) = current {
        check_once(workspace, exercise, grading, &interrupted)?;
    }
    while let Ok(wake) = wakes.recv() {
        // Saves made while the last check ran are one save now.
        let mut changed = Vec::new();
        for wake in std::iter::once(wake).chain(wakes.try_iter()) {
            match wake {
                Wake::Stop => interrupted.store(true, Ordering::SeqCst),
                Wake::Saved(Ok(events)) => changed.extend(events.into_iter().map(|event| event.path)),
                Wake::Saved(Err(error)) => println!("{}", term::paint(DIM, format!("file watcher: {error}"))),
            }
        }
        if interrupted.load(Ordering::SeqCst) {
            break;
        }
        // A build opening the files to read them wakes the watcher too: only
        // a file whose contents differ from what was last seen is a save.
        let changed = saved.update(&changed);
        if changed.is_empty() {
            continue;
        }
        let Some(exercise) = changed_exercise(&exercises_dir, &changed).or(current) else {
            println!("{}", term::paint(DIM, NO_EXERCISE_YET));
            continue;
        };
        current = Some(exercise);
        check_once(workspace, exercise, grading, &interrupted)?;
        if interrupted.load(Ordering::SeqCst) {
            break;
        }
    }
    println!("Stopped watching.");
    Ok(ExitCode::SUCCESS)
}

/// What each `.rs` file under the watched folder held when last seen.
struct Contents(HashMap<PathBuf, Vec<u8>>);

impl Contents {
    /// Reads every `.rs` file below `dir`.
    fn of_tree(dir: &Path) -> Contents {
        let mut contents = Contents(HashMap::new());
        let mut pending = vec![dir.to_path_buf()];
        while let Some(dir) = pending.pop() {
            for entry in fs::read_dir(&dir).into_iter().flatten().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    pending.push(path);
                } else if path.extension().is_some_and(|extension| extension == "rs") {
                    contents.update(&[path]);
                }
            }
        }
        contents
    }

    /// The paths whose contents changed since last seen (a new file, a
    /// removed one, or other bytes), remembering what they hold now.
    fn update<'a>(&mut self, paths: &'a [PathBuf]) -> Vec<&'a Path> {
        let mut changed = Vec::new();
        for path in paths {
            let now = fs::read(path).ok();
            let before = match &now {
                Some(bytes) => self.0.insert(path.clone(), bytes.clone()),
                None => self.0.remove(path),
            };
            if before != now && !changed.contains(&path.as_path()) {
                changed.push(path.as_path());
            }
        }
        changed
    }
}

/// Checks one exercise and prints the result with a "waiting" line.
fn check_once(
    workspace: &Workspace,
    exercise: &'static Exercise,
    grading: &Grading,
    interrupted: &AtomicBool,
) -> Result<()> {
    println!("{}", term::paint(DIM, format!("── checking {} ──", exercise.name)));
    let results = grading::grade(workspace, &[exercise], grading, interrupted)?;
    if results.iter().any(|graded| graded.status == Status::Interrupted) {
        return Ok(());
    }
    check::print_results(&results, grading);
    if results.iter().all(|graded| graded.status == Status::Passing) {
        println!(
            "{}",
            term::paint(GOOD, format!("{} passes. Save another exercise to check it.", exercise.name))
        );
    }
    println!("{}", term::paint(DIM, "Waiting for a save… (Ctrl-C stops)"));
    Ok(())
}

/// The exercise a set of changed paths belongs to: `exercises/src/NAME.rs`
/// or a file under `exercises/src/NAME/`. Editors' temporary files are ignored.
fn changed_exercise(exercises_dir: &Path, changed: &[&Path]) -> Option<&'static Exercise> {
    changed.iter().rev().find_map(|path| {
        if path.extension().is_none_or(|extension| extension != "rs") {
            return None;
        }
        let relative = path.strip_prefix(exercises_dir).ok()?.strip_prefix("src").ok()?;
        let first = match relative.components().next()? {
            Component::Normal(first) => Path::new(first),
            _ => return None,
        };
        let stem = first.file_stem()?.to_str()?;
        crate::exercise::find(stem)
    })
}

/// Ctrl-C stops a running check (its test process is killed) and the loop.
fn install_ctrl_c(sender: Sender<Wake>, interrupted: Arc<AtomicBool>) -> Result<()> {
    ctrlc::set_handler(move || {
        interrupted.store(true, Ordering::SeqCst);
        let _ = sender.send(Wake::Stop);
    })
    .context("installing the Ctrl-C handler")
}

const NO_EXERCISE_YET: &str = "Saved a file that belongs to no exercise; save exercises/src/NAME.rs \
or start with `cargo kata watch NAME`.";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_new_contents_count_as_a_save() {
        let dir = std::env::temp_dir().join(format!("kata-watch-{}", std::process::id()));
        fs::create_dir_all(dir.join("src")).expect("a temp dir");
        let file = dir.join("src/cosine.rs");
        fs::write(&file, "fn a() {}").expect("writable");
        let mut contents = Contents::of_tree(&dir);
        let paths = [file.clone()];
        assert!(contents.update(&paths).is_empty(), "reading a file is not a save");
        fs::write(&file, "fn b() {}").expect("writable");
        assert_eq!(contents.update(&paths), [file.as_path()]);
        assert!(contents.update(&paths).is_empty(), "the same contents again are not a save");
        fs::remove_dir_all(&dir).expect("removable");
    }

    #[test]
    fn saves_map_to_their_exercise() {
        let dir = Path::new("/kit/exercises");
        let find = |path: &str| changed_exercise(dir, &[Path::new(path)]).map(|exercise| exercise.name);
        assert_eq!(find("/kit/exercises/src/cosine.rs"), Some("cosine"));
        assert_eq!(find("/kit/exercises/src/top_k/select.rs"), Some("top_k"));
        assert_eq!(find("/kit/exercises/src/.cosine.rs.swp"), None);
        assert_eq!(find("/kit/exercises/src/lib.rs"), None);
    }
}
