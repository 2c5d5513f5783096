//! Compiles the registry (`exercises.toml` at the kit's root) into the
//! `kata` binary, with each exercise's shipped stub (`stubs/<name>.rs`)
//! embedded by `include_str!`: a registry entry without its stub, or with a
//! field missing, fails the build with a message saying which.

use std::env;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

/// The rungs of the speed ladder a `ladder` table may describe, lowest
/// first (`kata::bench::Rung`'s labels; the lowest, `naive`, needs no advice).
const RUNGS: [&str; 3] = ["plain", "portable", "reference"];

/// The fields of an entry, each a string (besides `bench`, `hints` and `ladder`).
const TEXT_FIELDS: [&str; 6] = ["name", "title", "summary", "topic", "difficulty", "prompt"];

fn main() {
    let manifest_dir =
        PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let root = manifest_dir.parent().expect("cli/ sits in the kit's root").to_path_buf();
    let registry_path = root.join("exercises.toml");
    println!("cargo::rerun-if-changed={}", registry_path.display());
    println!("cargo::rerun-if-changed={}", root.join("stubs").display());

    let text = fs::read_to_string(&registry_path)
        .unwrap_or_else(|error| panic!("reading {}: {error}", registry_path.display()));
    let registry: toml::Table =
        text.parse().unwrap_or_else(|error| panic!("{} is not valid TOML: {error}", registry_path.display()));
    let generated = generate(&root, &registry).unwrap_or_else(|error| panic!("exercises.toml: {error}"));

    let out_dir = PathBuf::from(env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    fs::write(out_dir.join("registry.rs"), generated).expect("OUT_DIR is writable");
}

/// The Rust source of `EXERCISES`.
fn generate(root: &Path, registry: &toml::Table) -> Result<String, String> {
    let entries =
        registry.get("exercise").and_then(toml::Value::as_array).ok_or("no [[exercise]] entries")?;
    let mut out = String::from("/// Every exercise, in kit order (from `exercises.toml`).\n");
    out.push_str("pub const EXERCISES: &[Exercise] = &[\n");
    for (index, entry) in entries.iter().enumerate() {
        let entry = entry.as_table().ok_or(format!("entry {index} is not a table"))?;
        let text = |field: &str| {
            entry
                .get(field)
                .and_then(toml::Value::as_str)
                .ok_or(format!("entry {index}: `{field}` must be a string"))
        };
        let name = text("name")?;
        out.push_str("    Exercise {\n");
        for field in TEXT_FIELDS {
            writeln!(out, "        {field}: {:?},", text(field)?).expect("writing to a String");
        }
        let bench = entry
            .get("bench")
            .and_then(toml::Value::as_bool)
            .ok_or(format!("{name}: `bench` must be true or false"))?;
        writeln!(out, "        bench: {bench},").expect("writing to a String");
        let hints = entry
            .get("hints")
            .and_then(toml::Value::as_array)
            .ok_or(format!("{name}: `hints` must be a list"))?;
        out.push_str("        hints: &[\n");
        for hint in hints {
            let hint = hint.as_str().ok_or(format!("{name}: every hint must be a string"))?;
            writeln!(out, "            {hint:?},").expect("writing to a String");
        }
        out.push_str("        ],\n");
        out.push_str(&ladder(name, entry)?);
        let stub = root.join("stubs").join(format!("{name}.rs"));
        writeln!(out, "        stub: include_str!({:?}),", stub.display().to_string())
            .expect("writing to a String");
        out.push_str("    },\n");
    }
    out.push_str("];\n");
    Ok(out)
}

/// The `ladder: &[(rung, advice)]` field of an entry, in rung order, from its
/// optional `ladder` table (what it takes to reach each rung).
fn ladder(name: &str, entry: &toml::Table) -> Result<String, String> {
    let mut out = String::from("        ladder: &[\n");
    if let Some(table) = entry.get("ladder") {
        let table =
            table.as_table().ok_or(format!("{name}: `ladder` must be a table of rung = \"advice\""))?;
        if let Some(unknown) = table.keys().find(|key| !RUNGS.contains(&key.as_str())) {
            return Err(format!("{name}: `ladder.{unknown}` is no rung (the rungs: {})", RUNGS.join(", ")));
        }
        for rung in RUNGS {
            if let Some(advice) = table.get(rung) {
                let advice = advice.as_str().ok_or(format!("{name}: `ladder.{rung}` must be a string"))?;
                writeln!(out, "            ({rung:?}, {advice:?}),").expect("writing to a String");
            }
        }
    }
    out.push_str("        ],\n");
    Ok(out)
}
