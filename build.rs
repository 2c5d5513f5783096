//! Embeds the pristine stubs (`stubs/*.rs`) in the `kata` binary, so that
//! `kata reset` restores an exercise without git. Every file in `stubs/` is
//! taken: adding an exercise needs no change here.

use std::env;
use std::fmt::Write as _;
use std::fs;
use std::path::PathBuf;

fn main() {
    let manifest_dir =
        PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let stubs_dir = manifest_dir.join("stubs");
    println!("cargo::rerun-if-changed={}", stubs_dir.display());

    let mut stubs: Vec<(String, PathBuf)> = fs::read_dir(&stubs_dir)
        .expect("the stubs/ directory holds the shipped stubs")
        .map(|entry| entry.expect("a readable entry in stubs/").path())
        .filter(|path| path.extension().is_some_and(|extension| extension == "rs"))
        .map(|path| {
            let name = path.file_stem().expect("a file name").to_string_lossy().into_owned();
            (name, path)
        })
        .collect();
    stubs.sort();

    let mut table = String::from("/// The shipped stub of each exercise: (module name, file contents).\n");
    table.push_str("pub const STUBS: &[(&str, &str)] = &[\n");
    for (name, path) in &stubs {
        writeln!(table, "    ({name:?}, include_str!({:?})),", path.display().to_string())
            .expect("writing to a String cannot fail");
    }
    table.push_str("];\n");

    let out_dir = PathBuf::from(env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    fs::write(out_dir.join("stubs.rs"), table).expect("OUT_DIR is writable");
}
