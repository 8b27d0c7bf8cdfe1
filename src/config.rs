//! Configuration: the config file (TOML), the environment, and flags, in that order of weight
//! from least to most. The API key comes only from the environment or the file, never a flag.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::api::bandwidth::parse_rate;
use crate::api::{ApiError, ApiKey, BwLimit, DEFAULT_BASE_URL};

pub const ENV_KEY: &str = "MP4UPLOAD_API_KEY";
pub const ENV_URL: &str = "MP4UPLOAD_API_URL";
/// The profile to use (`--profile` wins over it).
pub const ENV_PROFILE: &str = "MP4U_PROFILE";

/// Default largest file an upload accepts (the free accounts' limit).
pub const DEFAULT_MAX_UPLOAD_BYTES: u64 = 500 * 1000 * 1000;
pub const DEFAULT_PARALLEL_UPLOADS: usize = 2;

/// The config file's contents. Every field is optional; unknown fields are ignored.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct ConfigFile {
    pub api_key: Option<String>,
    pub api_url: Option<String>,
    pub max_upload_bytes: Option<u64>,
    pub parallel_uploads: Option<usize>,
    /// The file list's sort order, remembered between runs (`name`, `size`, `date`,
    /// `downloads`, each with `-desc` for descending).
    pub sort: Option<String>,
    /// The format copy and export offer first (`plain`, `embed`, `bbcode`, `html`, `markdown`,
    /// `csv`, `json`), remembered between runs.
    pub link_format: Option<String>,
    /// `[theme]` and `[keys]`: read by `look::Look`, which reports what is wrong in them
    /// (kept as plain TOML here, so that a mistake there never stops the program).
    pub theme: Option<toml::Value>,
    pub keys: Option<toml::Value>,
    /// The total upload rate, `"2M"` or a number of bytes a second (`--bwlimit` overrides it).
    pub bwlimit: Option<RateSetting>,
    /// Seconds the server is given to store an upload whose connection ended after its last
    /// byte, before mp4u calls it lost and sends it again (`MP4U_UPLOAD_SETTLE` overrides it).
    pub upload_settle: Option<u64>,
    /// Where `upload` puts files given no `--folder` (an id or a path; the root by default).
    pub default_folder: Option<String>,
    /// The profile used when neither `--profile` nor `MP4U_PROFILE` names one.
    pub default_profile: Option<String>,
    /// `[profiles.NAME]`: other accounts, each with its own key, settings, queue and state.
    pub profiles: std::collections::BTreeMap<String, Profile>,
    /// Settings mp4u does not know (a misspelt name): kept only to be said
    /// ([`ConfigFile::problems`]).
    #[serde(flatten)]
    pub unknown: std::collections::BTreeMap<String, toml::Value>,
}

/// `[profiles.NAME]`: an account of its own. Its key is its own (never the top level's: that
/// is another account); its other settings win over the top level's, which it takes where it
/// sets none.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct Profile {
    pub api_key: Option<String>,
    pub api_url: Option<String>,
    pub max_upload_bytes: Option<u64>,
    pub parallel_uploads: Option<usize>,
    pub bwlimit: Option<RateSetting>,
    pub upload_settle: Option<u64>,
    pub default_folder: Option<String>,
    #[serde(flatten)]
    pub unknown: std::collections::BTreeMap<String, toml::Value>,
}

/// The settings a profile takes.
pub const PROFILE_SETTINGS: &[&str] = &[
    "api_key",
    "api_url",
    "max_upload_bytes",
    "parallel_uploads",
    "bwlimit",
    "upload_settle",
    "default_folder",
];

/// Whether a name can be a profile's: letters, digits, `-` and `_` (it names a directory).
pub fn is_profile_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

