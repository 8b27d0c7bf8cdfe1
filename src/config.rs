//! Configuration: the config file (TOML), the environment, and flags, in that order of weight
//! from least to most. The API key comes only from the environment or the file, never a flag.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::api::bandwidth::parse_rate;
use crate::api::{ApiError, ApiKey, BwLimit, DEFAULT_BASE_URL};

pub const ENV_KEY: &str = "MP4UPLOAD_API_KEY";
pub const ENV_URL: &str = "MP4UPLOAD_API_URL";

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
    /// Settings mp4u does not know (a misspelt name): kept only to be said
    /// ([`ConfigFile::problems`]).
    #[serde(flatten)]
    pub unknown: std::collections::BTreeMap<String, toml::Value>,
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
    #[error("{0}")]
    Key(#[from] ApiError),
}

/// The platform's place for the config file (e.g. `~/.config/mp4u/config.toml`).
pub fn default_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "mp4u").map(|d| d.config_dir().join("config.toml"))
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
        // Keep the decoration (a comment after the value) of the setting it replaces.
        if let Some(old) = doc.get(name).and_then(|item| item.as_value()) {
            *value.decor_mut() = old.decor().clone();
        }
        doc[name] = toml_edit::Item::Value(value);
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
    pub file: ConfigFile,
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
            base_url: base_url.to_string(),
            key_text: None,
        }
    }

    /// `api_url_flag` is `--api-url`; the environment is read here.
    pub fn resolve(
        config_flag: Option<&Path>,
        api_url_flag: Option<&str>,
    ) -> Result<Settings, ConfigError> {
        Self::resolve_with(
            config_flag,
            api_url_flag,
            std::env::var(ENV_KEY).ok(),
            std::env::var(ENV_URL).ok(),
        )
    }

    pub fn resolve_with(
        config_flag: Option<&Path>,
        api_url_flag: Option<&str>,
        env_key: Option<String>,
        env_url: Option<String>,
    ) -> Result<Settings, ConfigError> {
        let config_path = config_flag
            .map(Path::to_path_buf)
            .or_else(default_path)
            .unwrap_or_else(|| PathBuf::from("mp4u.toml"));
        let file = ConfigFile::load(&config_path)?;
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
        Ok(Settings {
            config_path,
            file,
            base_url,
            key_text,
        })
    }

    /// Where the key comes from, for a report (never the key): the variable, the file, or
    /// nowhere.
    pub fn key_source(&self) -> &'static str {
        match (&self.key_text, &self.file.api_key) {
            (None, _) => "none",
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
            path: self.config_path.display().to_string(),
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
    fn precedence_flag_env_file_default() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        std::fs::write(
            &path,
            "api_url = \"http://file\"\napi_key = \"filekey0000000000\"\nextra = 1\n",
        )
        .unwrap();
        let s = Settings::resolve_with(Some(&path), None, None, None).unwrap();
        assert_eq!(s.base_url, "http://file");
        assert!(s.key().is_ok());
        let s = Settings::resolve_with(
            Some(&path),
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
            Some("http://env".into()),
        )
        .unwrap();
        assert_eq!(s.base_url, "http://flag");
        let s =
            Settings::resolve_with(Some(&dir.path().join("none.toml")), None, None, None).unwrap();
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
            Settings::resolve_with(Some(&path), None, None, None).unwrap()
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
