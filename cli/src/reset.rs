//! `kata reset EXERCISE [--yes]`: puts the shipped stub back. The code it
//! replaces is kept in `.kata/backups/`, in case the answer was "yes" by
//! mistake; `kata reset EXERCISE --restore` puts the newest backup back.

use std::fs;
use std::io::{self, BufRead, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anstream::println;
use anyhow::{Context, Result, bail};

use crate::exercise::Exercise;
use crate::term::{self, GOOD};
use crate::timer;
use crate::workspace::{self, Workspace};

/// `kata reset EXERCISE [--yes] [--restore]`.
pub fn run(workspace: &Workspace, name: &str, yes: bool, restore: bool) -> Result<ExitCode> {
    let exercise = workspace::exercise(name)?;
    if restore {
        return restore_backup(workspace, exercise);
    }
    let stub = exercise.stub;
    let path = workspace.path(exercise.stub_path());
    let current = fs::read_to_string(&path).ok();
    if current.as_deref() == Some(stub) {
        println!("{} is already the shipped stub.", exercise.stub_path());
        return Ok(ExitCode::SUCCESS);
    }
    if !yes
        && !confirm(&format!(
            "Replace {} with the shipped stub? Your code there is kept in .kata/backups/ \
             (`cargo kata reset {} --restore` brings it back).",
            exercise.stub_path(),
            exercise.name
        ))?
    {
        println!("Nothing changed.");
        return Ok(ExitCode::FAILURE);
    }
    if let Some(current) = current {
        back_up(workspace, exercise, &current)?;
    }
    fs::write(&path, stub).with_context(|| format!("writing {}", path.display()))?;
    println!("{} {} is the shipped stub again.", term::paint(GOOD, "Reset:"), exercise.stub_path());
    Ok(ExitCode::SUCCESS)
}

/// `kata reset --all [--yes]`: every exercise that is not its shipped stub.
pub fn run_all(workspace: &Workspace, yes: bool) -> Result<ExitCode> {
    let mut reset = 0;
    for exercise in crate::exercise::EXERCISES {
        let current = fs::read_to_string(workspace.path(exercise.stub_path())).ok();
        if current.as_deref() != Some(exercise.stub) {
            if run(workspace, exercise.name, yes, false)? != ExitCode::SUCCESS {
                return Ok(ExitCode::FAILURE);
            }
            reset += 1;
        }
    }
    println!("{reset} exercises reset; every one is its shipped stub now.");
    Ok(ExitCode::SUCCESS)
}

/// Saves `code` as the newest backup of `exercise`.
fn back_up(workspace: &Workspace, exercise: &Exercise, code: &str) -> Result<()> {
    let backups = backup_dir(workspace);
    fs::create_dir_all(&backups).with_context(|| format!("creating {}", backups.display()))?;
    let newest = newest_backup(workspace, exercise).map_or(0, |(stamp, _)| stamp + 1);
    let backup = backups.join(format!("{}-{}.rs", exercise.name, timer::now().max(newest)));
    fs::write(&backup, code).with_context(|| format!("writing {}", backup.display()))?;
    println!("Your code is saved in {}.", backup.display());
    Ok(())
}

/// `kata reset EXERCISE --restore`: puts the newest backup back (the code
/// there now is backed up first, unless it is the shipped stub).
fn restore_backup(workspace: &Workspace, exercise: &Exercise) -> Result<ExitCode> {
    let Some((_, backup)) = newest_backup(workspace, exercise) else {
        bail!("there is no backup of `{}` in {}", exercise.name, backup_dir(workspace).display());
    };
    let code = fs::read_to_string(&backup).with_context(|| format!("reading {}", backup.display()))?;
    let path = workspace.path(exercise.stub_path());
    let current = fs::read_to_string(&path).ok();
    if let Some(current) = current.filter(|current| current != exercise.stub && *current != code) {
        back_up(workspace, exercise, &current)?;
    }
    fs::write(&path, code).with_context(|| format!("writing {}", path.display()))?;
    fs::remove_file(&backup).with_context(|| format!("removing {}", backup.display()))?;
    println!(
        "{} {} holds your code from {} again.",
        term::paint(GOOD, "Restored:"),
        exercise.stub_path(),
        backup.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// Where reset keeps the code it replaces.
fn backup_dir(workspace: &Workspace) -> PathBuf {
    workspace.state_dir().join("backups")
}

/// The newest backup of `exercise`: its stamp and path.
fn newest_backup(workspace: &Workspace, exercise: &Exercise) -> Option<(u64, PathBuf)> {
    let prefix = format!("{}-", exercise.name);
    fs::read_dir(backup_dir(workspace))
        .ok()?
        .flatten()
        .filter_map(|entry| {
            let path = entry.path();
            let stamp = path.file_stem()?.to_str()?.strip_prefix(&prefix)?.parse::<u64>().ok()?;
            Some((stamp, path))
        })
        .max()
}

/// Asks a yes/no question on the terminal; "no" unless the answer starts with y.
fn confirm(question: &str) -> Result<bool> {
    let stdin = io::stdin();
    if !stdin.is_terminal() {
        bail!("{question} {NOT_INTERACTIVE}");
    }
    print!("{question} [y/N] ");
    io::stdout().flush().context("writing the question")?;
    let mut answer = String::new();
    stdin.lock().read_line(&mut answer).context("reading the answer")?;
    Ok(answer.trim_start().to_lowercase().starts_with('y'))
}

const NOT_INTERACTIVE: &str = "There is no terminal to ask: pass --yes to reset anyway.";