impl ConfigFile {
    /// The file as a profile sees it: the profile's key and address, its settings over the top
    /// level's.
    pub fn with_profile(&self, profile: &Profile) -> ConfigFile {
        ConfigFile {
            api_key: profile.api_key.clone(),
            api_url: profile.api_url.clone().or_else(|| self.api_url.clone()),
            max_upload_bytes: profile.max_upload_bytes.or(self.max_upload_bytes),
            parallel_uploads: profile.parallel_uploads.or(self.parallel_uploads),
            bwlimit: profile.bwlimit.clone().or_else(|| self.bwlimit.clone()),
            upload_settle: profile.upload_settle.or(self.upload_settle),
            default_folder: profile
                .default_folder
                .clone()
                .or_else(|| self.default_folder.clone()),
            ..self.clone()
        }
    }
}

/// The settings the config file takes (its tables `[theme]` and `[keys]` included).
pub const SETTINGS: &[&str] = &[
    "api_key",
    "api_url",
    "max_upload_bytes",
    "parallel_uploads",
    "sort",
    "link_format",
    "theme",
    "keys",
    "bwlimit",
    "upload_settle",
    "default_folder",
    "default_profile",
    "profiles",
];

/// `bwlimit = "2M"` or `bwlimit = 2000000`: either reads.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(
    untagged,
    expecting = "expected a rate like \"2M\" or \"500K\", or a number of bytes a second"
)]
pub enum RateSetting {
    Bytes(u64),
    Text(String),
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read the config file {path}: {reason}")]
    Read { path: String, reason: String },
    #[error("the config file {path} cannot be used: {reason}")]
    Parse { path: String, reason: String },
    #[error("cannot write the config file {path}: {reason}")]
    Write { path: String, reason: String },
    #[error("no API key: set {ENV_KEY}, or put api_key = \"…\" in {path}")]
    NoKey { path: String },
    #[error("no profile {name:?} in {path} ({known})")]
    NoProfile {
        name: String,
        path: String,
        known: String,
    },
    #[error("{0}")]
    Key(#[from] ApiError),
}

/// The platform's place for the config file (e.g. `~/.config/mp4u/config.toml`).
pub fn default_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "mp4u").map(|d| d.config_dir().join("config.toml"))
}

/// The config file: `--config`, else the platform's place.
fn config_path_of(config_flag: Option<&Path>) -> PathBuf {
    config_flag
        .map(Path::to_path_buf)
        .or_else(default_path)
        .unwrap_or_else(|| PathBuf::from("mp4u.toml"))
}

/// Where the file manager logs when no `--log-file` is given: `mp4u.log` in the platform's
/// state directory (its cache directory where it has none).
pub fn default_log_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "mp4u").map(|dirs| {
        dirs.state_dir()
            .unwrap_or_else(|| dirs.cache_dir())
            .join("mp4u.log")
    })
}

impl ConfigFile {
    /// What is wrong in the file that does not stop mp4u, a sentence each: settings it does
    /// not know (with the nearest one it does), values out of their range (and what is used).
    pub fn problems(&self) -> Vec<String> {
        let mut problems: Vec<String> = self
            .unknown
            .keys()
            .map(|name| {
                let hint = crate::format::nearest(name, SETTINGS.iter().copied())
                    .map(|s| format!(" (did you mean {s}?)"))
                    .unwrap_or_default();
                format!("unknown setting {name}{hint}; ignored")
            })
            .collect();
        if let Some(n) = self.parallel_uploads.filter(|n| !(1..=8).contains(n)) {
            problems.push(format!(
                "parallel_uploads = {n}: it takes 1 to 8; {} is used",
                n.clamp(1, 8)
            ));
        }
        if let Some(sort) = &self.sort
            && crate::sort::Sort::from_config(sort).is_none()
        {
            let names: Vec<String> = crate::sort::Sort::ALL.map(|s| s.config_name()).into();
            problems.push(format!(
                "sort = {sort:?}: not an order mp4u knows ({}); files are sorted by name",
                names.join(", ")
            ));
        }
        if let Some(format) = &self.link_format
            && let Err(why) = crate::links::LinkFormat::parse(format)
        {
            problems.push(format!("link_format: {why}; plain is offered first"));
        }
        for (name, profile) in &self.profiles {
            if !is_profile_name(name) {
                problems.push(format!(
                    "[profiles.{name}]: a profile's name takes letters, digits, - and _ only; \
                     it cannot be used"
                ));
            }
            for unknown in profile.unknown.keys() {
                let hint = crate::format::nearest(unknown, PROFILE_SETTINGS.iter().copied())
                    .map(|s| format!(" (did you mean {s}?)"))
                    .unwrap_or_default();
                problems.push(format!(
                    "[profiles.{name}]: unknown setting {unknown}{hint}; ignored"
                ));
            }
        }
        problems
    }

