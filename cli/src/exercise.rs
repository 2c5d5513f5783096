//! The exercises of the kit, from the registry (`exercises.toml` at the
//! kit's root), in the order a candidate meets them.
//!
//! `build.rs` reads the registry and compiles it in, each stub with it
//! (`stubs/<name>.rs`, what `kata reset` restores): a registry entry whose
//! stub is missing does not compile. Every command reads this one list.

/// One exercise of the kit: one `[[exercise]]` entry of `exercises.toml`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Exercise {
    /// Module name: `exercises/src/<name>.rs`, `tests/<name>.rs`, ...
    pub name: &'static str,
    /// A few words for people.
    pub title: &'static str,
    /// One line saying what the candidate builds.
    pub summary: &'static str,
    /// The area it belongs to (retrieval, data, ml-numerics, ...).
    pub topic: &'static str,
    /// easy, medium or hard.
    pub difficulty: &'static str,
    /// The interview prompt it comes from.
    pub prompt: &'static str,
    /// Whether `benches/<name>.rs` measures it.
    pub bench: bool,
    /// Hints in the order they are revealed.
    pub hints: &'static [&'static str],
    /// What it takes to reach each rung of the speed ladder
    /// ([`kata::bench::Rung`]: `plain`, `portable`, `reference`), lowest
    /// first: `kata bench` shows the candidate the advice of the next rung.
    pub ladder: &'static [(&'static str, &'static str)],
    /// The shipped stub, `stubs/<name>.rs`.
    pub stub: &'static str,
}

impl Exercise {
    /// The file a candidate edits, relative to the kit's root.
    pub fn stub_path(&self) -> String {
        kata::grade::stub_path(self.name)
    }
}

include!(concat!(env!("OUT_DIR"), "/registry.rs"));

impl Exercise {
    /// The advice of `rung` (what it takes to reach it), if the registry has any.
    pub fn ladder_advice(&self, rung: &str) -> Option<&'static str> {
        self.ladder.iter().find(|(name, _)| *name == rung).map(|(_, advice)| *advice)
    }
}

/// Looks an exercise up by its module name.
pub fn find(name: &str) -> Option<&'static Exercise> {
    EXERCISES.iter().find(|exercise| exercise.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_module_names() {
        for (i, exercise) in EXERCISES.iter().enumerate() {
            assert!(
                exercise.name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'),
                "{:?} is not a module name",
                exercise.name
            );
            assert!(
                EXERCISES[..i].iter().all(|other| other.name != exercise.name),
                "{} twice",
                exercise.name
            );
        }
    }

    #[test]
    fn find_by_name() {
        assert_eq!(find(EXERCISES[0].name).map(|e| e.name), Some(EXERCISES[0].name));
        assert!(find("no_such_exercise").is_none());
    }

    #[test]
    fn every_exercise_has_hints_and_a_stub() {
        for exercise in EXERCISES {
            assert!(!exercise.hints.is_empty(), "{} has no hints", exercise.name);
            assert!(exercise.stub.contains("todo!"), "{}'s stub has no todo!()", exercise.name);
        }
    }
}
