//! `kata reset EXERCISE [--yes]`: puts the shipped stub back. The code it
//! replaces is kept in `.kata/backups/`, in case the answer was "yes" by
//! mistake.

use std::fs;
use std::io::{self, BufRead, IsTerminal, Write};
use std::process::ExitCode;

use anstream::println;
use anyhow::{Context, Result, bail};

use crate::term::{self, GOOD};
use crate::timer;
use crate::workspace::{self, Workspace};

/// `kata reset EXERCISE [--yes]`.
pub fn run(workspace: &Workspace, name: &str, yes: bool) -> Result<ExitCode> {
    let exercise = workspace::exercise(name)?;
    let stub = exercise.stub;
    let path = workspace.path(exercise.stub_path());
    let current = fs::read_to_string(&path).ok();
    if current.as_deref() == Some(stub) {
        println!("{} is already the shipped stub.", exercise.stub_path());
        return Ok(ExitCode::SUCCESS);
    }
    if !yes
        && !confirm(&format!(
            "Replace {} with the shipped stub? Your code there is lost.",
            exercise.stub_path()
        ))?
    {
        println!("Nothing changed.");
        return Ok(ExitCode::FAILURE);
    }
    if let Some(current) = current {
        let backups = workspace.state_dir().join("backups");
        fs::create_dir_all(&backups).with_context(|| format!("creating {}", backups.display()))?;
        let backup = backups.join(format!("{}-{}.rs", exercise.name, timer::now()));
        fs::write(&backup, current).with_context(|| format!("writing {}", backup.display()))?;
        println!("Your code is saved in {}.", backup.display());
    }
    fs::write(&path, stub).with_context(|| format!("writing {}", path.display()))?;
    println!("{} {} is the shipped stub again.", term::paint(GOOD, "Reset:"), exercise.stub_path());
    Ok(ExitCode::SUCCESS)
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
