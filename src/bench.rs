//! What the criterion benchmarks share.
//!
//! A benchmark measures the reference, the candidate and a peer on the same
//! inputs. While the candidate's exercise is a stub there is nothing to
//! measure: [`candidate_ready`] probes it once and says so instead of
//! crashing the run.

use std::panic::{self, AssertUnwindSafe};

use crate::grade;

/// Calls `probe` (one small call into the candidate's code) and reports
/// whether the candidate can be benchmarked. A stub or a panic prints a note
/// on stderr and returns `false`.
pub fn candidate_ready(exercise: &str, probe: impl FnOnce()) -> bool {
    let quiet = panic::take_hook();
    panic::set_hook(Box::new(|_| {}));
    let outcome = panic::catch_unwind(AssertUnwindSafe(probe));
    panic::set_hook(quiet);
    match outcome {
        Ok(()) => true,
        Err(payload) => {
            let message = grade::panic_message(payload.as_ref());
            if grade::is_stub_message(&message) {
                eprintln!("note: candidate skipped: exercises/src/{exercise}.rs is still a stub");
            } else {
                eprintln!("note: candidate skipped: it panicked on the probe input: {message}");
            }
            false
        }
    }
}
