//! `kata new NAME`: scaffolds an exercise, in the spirit of rustlings'
//! `dev new`.
//!
//! It writes every file an exercise is made of, from templates (in
//! `cli/templates/`) that already compile, fail as a stub and pass as the
//! reference: the registry entry, the given types, the stub and its
//! pristine copy, the solution, the hidden tests, the benchmark and two
//! answers. It adds the module lines to the three `lib.rs` files and the
//! `[[bench]]` entry. Then `cargo kata selfcheck --fix` (which rebuilds
//! `kata` with the new registry) writes the README's table.

use std::fs;
use std::path::Path;
use std::process::ExitCode;

use anstream::println;
use anyhow::{Context, Result, bail};

use crate::exercise;
use crate::term::{self, GOOD, STRONG};
use crate::workspace::Workspace;

/// Each template and where it goes (`{name}` is the exercise's name).
const TEMPLATES: [(&str, &str); 8] = [
    ("types/src/{name}.rs", include_str!("../templates/types.rs")),
    ("exercises/src/{name}.rs", include_str!("../templates/stub.rs")),
    ("stubs/{name}.rs", include_str!("../templates/stub.rs")),
    ("solutions/src/{name}.rs", include_str!("../templates/solution.rs")),
    ("tests/{name}.rs", include_str!("../templates/tests.rs")),
    ("benches/{name}.rs", include_str!("../templates/bench.rs")),
    ("answers/{name}/right_fold_in_u64.rs", include_str!("../templates/right_answer.rs")),
    ("answers/{name}/wrong_sum_in_u32.rs", include_str!("../templates/wrong_answer.rs")),
];

/// `kata new NAME`.
pub fn run(workspace: &Workspace, name: &str) -> Result<ExitCode> {
    check_name(workspace, name)?;
    let fill = |text: &str| text.replace("{name}", name).replace("{Camel}", &camel_case(name));
    for (path, template) in TEMPLATES {
        let path = fill(path);
        write_new(&workspace.path(&path), &fill(template))?;
        println!("  wrote {path}");
    }
    let module = format!("pub mod {name};");
    insert_sorted(&workspace.path("exercises/src/lib.rs"), "pub mod ", &module)?;
    insert_sorted(&workspace.path("solutions/src/lib.rs"), "pub mod ", &module)?;
    insert_sorted(&workspace.path("types/src/lib.rs"), "mod ", &format!("mod {name};"))?;
    insert_sorted(
        &workspace.path("types/src/lib.rs"),
        "pub use ",
        &format!("pub use {name}::{}Error;", camel_case(name)),
    )?;
    append(
        &workspace.path("benches/Cargo.toml"),
        &format!("\n[[bench]]\nname = \"{name}\"\npath = \"{name}.rs\"\nharness = false\n"),
    )?;
    append(&workspace.path("exercises.toml"), &registry_entry(name))?;
    println!("  added `{name}` to exercises.toml, the three lib.rs files and benches/Cargo.toml");
    println!(
        "{} `{name}` compiles, fails as a stub and passes as the reference. Next:\n  \
         cargo kata selfcheck --fix                       # README table (rebuilds kata with the new registry)\n  \
         cargo test --test {name}                         # fails: the stub\n  \
         cargo test --features reference --test {name}    # passes: the template's reference\n\
         Then write the statement, the reference, the tests, the benchmark and the answers; edit \
         the entry in exercises.toml.",
        term::paint(GOOD, "Scaffolded"),
    );
    println!(
        "{}",
        term::paint(STRONG, "Keep stubs/ equal to the stub: `cargo kata selfcheck --fix` copies it.")
    );
    Ok(ExitCode::SUCCESS)
}

/// A module name not taken yet.
fn check_name(workspace: &Workspace, name: &str) -> Result<()> {
    let valid = name.starts_with(|c: char| c.is_ascii_lowercase())
        && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if !valid {
        bail!(
            "{name:?} is not a module name: use lowercase letters, digits and underscores, starting with a letter"
        );
    }
    let registry = fs::read_to_string(workspace.path("exercises.toml")).context("reading exercises.toml")?;
    if exercise::find(name).is_some() || registry.contains(&format!("name = \"{name}\"")) {
        bail!("there is already an exercise named {name:?}");
    }
    Ok(())
}

/// `top_k` → `TopK`.
fn camel_case(name: &str) -> String {
    name.split('_')
        .map(|word| {
            let mut chars = word.chars();
            chars
                .next()
                .map(|first| first.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        })
        .collect()
}

/// The registry entry of a new exercise, with placeholders to edit.
fn registry_entry(name: &str) -> String {
    format!(
        "\n[[exercise]]\nname = \"{name}\"\ntitle = \"{name}\"\n\
         summary = \"(one line: what the candidate builds)\"\ntopic = \"(topic)\"\ndifficulty = \"medium\"\n\
         prompt = \"(the interview prompt it comes from)\"\nbench = true\n\
         ladder.plain = \"(what a plain correct answer does)\"\n\
         ladder.reference = \"(what the reference does better)\"\nhints = [\n    \
         \"(where to start)\",\n    \"(the edge cases)\",\n    \"(the fast approach)\",\n]\n"
    )
}

/// Writes a file that must not exist yet.
fn write_new(path: &Path, text: &str) -> Result<()> {
    if path.exists() {
        bail!("{} exists already: nothing was overwritten", path.display());
    }
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
    }
    fs::write(path, text).with_context(|| format!("writing {}", path.display()))
}

/// Appends `text` to a file.
fn append(path: &Path, text: &str) -> Result<()> {
    let mut contents = fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    contents.push_str(text);
    fs::write(path, contents).with_context(|| format!("writing {}", path.display()))
}

/// Adds `line` to the block of lines starting with `prefix` and keeps the
/// block sorted, as rustfmt does.
fn insert_sorted(path: &Path, prefix: &str, line: &str) -> Result<()> {
    let text = fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    fs::write(path, with_line_sorted(&text, prefix, line))
        .with_context(|| format!("writing {}", path.display()))
}

/// See [`insert_sorted`]: the first block of lines starting with `prefix`
/// gains `line` (at the end of the text when there is no such block).
fn with_line_sorted(text: &str, prefix: &str, line: &str) -> String {
    let mut lines: Vec<&str> = text.lines().collect();
    let start = lines.iter().position(|candidate| candidate.starts_with(prefix));
    let Some(start) = start else {
        return format!(
            "{}{line}\n",
            if text.ends_with('\n') || text.is_empty() { text.to_owned() } else { format!("{text}\n") }
        );
    };
    let end = start + lines[start..].iter().take_while(|candidate| candidate.starts_with(prefix)).count();
    lines.insert(end, line);
    lines[start..=end].sort_unstable();
    lines.join("\n") + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn camel_case_of_module_names() {
        assert_eq!(camel_case("top_k"), "TopK");
        assert_eq!(camel_case("bm25"), "Bm25");
    }

    #[test]
    fn a_line_joins_its_block_in_order() {
        let lib = "//! doc\n\npub mod bm25;\npub mod top_k;\n\nmod select;\n";
        assert_eq!(
            with_line_sorted(lib, "pub mod ", "pub mod merge;"),
            "//! doc\n\npub mod bm25;\npub mod merge;\npub mod top_k;\n\nmod select;\n"
        );
        assert_eq!(with_line_sorted("//! doc\n", "pub mod ", "pub mod a;"), "//! doc\npub mod a;\n");
    }
}
