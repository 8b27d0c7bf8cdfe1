//! Behaviours of the live service that the demo does not show by default, each switchable so a
//! test can play it: the live service is not our sandbox, and mp4u must give a right answer (or
//! say it is unsure) either way.

/// The quirks in force; they start from [`super::SandboxConfig`] and can change while the
/// sandbox runs ([`super::Sandbox::set_quirks`]).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Quirks {
    /// `file/list` sends at most this many files a page, whatever `per_page` asks (offsets
    /// count by the size sent).
    pub page_cap: Option<u64>,
    /// `file/info` answers about at most this many codes a call (the rest are left out).
    pub info_cap: Option<usize>,
    /// `file/list` and `file/info` items carry no `fld_id` (as the seed's examples).
    pub no_fld_id: bool,
    /// `file/list` and `file/info` give names without their extension (as the seed's examples).
    pub bare_names: bool,
    /// An upload is answered with a code and this `file_status` (e.g. "Error: disk quota
    /// exceeded"), and the file is not kept.
    pub upload_status: Option<String>,
    /// `upload/server` sends no `sess_id`.
    pub no_session: bool,
    /// Every API call is answered status 429 with this message (a lockout).
    pub lockout: Option<String>,
    /// `file/set_folder` always fails (status 500).
    pub fail_set_folder: bool,
    /// `file/list` ignores `fld_id`: every folder's listing holds the whole account's files.
    pub list_ignores_folder: bool,
}

/// The lockout message of the family's hosts.
pub const LOCKOUT_MESSAGE: &str = "Too many failed attempts. Try again in 60 minutes";

/// A name without its extension, as the live listing may give it.
pub fn bare(name: &str) -> &str {
    crate::api::name_stem(name)
}
