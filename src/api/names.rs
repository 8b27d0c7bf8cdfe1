//! Names as they are sent: the same rules for the popups and the CLI.

use super::error::ApiError;
use super::types::Folder;

/// Checks a file or folder name the way the popups do; the same rules hold for scripts.
pub fn check_name(name: &str) -> Result<(), String> {
    clean_name(name).map(|_| ())
}

/// A name as it is sent: checked, then trimmed of surrounding white space (the popups and the
/// CLI alike). Refused: empty or only spaces, over 255 characters, control characters, and the
/// bidirectional controls that make a name read differently from what it holds.
pub fn clean_name(name: &str) -> Result<String, String> {
    let trimmed = name.trim();
    if trimmed.is_empty() {
        return Err("the name is empty".into());
    }
    if trimmed.chars().count() > 255 {
        return Err("the name is longer than 255 characters".into());
    }
    if name.chars().any(char::is_control) {
        return Err("the name holds control characters".into());
    }
    if name
        .chars()
        .any(|c| matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'))
    {
        return Err("the name holds bidirectional control characters".into());
    }
    Ok(trimmed.to_string())
}

pub(super) fn checked_name(name: &str) -> Result<String, ApiError> {
    clean_name(name).map_err(ApiError::InvalidInput)
}

/// The public page of a file: `<base>/<code>` (`https://www.mp4upload.com/gi4o0tlro01u`). Every
/// link mp4u shows, copies or prints is made here.
pub fn file_link(base_url: &str, code: &str) -> String {
    format!("{}/{}", base_url.trim_end_matches('/'), code)
}

/// A file code: 8 to 16 letters and digits (mp4upload's are 12, lowercase).
pub fn is_code(text: &str) -> bool {
    (8..=16).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// Why no one folder of a listing answers to a name.
#[derive(Debug, PartialEq, Eq)]
pub enum Pick {
    Missing,
    /// The ids of the folders that answer.
    Ambiguous(Vec<u64>),
}

/// The folder named `name` exactly; else the one named so in any case, when only one is.
pub fn pick<'a>(folders: &'a [Folder], name: &str) -> Result<&'a Folder, Pick> {
    let one = |matches: Vec<&'a Folder>| match matches.as_slice() {
        [] => Err(Pick::Missing),
        [folder] => Ok(*folder),
        many => Err(Pick::Ambiguous(many.iter().map(|f| f.fld_id).collect())),
    };
    match one(folders.iter().filter(|f| f.name == name).collect()) {
        Err(Pick::Missing) => {
            let lower = name.to_lowercase();
            one(folders
                .iter()
                .filter(|f| f.name.to_lowercase() == lower)
                .collect())
        }
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folder(fld_id: u64, name: &str) -> Folder {
        Folder {
            fld_id,
            name: name.into(),
        }
    }

    #[test]
    fn exact_first_then_any_case_when_one() {
        let folders = [
            folder(1, "Season 1"),
            folder(2, "season 1"),
            folder(3, "Movies"),
            folder(4, "Twice"),
            folder(5, "Twice"),
        ];
        assert_eq!(pick(&folders, "season 1").map(|f| f.fld_id), Ok(2));
        assert_eq!(pick(&folders, "Season 1").map(|f| f.fld_id), Ok(1));
        assert_eq!(pick(&folders, "movies").map(|f| f.fld_id), Ok(3));
        assert_eq!(
            pick(&folders, "SEASON 1").map(|f| f.fld_id),
            Err(Pick::Ambiguous(vec![1, 2]))
        );
        assert_eq!(
            pick(&folders, "Twice").map(|f| f.fld_id),
            Err(Pick::Ambiguous(vec![4, 5]))
        );
        assert_eq!(
            pick(&folders, "Season 9").map(|f| f.fld_id),
            Err(Pick::Missing)
        );
    }
}
