//! `kata hint EXERCISE [--all]`: progressive hints. Each call reveals one
//! more; how many were revealed is kept in `.kata/hints.json` (reviewers see
//! it in the report).

use std::collections::BTreeMap;
use std::process::ExitCode;

use anstream::println;
use anyhow::Result;

use crate::state::Record;
use crate::term::{self, DIM, NOTE, STRONG};
use crate::workspace::{self, Workspace};

/// How many hints were revealed, by exercise name.
pub type Revealed = BTreeMap<String, usize>;

/// `kata hint EXERCISE [--all]`.
pub fn run(workspace: &Workspace, name: &str, all: bool) -> Result<ExitCode> {
    let exercise = workspace::exercise(name)?;
    let hints = exercise.hints;
    if hints.is_empty() {
        println!(
            "`{}` has no hints yet: its statement is the doc comment of {}.",
            exercise.name,
            exercise.stub_path()
        );
        return Ok(ExitCode::SUCCESS);
    }
    let mut revealed = load(workspace)?;
    let before = revealed.get(exercise.name).copied().unwrap_or(0);
    let shown = if all { hints.len() } else { (before + 1).min(hints.len()) };
    revealed.insert(exercise.name.to_owned(), shown.max(before));
    save(workspace, &revealed)?;

    for (number, hint) in hints.iter().enumerate().take(shown) {
        let heading = format!("Hint {} of {} for {}", number + 1, hints.len(), exercise.name);
        let style = if number + 1 == shown && !all { STRONG } else { DIM };
        println!("{}\n{}\n", term::paint(style, heading), term::indent(hint, 2));
    }
    if shown < hints.len() {
        println!(
            "{}",
            term::paint(NOTE, format!("Run `cargo kata hint {}` again for the next one.", exercise.name))
        );
    } else {
        println!("{}", term::paint(NOTE, ALL_SHOWN));
    }
    Ok(ExitCode::SUCCESS)
}

/// The hints revealed so far.
pub fn load(workspace: &Workspace) -> Result<Revealed> {
    RECORD.load(workspace)
}

fn save(workspace: &Workspace, revealed: &Revealed) -> Result<()> {
    RECORD.save(workspace, revealed)
}

/// How many hints of each exercise were revealed.
const RECORD: Record = Record { file: "hints.json", what: "a hint record" };

const ALL_SHOWN: &str = "That was the last hint. The statement (the stub's doc comment) has the rest.";
