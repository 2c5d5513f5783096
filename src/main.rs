//! The `kata` command: progress and hints for candidates, reports and
//! comparisons for reviewers. `cargo kata --help` lists the commands; the
//! README documents each one.

use std::process::ExitCode;

use clap::Parser;

mod cli;

fn main() -> anyhow::Result<ExitCode> {
    cli::run(cli::args::Args::parse())
}