    /// Reads the file; a missing file is an empty configuration.
    pub fn load(path: &Path) -> Result<ConfigFile, ConfigError> {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(ConfigFile::default()),
            Err(e) => {
                return Err(ConfigError::Read {
                    path: path.display().to_string(),
                    reason: e.to_string(),
                });
            }
        };
        toml::from_str(&text).map_err(|e| ConfigError::Parse {
            path: path.display().to_string(),
            reason: parse_reason(e.message(), e.span(), &text),
        })
    }

    /// Sets one top-level setting in the file, keeping everything else as the user wrote it
    /// (comments, order, unknown keys and tables). The file is written whole to a temporary
    /// file beside it, flushed, then renamed over it (a crash leaves the old file or the new,
    /// never half of each), with mode 0600 (it may hold the key); its folder is created.
    pub fn set(
        path: &Path,
        name: &str,
        value: impl Into<toml_edit::Value>,
    ) -> Result<(), ConfigError> {
        ConfigFile::set_in(path, None, name, value)
    }

    /// [`ConfigFile::set`] in the table of a profile (`[profiles.NAME]`, made if missing), or
    /// at the top level.
    pub fn set_in(
        path: &Path,
        profile: Option<&str>,
        name: &str,
        value: impl Into<toml_edit::Value>,
    ) -> Result<(), ConfigError> {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
            Err(e) => {
                return Err(ConfigError::Read {
                    path: path.display().to_string(),
                    reason: e.to_string(),
                });
            }
        };
        let mut doc: toml_edit::DocumentMut =
            text.parse()
                .map_err(|e: toml_edit::TomlError| ConfigError::Parse {
                    path: path.display().to_string(),
                    reason: parse_reason(e.message(), e.span(), &text),
                })?;
        let mut value: toml_edit::Value = value.into();
        let table = match profile {
            None => doc.as_table_mut(),
            Some(profile) => {
                let profiles = doc
                    .entry("profiles")
                    .or_insert_with(|| {
                        let mut t = toml_edit::Table::new();
                        t.set_implicit(true);
                        toml_edit::Item::Table(t)
                    })
                    .as_table_mut()
                    .ok_or_else(|| ConfigError::Parse {
                        path: path.display().to_string(),
                        reason: "profiles is not a table".into(),
                    })?;
                profiles
                    .entry(profile)
                    .or_insert_with(toml_edit::table)
                    .as_table_mut()
                    .ok_or_else(|| ConfigError::Parse {
                        path: path.display().to_string(),
                        reason: format!("profiles.{profile} is not a table"),
                    })?
            }
        };
        // Keep the decoration (a comment after the value) of the setting it replaces.
        if let Some(old) = table.get(name).and_then(|item| item.as_value()) {
            *value.decor_mut() = old.decor().clone();
        }
        table[name] = toml_edit::Item::Value(value);
        write_private(path, doc.to_string().as_bytes())
    }

    /// Whether the file can be read by users other than its owner.
    #[cfg(unix)]
    pub fn readable_by_others(path: &Path) -> bool {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(path).is_ok_and(|m| m.permissions().mode() & 0o044 != 0)
    }
}

