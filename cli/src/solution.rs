//! `kata solution EXERCISE [--force]`: after the pass, the reference and
//! the lesson in its module doc (what the strong answer does differently),
//! as rustlings shows its solutions once an exercise is done. Before the
//! pass it refuses, unless forced: reading the answer first spoils the
//! exercise.

use std::fs;
use std::process::ExitCode;
use std::sync::atomic::AtomicBool;

use anstream::println;
use anyhow::{Result, bail};

use crate::args::Grading;
use crate::grading::{self, Status};
use crate::term::{self, DIM, STRONG};
use crate::workspace::{self, Workspace};

/// `kata solution EXERCISE [--force]`.
pub fn run(workspace: &Workspace, name: &str, force: bool, grading: &Grading) -> Result<ExitCode> {
    let exercise = workspace::exercise(name)?;
    let path = format!("solutions/src/{}.rs", exercise.name);
    let Ok(source) = fs::read_to_string(workspace.path(&path)) else {
        bail!("this kit ships no reference for `{}` ({path} is not here)", exercise.name);
    };
    if !force {
        let graded = grading::grade(
            workspace,
            &[exercise],
            &Grading { reference: false, ..grading.clone() },
            &AtomicBool::new(false),
        )?;
        let status = graded.first().map(|graded| graded.status);
        if status != Some(Status::Passing) {
            println!(
                "`{}` does not pass yet ({}): the reference is shown once it does. `cargo kata hint {}` \
                 gives the next hint; `--force` shows the reference anyway.",
                exercise.name,
                status.map_or("not graded", Status::label),
                exercise.name
            );
            return Ok(ExitCode::FAILURE);
        }
    }
    println!("{}", term::paint(STRONG, format!("The reference for `{}` ({path})", exercise.name)));
    println!();
    println!("{}", lesson(&source));
    println!();
    println!(
        "{}",
        term::paint(DIM, format!("The whole reference: {path}. Compare it with {}.", exercise.stub_path()))
    );
    Ok(ExitCode::SUCCESS)
}

/// The module doc of a source file (its leading `//!` lines), as text.
fn lesson(source: &str) -> String {
    source
        .lines()
        .take_while(|line| line.starts_with("//!") || line.trim().is_empty())
        .filter_map(|line| line.strip_prefix("//!"))
        .map(|line| line.strip_prefix(' ').unwrap_or(line))
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lesson_is_the_module_doc() {
        let source = "//! # Title\n//!\n//! Why it is fast.\n\nuse std::fs;\n//! not this\n";
        assert_eq!(lesson(source), "# Title\n\nWhy it is fast.");
    }
}
