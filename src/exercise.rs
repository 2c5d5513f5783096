//! The exercises of the kit, in the order a candidate meets them.
//!
//! This list is the one place that knows which exercises exist: the `kata`
//! command, the stub messages and the self-checks all read it.

/// One exercise of the kit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Exercise {
    /// Module name, also the name of its hidden test file (`tests/<name>.rs`)
    /// and of its benchmark (`benches/<name>.rs`).
    pub name: &'static str,
    /// One line saying what the candidate builds.
    pub summary: &'static str,
}

impl Exercise {
    /// The file a candidate edits, relative to the repository root.
    pub fn stub_path(&self) -> String {
        stub_path(self.name)
    }
}

/// The file a candidate edits for the exercise `name`, relative to the
/// repository root.
pub fn stub_path(name: &str) -> String {
    format!("exercises/src/{name}.rs")
}

/// Every exercise, in kit order.
pub const EXERCISES: &[Exercise] = &[
    Exercise {
        name: "cosine",
        summary: "cosine similarity of two vectors, robust to overflow and underflow",
    },
    Exercise {
        name: "top_k",
        summary: "the k items most similar to a query embedding, one-shot and indexed",
    },
    Exercise { name: "chunking", summary: "split a document into overlapping chunks of N tokens, zero-copy" },
    Exercise { name: "bm25", summary: "an Okapi BM25 inverted index: every document's score and the top k" },
    Exercise {
        name: "batching",
        summary: "pad variable-length token sequences into dense batches, lazily, longest first",
    },
    Exercise {
        name: "merge",
        summary: "k-way merge of sorted streams: lazy, stable, O(log k) comparisons per item",
    },
    Exercise {
        name: "bpe",
        summary: "train a byte-level BPE vocabulary, then encode and decode with its merges",
    },
];

/// Looks an exercise up by its module name.
///
/// ```
/// assert_eq!(kata::exercise::find("cosine").map(|e| e.name), Some("cosine"));
/// assert!(kata::exercise::find("nope").is_none());
/// ```
pub fn find(name: &str) -> Option<&'static Exercise> {
    EXERCISES.iter().find(|exercise| exercise.name == name)
}
