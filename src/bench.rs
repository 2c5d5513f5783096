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
/// `plain:f64 sums`, `floor:stream once`, `peer:simsimd`,
/// `reference:portable` (a variant of the reference, such as one kernel
/// pinned).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    /// The kit's reference solution (with a detail: a variant of it).
    Reference,
    /// The candidate's code under test.
    Candidate,
    /// The straightforward answer most people write first.
    Naive,
    /// A plain correct answer: one of the kit's `answers/<name>/right_*.rs`,
    /// correct in every tier and written without tuning.
    Plain,
    /// A bound no correct answer beats by much, such as reading the input once.
    Floor,
    /// A well-known crate that solves the same problem.
    Peer,
}

impl Role {
    /// Every role, in the order reports list them.
    pub const ALL: [Role; 6] =
        [Role::Reference, Role::Candidate, Role::Peer, Role::Plain, Role::Naive, Role::Floor];

    /// The role's name as it appears in benchmark IDs.
    pub fn label(self) -> &'static str {
        match self {
            Role::Reference => "reference",
            Role::Candidate => "candidate",
            Role::Naive => "naive",
            Role::Plain => "plain",
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

/// The detail that names the reference's portable path: the reference with
/// its SIMD kernels switched off (`reference:portable`).
pub const PORTABLE: &str = "portable";

/// A rung of the ladder a candidate climbs, from what most people write
/// first to the hand-tuned reference. `kata bench` rates the candidate by
/// the highest rung it reaches, so a verdict is never only "how far from a
/// SIMD kernel": a plain correct answer has a rung of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Rung {
    /// The straightforward answer ([`Role::Naive`]; the fastest of them
    /// where a benchmark has several).
    Naive,
    /// A plain correct answer from `answers/` ([`Role::Plain`]).
    Plain,
    /// The reference's own portable path (`reference:portable`), where the
    /// reference has SIMD kernels: what careful safe Rust reaches.
    Portable,
    /// The reference as it runs (SIMD where this CPU has it).
    Reference,
}

impl Rung {
    /// Every rung, lowest first.
    pub const ALL: [Rung; 4] = [Rung::Naive, Rung::Plain, Rung::Portable, Rung::Reference];

    /// The rung's name in reports (`Comparison.ladder`'s keys).
    pub fn label(self) -> &'static str {
        match self {
            Rung::Naive => "naive",
            Rung::Plain => "plain",
            Rung::Portable => "portable",
            Rung::Reference => "reference",
        }
    }

    /// The rung an implementation stands for, if any.
    ///
    /// ```
    /// use kata::bench::Rung;
    /// assert_eq!(Rung::of("naive:triple loop"), Some(Rung::Naive));
    /// assert_eq!(Rung::of("plain:f64 sums"), Some(Rung::Plain));
    /// assert_eq!(Rung::of("reference:portable"), Some(Rung::Portable));
    /// assert_eq!(Rung::of("reference"), Some(Rung::Reference));
    /// assert_eq!(Rung::of("reference:avx2"), None);
    /// assert_eq!(Rung::of("peer:simsimd"), None);
    /// ```
    pub fn of(implementation: &str) -> Option<Rung> {
        match Role::parse(implementation)? {
            (Role::Naive, _) => Some(Rung::Naive),
            (Role::Plain, _) => Some(Rung::Plain),
            (Role::Reference, PORTABLE) => Some(Rung::Portable),
            (Role::Reference, "") => Some(Rung::Reference),
            _ => None,
        }
    }
}
