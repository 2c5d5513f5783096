//! The shipped stubs, embedded at build time from `stubs/` (see `build.rs`).
//!
//! The binary is rebuilt from the candidate's edited `exercises/`, so the
//! pristine copies live apart, in `stubs/`; `kata selfcheck` proves they
//! equal `exercises/src/NAME.rs` in the shipped kit.

include!(concat!(env!("OUT_DIR"), "/stubs.rs"));

/// The shipped stub of the exercise called `name`.
pub fn stub_for(name: &str) -> Option<&'static str> {
    STUBS.iter().find(|(exercise, _)| *exercise == name).map(|(_, text)| *text)
}
