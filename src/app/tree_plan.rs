//! The plan of a directory's upload from the picker: what the worker found, as the
//! confirmation shows it and the start carries it out.

use crate::sync::{Plan, Problem};

/// The plan of a tree's upload, as the confirmation shows it and the start carries it out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TreePlan {
    /// The folder the marked entries go into.
    pub target: u64,
    pub target_path: String,
    /// What was marked, by name (directories with a `/`).
    pub names: Vec<String>,
    /// Files already there skipped.
    pub plan: Plan,
    /// The same, with the files already there sent too (`a`).
    pub plan_all: Plan,
    /// Left out, and why: unreadable, empty, too large, names that cannot be, folders that
    /// could not be listed.
    pub left_out: Vec<Problem>,
    /// Hidden entries left out (`.DS_Store`, `.thumbnails/`).
    pub hidden: Vec<String>,
}

impl TreePlan {
    /// Bytes to send.
    pub fn bytes(&self, send_all: bool) -> u64 {
        let plan = if send_all { &self.plan_all } else { &self.plan };
        plan.upload.iter().map(|u| u.file.size).sum()
    }
}
