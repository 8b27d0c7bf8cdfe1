//! Renaming several files at once: one name for all, or a template (`Show - S01E{n:02}{ext}`,
//! [`crate::template`]) that gives each file its own, numbered in the order the list shows
//! them. The popup previews every new name before Enter sends anything; a template that makes
//! a bad name for any file sends nothing.

use super::overlay::{RenamePopup, RenameTarget};
use crate::api::clean_name;
use crate::template::Template;

/// What Enter would do with what is typed now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RenamePlan {
    /// The folder, one file, or several files given the same name (no placeholder typed).
    Same(Result<String, String>),
    /// Each file its own name: (code, old name, new name). Files whose name would not change
    /// are left out.
    Each(Vec<(String, String, String)>),
    /// The template cannot be used: why (for a file, naming it).
    Bad(String),
}

/// A row of the preview: the old name, the new one, and (once it came back) the result.
pub type PreviewRow = (String, String, Option<Result<(), String>>);

impl RenamePopup {
    /// Several files: the typed text is a template when it holds a brace.
    pub fn is_template(&self) -> bool {
        matches!(&self.target, RenameTarget::Files { codes, .. } if codes.len() > 1)
            && self.input.value().contains(['{', '}'])
    }

    /// What Enter would send, computed afresh from the input.
    pub fn plan(&self) -> RenamePlan {
        let RenameTarget::Files { codes, names } = &self.target else {
            return RenamePlan::Same(clean_name(self.input.value()));
        };
        if !self.is_template() {
            return RenamePlan::Same(clean_name(self.input.value()));
        }
        let template = match Template::parse(self.input.value()) {
            Ok(t) => t,
            Err(why) => return RenamePlan::Bad(why),
        };
        let mut each = Vec::new();
        for (i, code) in codes.iter().enumerate() {
            let old = names.get(i).cloned().unwrap_or_default();
            let new = template.render(i as u64 + 1, &old);
            match clean_name(&new) {
                Ok(new) if new == old => {}
                Ok(new) => each.push((code.clone(), old, new)),
                Err(why) => return RenamePlan::Bad(format!("{old}: {why}")),
            }
        }
        RenamePlan::Each(each)
    }

    /// (old, new) for each file as the preview lists them: the new name, or what came back.
    pub fn preview(&self) -> Vec<PreviewRow> {
        let RenameTarget::Files { codes, names } = &self.target else {
            return Vec::new();
        };
        if let Some(results) = &self.results {
            return results
                .iter()
                .map(|(code, new, error)| {
                    let at = codes.iter().position(|c| c == code);
                    let old = at.and_then(|i| names.get(i)).cloned().unwrap_or_default();
                    let result = match error {
                        None => Ok(()),
                        Some(e) => Err(e.clone()),
                    };
                    (old, new.clone(), Some(result))
                })
                .collect();
        }
        match self.plan() {
            RenamePlan::Each(each) => each
                .into_iter()
                .map(|(_, old, new)| (old, new, None))
                .collect(),
            RenamePlan::Same(Ok(new)) => names
                .iter()
                .map(|old| (old.clone(), new.clone(), None))
                .collect(),
            _ => Vec::new(),
        }
    }
}

impl super::App {
    /// Each file's answer to a template's renames: the rows take their new names; the popup
    /// that asked (if still open) lists every result, else a notice says how it went and the
    /// message log keeps each failure.
    pub(super) fn on_renamed_each(
        &mut self,
        req: u64,
        results: Vec<(String, String, Result<bool, crate::api::ApiError>)>,
    ) {
        use super::Level;
        use super::overlay::Popup;
        use crate::format::plural;
        let mut shown = Vec::with_capacity(results.len());
        let mut failed = 0;
        for (code, name, result) in results {
            let error = match result {
                Ok(true) => {
                    for listing in self.files.cache.values_mut() {
                        for file in &mut listing.files {
                            if file.file_code == code {
                                file.name = Some(name.clone());
                            }
                        }
                    }
                    None
                }
                Ok(false) => Some("no such file".to_string()),
                Err(e) => Some(e.to_string()),
            };
            if let Some(e) = &error {
                failed += 1;
                self.log(
                    Level::Error,
                    format!("Renaming {code} to {name} failed: {e}"),
                );
            }
            shown.push((code, name, error));
        }
        self.files.rebuild();
        let renamed = shown.len() - failed;
        let summary = match failed {
            0 => format!("Renamed {}", plural(renamed, "file")),
            f => format!(
                "Renamed {}; {f} failed (M: messages)",
                plural(renamed, "file")
            ),
        };
        let level = if failed == 0 {
            Level::Info
        } else {
            Level::Warn
        };
        if self.waits_for(req)
            && let Some(Popup::Rename(p)) = &mut self.popup
        {
            p.pending = None;
            p.results = Some(shown);
        }
        self.notify(level, summary);
    }
}
