//! Names as they are sent: the same rules for the popups and the CLI.

use super::error::ApiError;

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