/// Writes `bytes` to `path` atomically with mode 0600, creating its folder.
pub fn write_private(path: &Path, bytes: &[u8]) -> Result<(), ConfigError> {
    let fail = |e: std::io::Error| ConfigError::Write {
        path: path.display().to_string(),
        reason: e.to_string(),
    };
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(fail)?;
    }
    let mut tmp_name = path.file_name().unwrap_or_default().to_os_string();
    tmp_name.push(format!(".tmp-{}", std::process::id()));
    let tmp = path.with_file_name(tmp_name);
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let written = (|| {
        let mut file = options.open(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        drop(file);
        std::fs::rename(&tmp, path)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written.map_err(fail)?;
    // The folder's entry for the new file is on disk too.
    #[cfg(unix)]
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty())
        && let Ok(dir) = std::fs::File::open(dir)
    {
        let _ = dir.sync_all();
    }
    Ok(())
}

/// The warning for a config file others can read.
pub fn readable_warning(path: &Path) -> String {
    format!(
        "{} can be read by other users; it may hold your API key (chmod 600 it)",
        path.display()
    )
}

/// Where a config file is wrong and why, in one line: `line 1, column 20 (parallel_uploads):
/// invalid type: string "two", expected usize`. Never the line itself (it may hold the key),
/// and no value of the file of 8 characters or more.
fn parse_reason(message: &str, span: Option<std::ops::Range<usize>>, file_text: &str) -> String {
    let mut reason = message.trim().replace('\n', " ");
    for number in ["usize", "u64", "u32", "u16", "u8"] {
        reason = reason.replace(&format!("expected {number}"), "expected a whole number");
    }
    if let Some(span) = span {
        let before = &file_text[..span.start.min(file_text.len())];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        let setting = file_text
            .lines()
            .nth(line - 1)
            .and_then(|l| l.split_once('='))
            .map(|(name, _)| name.trim())
            .filter(|name| !name.is_empty() && !name.starts_with('['));
        reason = match setting {
            Some(name) => format!("line {line}, column {column} ({name}): {reason}"),
            None => format!("line {line}, column {column}: {reason}"),
        };
    }
    for l in file_text.lines() {
        if let Some((_, value)) = l.split_once('=') {
            let value = value.trim().trim_matches('"');
            if value.len() >= 8 {
                reason = reason.replace(value, "***");
            }
        }
    }
    reason
}

/// Everything a run needs to reach the account, resolved from flags, environment and file.
#[derive(Debug, Clone)]
pub struct Settings {
    pub config_path: PathBuf,
    /// The file as the profile in use sees it ([`ConfigFile::with_profile`]).
    pub file: ConfigFile,
    /// The profile in use (`--profile`, `MP4U_PROFILE`, `default_profile`), if any.
    pub profile: Option<String>,
    pub base_url: String,
    /// The key text as found (not yet checked): `None` when there is none anywhere.
    key_text: Option<String>,
}

impl Settings {
    /// The settings of a command run on the built-in demo sandbox (`--demo`): defaults only,
    /// and a config path in the temporary directory (the demo never writes the user's config).
    pub fn demo(base_url: &str) -> Settings {
        Settings {
            config_path: std::env::temp_dir().join("mp4u-demo.toml"),
            file: ConfigFile::default(),
            profile: None,
            base_url: base_url.to_string(),
            key_text: None,
        }
    }

    /// `api_url_flag` is `--api-url`, `profile_flag` `--profile` (or `MP4U_PROFILE`, which
    /// clap reads); the environment's key and address are read here.
    pub fn resolve(
        config_flag: Option<&Path>,
        api_url_flag: Option<&str>,
        profile_flag: Option<&str>,
    ) -> Result<Settings, ConfigError> {
        Self::resolve_with(
            config_flag,
            api_url_flag,
            profile_flag,
            std::env::var(ENV_KEY).ok(),
            std::env::var(ENV_URL).ok(),
        )
    }

    pub fn resolve_with(
        config_flag: Option<&Path>,
        api_url_flag: Option<&str>,
        profile_flag: Option<&str>,
        env_key: Option<String>,
        env_url: Option<String>,
    ) -> Result<Settings, ConfigError> {
        let config_path = config_path_of(config_flag);
        let whole = ConfigFile::load(&config_path)?;
        let profile = profile_flag
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(str::to_string)
            .or_else(|| whole.default_profile.clone());
        let file = match &profile {
            None => whole,
            Some(name) => match whole.profiles.get(name).filter(|_| is_profile_name(name)) {
                Some(p) => whole.with_profile(p),
                None => {
                    let known: Vec<&str> = whole.profiles.keys().map(String::as_str).collect();
                    return Err(ConfigError::NoProfile {
                        name: name.clone(),
                        path: config_path.display().to_string(),
                        known: match known.as_slice() {
                            [] => "it has none: add a [profiles.NAME] table".to_string(),
                            names => format!("its profiles: {}", names.join(", ")),
                        },
                    });
                }
            },
        };
        Ok(Settings::of(
            config_path,
            file,
            profile,
            api_url_flag,
            env_key,
            env_url,
        ))
    }

    /// The settings of the file as `profile` sees it: the address from the flag, else the
    /// environment, else the file; the key from the environment, else the file.
    fn of(
        config_path: PathBuf,
        file: ConfigFile,
        profile: Option<String>,
        api_url_flag: Option<&str>,
        env_key: Option<String>,
        env_url: Option<String>,
    ) -> Settings {
        let nonempty = |s: &String| !s.trim().is_empty();
        let base_url = api_url_flag
            .map(str::to_string)
            .filter(nonempty)
            .or(env_url.filter(nonempty))
            .or(file.api_url.clone().filter(nonempty))
            .unwrap_or_else(|| DEFAULT_BASE_URL.to_string());
        let key_text = env_key
            .filter(nonempty)
            .or(file.api_key.clone().filter(nonempty));
        Settings {
            config_path,
            file,
            profile,
            base_url,
            key_text,
        }
    }

    /// The settings of a profile the file does not have yet, for the file manager's first
    /// run with `--profile NAME`: no key of its own (the prompt asks for one and saves it in
    /// `[profiles.NAME]`), the top level's other settings.
    pub fn new_profile(
        config_flag: Option<&Path>,
        api_url_flag: Option<&str>,
        name: &str,
    ) -> Result<Settings, ConfigError> {
        let config_path = config_path_of(config_flag);
        if !is_profile_name(name) {
            return Err(ConfigError::Parse {
                path: config_path.display().to_string(),
                reason: format!(
                    "{name:?} cannot be a profile's name (letters, digits, - and _ only)"
                ),
            });
        }
        let file = ConfigFile::load(&config_path)?.with_profile(&Profile::default());
        Ok(Settings::of(
            config_path,
            file,
            Some(name.to_string()),
            api_url_flag,
            std::env::var(ENV_KEY).ok(),
            std::env::var(ENV_URL).ok(),
        ))
    }

    /// The names of the file's profiles, in order.
    pub fn profile_names(&self) -> Vec<String> {
        let names = self.file.profiles.keys();
        names.filter(|n| is_profile_name(n)).cloned().collect()
    }

    /// Where the key comes from, for a report (never the key): the variable, the file, or
    /// nowhere.
    pub fn key_source(&self) -> &'static str {
        match (&self.key_text, &self.file.api_key) {
            (None, _) => "none",
            (Some(text), Some(file)) if text == file && self.profile.is_some() => {
                "the config file (the profile's api_key)"
            }
            (Some(text), Some(file)) if text == file => "the config file (api_key)",
            (Some(_), _) => ENV_KEY,
        }
    }

    /// Whether any key was found at all.
    pub fn has_key(&self) -> bool {
        self.key_text.is_some()
    }

    /// The key, checked for its form.
    pub fn key(&self) -> Result<ApiKey, ConfigError> {
        let text = self.key_text.as_deref().ok_or_else(|| ConfigError::NoKey {
            path: match &self.profile {
                Some(name) => format!("[profiles.{name}] of {}", self.config_path.display()),
                None => self.config_path.display().to_string(),
            },
        })?;
        Ok(ApiKey::parse(text)?)
    }

    pub fn max_upload_bytes(&self) -> u64 {
        self.file
            .max_upload_bytes
            .unwrap_or(DEFAULT_MAX_UPLOAD_BYTES)
    }

    /// The upload limit: `flag` (`--bwlimit`) when given, else `bwlimit` in the config file.
    /// A value there that is not a rate is a usage error that names the file.
    pub fn bwlimit(&self, flag: Option<BwLimit>) -> Result<Option<u64>, String> {
        if let Some(flag) = flag {
            return Ok(flag.rate());
        }
        match &self.file.bwlimit {
            None => Ok(None),
            Some(RateSetting::Bytes(n)) => Ok(Some(*n).filter(|n| *n > 0)),
            Some(RateSetting::Text(text)) => parse_rate(text)
                .map_err(|reason| format!("bwlimit in {}: {reason}", self.config_path.display())),
        }
    }

    /// How long an upload whose fate is unknown is waited for ([`crate::queue::run::Patience`]).
    pub fn patience(&self) -> crate::queue::run::Patience {
        crate::queue::run::Patience::resolve(self.file.upload_settle)
    }

    pub fn parallel_uploads(&self) -> usize {
        self.file
            .parallel_uploads
            .unwrap_or(DEFAULT_PARALLEL_UPLOADS)
            .clamp(1, 8)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_is_saved_into_its_profile_table() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        std::fs::write(&path, "sort = \"size\" # mine\n").unwrap();
        ConfigFile::set_in(&path, Some("site"), "api_key", "sitekey0000000000").unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(
            text,
            "sort = \"size\" # mine\n\n[profiles.site]\napi_key = \"sitekey0000000000\"\n"
        );
        let file = ConfigFile::load(&path).unwrap();
        assert_eq!(
            file.profiles["site"].api_key.as_deref(),
            Some("sitekey0000000000")
        );
    }

    #[test]
    fn a_profile_has_its_own_key_and_its_settings_win() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        std::fs::write(
            &path,
            "api_key = \"homekey0000000000\"\nparallel_uploads = 3\nbwlimit = \"1M\"\n\
             default_profile = \"home\"\n\
             [profiles.home]\napi_key = \"homekey0000000000\"\n\
             [profiles.site]\napi_url = \"http://site\"\nparallel_uploads = 5\nbwlmit = 1\n",
        )
        .unwrap();
        let resolve = |profile: Option<&str>, env_key: Option<&str>| {
            Settings::resolve_with(Some(&path), None, profile, env_key.map(Into::into), None)
        };
        // default_profile when none is named.
        let s = resolve(None, None).unwrap();
        assert_eq!(s.profile.as_deref(), Some("home"));
        assert_eq!(s.key().unwrap().expose(), "homekey0000000000");
        // Another profile: its address and settings, never the top level's key.
        let s = resolve(Some("site"), None).unwrap();
        assert_eq!(s.base_url, "http://site");
        assert_eq!(s.parallel_uploads(), 5);
        assert_eq!(
            s.bwlimit(None),
            Ok(Some(1_000_000)),
            "taken from the top level"
        );
        assert!(
            matches!(s.key(), Err(ConfigError::NoKey { path }) if path.starts_with("[profiles.site]"))
        );
        // The environment still wins.
        let s = resolve(Some("site"), Some("envkey00000000000")).unwrap();
        assert_eq!(s.key().unwrap().expose(), "envkey00000000000");
        let e = resolve(Some("work"), None).unwrap_err().to_string();
        assert!(e.starts_with("no profile \"work\" in "), "{e}");
        assert!(e.ends_with("(its profiles: home, site)"), "{e}");
        let problems = ConfigFile::load(&path).unwrap().problems();
        assert_eq!(
            problems,
            ["[profiles.site]: unknown setting bwlmit (did you mean bwlimit?); ignored"]
        );
    }

    #[test]
    fn precedence_flag_env_file_default() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        std::fs::write(
            &path,
            "api_url = \"http://file\"\napi_key = \"filekey0000000000\"\nextra = 1\n",
        )
        .unwrap();
        let s = Settings::resolve_with(Some(&path), None, None, None, None).unwrap();
        assert_eq!(s.base_url, "http://file");
        assert!(s.key().is_ok());
        let s = Settings::resolve_with(
            Some(&path),
            None,
            None,
            Some("envkey00000000000".into()),
            Some("http://env".into()),
        )
        .unwrap();
        assert_eq!(s.base_url, "http://env");
        assert_eq!(s.key().unwrap().expose(), "envkey00000000000");
        let s = Settings::resolve_with(
            Some(&path),
            Some("http://flag"),
            None,
            None,
            Some("http://env".into()),
        )
        .unwrap();
        assert_eq!(s.base_url, "http://flag");
        let s = Settings::resolve_with(Some(&dir.path().join("none.toml")), None, None, None, None)
            .unwrap();
        assert_eq!(s.base_url, DEFAULT_BASE_URL);
        assert!(matches!(s.key(), Err(ConfigError::NoKey { .. })));
    }

    #[cfg(unix)]
    #[test]
    fn saved_file_is_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/config.toml");
        ConfigFile::set(&path, "api_key", "abcdefabcdef0123").unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        assert!(!ConfigFile::readable_by_others(&path));
        assert_eq!(
            ConfigFile::load(&path).unwrap().api_key.as_deref(),
            Some("abcdefabcdef0123")
        );
    }

    #[test]
    fn saving_keeps_comments_unknown_keys_and_tables() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        let original = "# my settings\n\
            api_url = \"https://www.mp4upload.com\" # the real one\n\
            sort = \"name\"   # how I like it\n\
            future_option = [1, 2]\n\
            \n\
            [theme]\n\
            # colours\n\
            accent = \"#ff8800\"\n";
        std::fs::write(&path, original).unwrap();
        ConfigFile::set(&path, "sort", "size-desc").unwrap();
        ConfigFile::set(&path, "api_key", "abcdefabcdef0123").unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        for kept in [
            "# my settings",
            "# the real one",
            "# how I like it",
            "future_option = [1, 2]",
            "[theme]",
            "# colours",
            "accent = \"#ff8800\"",
        ] {
            assert!(text.contains(kept), "{kept:?} lost:\n{text}");
        }
        assert!(text.contains("sort = \"size-desc\""), "{text}");
        let file = ConfigFile::load(&path).unwrap();
        assert_eq!(file.sort.as_deref(), Some("size-desc"));
        assert_eq!(file.api_key.as_deref(), Some("abcdefabcdef0123"));
        // A file that is not TOML is left alone, not overwritten.
        std::fs::write(&path, "sort = \"name\n").unwrap();
        assert!(ConfigFile::set(&path, "sort", "date").is_err());
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "sort = \"name\n");
    }

    #[test]
    fn the_flag_wins_over_the_config_and_bad_rates_name_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        let with = |text: &str| {
            std::fs::write(&path, text).unwrap();
            Settings::resolve_with(Some(&path), None, None, None, None).unwrap()
        };
        let s = with("bwlimit = \"2M\"\n");
        assert_eq!(s.bwlimit(None), Ok(Some(2_000_000)));
        assert_eq!(s.bwlimit(Some(BwLimit(Some(500_000)))), Ok(Some(500_000)));
        assert_eq!(
            s.bwlimit(Some(BwLimit(None))),
            Ok(None),
            "--bwlimit 0 lifts it"
        );
        assert_eq!(with("bwlimit = 750000\n").bwlimit(None), Ok(Some(750_000)));
        assert_eq!(with("bwlimit = \"off\"\n").bwlimit(None), Ok(None));
        assert_eq!(with("sort = \"name\"\n").bwlimit(None), Ok(None));
        let err = with("bwlimit = \"fast\"\n").bwlimit(None).unwrap_err();
        assert!(
            err.contains("bwlimit in") && err.contains("config.toml"),
            "{err}"
        );
        assert!(err.contains("500K"), "{err}");
    }

    #[test]
    fn parse_errors_hide_values() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        std::fs::write(&path, "api_key = \"abcdefabcdef0123\n").unwrap();
        let err = ConfigFile::load(&path).unwrap_err().to_string();
        assert!(!err.contains("abcdefabcdef0123"), "{err}");
    }
}
