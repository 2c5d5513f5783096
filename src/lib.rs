//! # kata: the grading harness of AI Kata
//!
//! This package holds what the hidden tests (`tests/`), the benchmarks
//! (`benches/`) and the `kata` command (the `kata-cli` package, `cli/`) share, written once:
//!
//! - [`subject`]: the implementation under test. It is the candidate's
//!   `exercises` crate, or the reference `solutions` crate when this package is
//!   built with `--features reference` (or `--cfg kata_reference`, which
//!   cargo-mutants needs).
//! - `reference`: the reference `solutions` crate, wherever the reference is
//!   present (the default feature `with-reference`). A candidate kit made by
//!   `cargo kata pack` leaves it out, and with it every benchmark row that
//!   measures it.
//! - [`seed`]: the one seed (`KATA_SEED`) every random case derives from.
//! - [`grade`]: runs the subject under a time limit and turns a stub, a panic
//!   or an endless loop into a failed test with a clear message.
//! - [`property`]: property tests (proptest) driven by that seed.
//! - [`generate`]: random and adversarial inputs.
//! - [`oracle`]: slow, obviously-correct implementations to compare with.
//! - [`tolerance`]: float comparisons and "is this a valid top-k" checks.
//! - [`alloc`]: a counting global allocator that measures peak memory.
//! - [`bench`]: what the criterion benchmarks share.

pub use ndarray;

#[cfg(not(any(feature = "reference", kata_reference)))]
pub use exercises as subject;
#[cfg(any(feature = "reference", kata_reference))]
pub use solutions as subject;

#[cfg(any(feature = "with-reference", kata_reference))]
pub use solutions as reference;

pub mod alloc;
pub mod bench;
pub mod generate;
pub mod grade;
pub mod oracle;
pub mod property;
pub mod seed;
pub mod tolerance;
