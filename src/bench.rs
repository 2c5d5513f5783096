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

/// What an implementation is in a benchmark: declared once, where the
/// benchmark names it, and read back by `kata bench` and `kata report`.
///
/// A criterion function name is `role` or `role:detail`
/// ([`Role::implementation`]): `reference`, `candidate`, `naive:loop`,
/// `floor:stream once`, `peer:simsimd`, `reference:portable` (a variant of
/// the reference, such as one kernel pinned).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    /// The kit's reference solution (with a detail: a variant of it).
    Reference,
    /// The candidate's code under test.
    Candidate,
    /// The straightforward answer most people write first.
    Naive,
    /// A bound no correct answer beats by much, such as reading the input once.
    Floor,
    /// A well-known crate that solves the same problem.
    Peer,
}

impl Role {
    /// Every role, in the order reports list them.
    pub const ALL: [Role; 5] = [Role::Reference, Role::Candidate, Role::Peer, Role::Naive, Role::Floor];

    /// The role's name as it appears in benchmark IDs.
    pub fn label(self) -> &'static str {
        match self {
            Role::Reference => "reference",
            Role::Candidate => "candidate",
            Role::Naive => "naive",
            Role::Floor => "floor",
            Role::Peer => "peer",
        }
    }

    /// The criterion function name of an implementation with this role:
    /// the label alone when `detail` is empty, else `label:detail`.
    ///
    /// ```
    /// use kata::bench::Role;
    /// assert_eq!(Role::Reference.implementation(""), "reference");
    /// assert_eq!(Role::Peer.implementation("simsimd"), "peer:simsimd");
    /// ```
    pub fn implementation(self, detail: &str) -> String {
        if detail.is_empty() { self.label().to_owned() } else { format!("{}:{detail}", self.label()) }
    }

    /// The role and detail of a criterion function name written by
    /// [`Role::implementation`]; `None` for a name that declares no role.
    ///
    /// ```
    /// use kata::bench::Role;
    /// assert_eq!(Role::parse("floor:stream once"), Some((Role::Floor, "stream once")));
    /// assert_eq!(Role::parse("candidate"), Some((Role::Candidate, "")));
    /// assert_eq!(Role::parse("simsimd"), None);
    /// ```
    pub fn parse(implementation: &str) -> Option<(Role, &str)> {
        let (label, detail) = implementation.split_once(':').unwrap_or((implementation, ""));
        let role = Role::ALL.into_iter().find(|role| role.label() == label)?;
        Some((role, detail))
    }
}
