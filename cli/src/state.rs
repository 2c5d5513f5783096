//! The kit's own records in `.kata/` (hints revealed, timers, the last
//! benchmark runs), each one JSON file, loaded and saved the same way.

use std::fs;
use std::path::PathBuf;

use anyhow::{Context, Result};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::workspace::Workspace;

/// One record file under `.kata/`: its file name and what it holds, for
/// messages ("a hint record").
#[derive(Debug, Clone, Copy)]
pub struct Record {
    /// The file name under `.kata/`.
    pub file: &'static str,
    /// What the file holds, for messages.
    pub what: &'static str,
}

impl Record {
    /// Where the record lives.
    pub fn path(self, workspace: &Workspace) -> PathBuf {
        workspace.state_dir().join(self.file)
    }

    /// The record, or its default when there is none yet.
    pub fn load<T: DeserializeOwned + Default>(self, workspace: &Workspace) -> Result<T> {
        let path = self.path(workspace);
        if !path.exists() {
            return Ok(T::default());
        }
        let text = fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
        serde_json::from_str(&text)
            .with_context(|| format!("{} is not {}; delete it to start afresh", path.display(), self.what))
    }

    /// Writes the record (pretty JSON), creating `.kata/` when needed.
    pub fn save<T: Serialize>(self, workspace: &Workspace, value: &T) -> Result<()> {
        let dir = workspace.state_dir();
        fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
        let path = self.path(workspace);
        let text = serde_json::to_string_pretty(value).with_context(|| format!("encoding {}", self.what))?;
        fs::write(&path, text + "\n").with_context(|| format!("writing {}", path.display()))
    }
}
