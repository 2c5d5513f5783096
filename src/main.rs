//! The `kata` command: progress and hints for candidates, reports and
//! comparisons for reviewers. `cargo kata --help` lists the commands; the
//! README documents each one.

use std::process::ExitCode;

use clap::Parser;

mod cli;

fn main() -> ExitCode {
    match cli::run(cli::args::Args::parse()) {
        Ok(code) => code,
        Err(error) => {
            // `{:#}` prints the chain of contexts on one line, and never a
            // backtrace: these errors are for the person at the terminal.
            anstream::eprintln!("{} {error:#}", cli::term::paint(cli::term::BAD, "error:"));
            ExitCode::FAILURE
        }
    }
}
