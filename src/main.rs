//! The `kata` command. For now it lists the exercises; see the README.

use std::process::ExitCode;

use kata::exercise::EXERCISES;

fn main() -> ExitCode {
    println!("AI Kata exercises (grade one with `cargo test --test NAME`):");
    for exercise in EXERCISES {
        println!("  {:<10} {}  ({})", exercise.name, exercise.summary, exercise.stub_path());
    }
    ExitCode::SUCCESS
}
