//! The scripting CLI: one subcommand per API call, readable tables or `--json`.

mod account;
pub mod bwlimit;
mod doctor;
mod files;
pub mod folder_arg;
mod keys;
mod links;
mod profiles;
mod queue_list;
mod rename;
mod repair;
mod sandbox_args;
mod search;
mod send;
pub mod shell;
mod sync;
mod sync_report;
mod table;
mod upload;
mod watch;

pub use bwlimit::BwLimitArg;
pub use folder_arg::{FolderArg, ResolvedFolder};
pub use sandbox_args::SandboxArgs;

use std::io::Write;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use serde::Serialize;

use crate::api::{ApiError, Client};
use crate::config::{ConfigError, Settings};

#[derive(Debug, Parser)]
#[command(
    name = "mp4u",
    version,
    about = "A terminal file manager for mp4upload.com accounts",
    long_about = "A terminal file manager for mp4upload.com accounts.\n\n\
        Without a subcommand mp4u opens the file manager. The subcommands are for scripts: \
        each prints a table, or JSON with --json.\n\n\
        The API key is read from MP4UPLOAD_API_KEY, else from the config file (api_key).",
    after_help = "Try it without an account: mp4u --demo"
)]
pub struct Cli {
    /// API base URL [default: https://www.mp4upload.com; env: MP4UPLOAD_API_URL]
    #[arg(long, global = true, value_name = "URL")]
    pub api_url: Option<String>,

    /// Config file [default: the platform config directory, mp4u/config.toml]
    #[arg(long, global = true, value_name = "PATH")]
    pub config: Option<PathBuf>,

    /// Use the account of [profiles.NAME] in the config file: its key, settings and queue
    /// [default: default_profile in the config]
    #[arg(long, global = true, value_name = "NAME", env = "MP4U_PROFILE")]
    pub profile: Option<String>,

    /// Print results as JSON (for scripts)
    #[arg(long, global = true)]
    pub json: bool,

    /// The file manager's upload limit, bytes a second: 500K, 2M, 1.5M (K = 1000,
    /// KiB = 1024); 0 or off: none [default: bwlimit in the config, else none]
    #[arg(long, value_name = "RATE")]
    pub bwlimit: Option<crate::api::BwLimit>,

    /// Open the file manager on a built-in sandbox with demo data (no account needed)
    #[arg(long)]
    pub demo: bool,

    /// Where the file manager writes its log [default: the platform state or cache directory]
    #[arg(long, value_name = "PATH")]
    pub log_file: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Option<Subcommands>,
}

#[derive(Debug, Subcommand)]
pub enum Subcommands {
    /// Account info: email, balance, storage, premium expiry
    Account,
    /// Views, downloads and profit per day
    Stats {
        /// How many days
        #[arg(long, value_name = "N", default_value_t = 7, value_parser = clap::value_parser!(u32).range(1..))]
        last: u32,
    },
    /// List the subfolders and files of a folder (the root by default)
    Ls {
        /// The folder: an id, or a path like "/Anime/Season 1" [default: / (the root)]
        #[arg(value_name = "FOLDER")]
        folder: Option<FolderArg>,
    },
    /// List files with their size and downloads, filtered and paged
    Files(FilesArgs),
    /// Check files: name, size, downloads, or whether they exist at all
    Info {
        /// File codes or links
        #[arg(value_name = "CODE", required = true)]
        codes: Vec<String>,
    },
    /// Rename files: each to the same name, or each to its own from a template
    // clap turns a literal "{n}" in help into a new line: the help names it {n:0W} only.
    #[command(
        after_help = "Template placeholders: {n:02} the file's number (from --start, in \
        the order given) zero-padded to 2 digits (any width: {n:0W}; n alone in braces: no \
        padding), {name} the current name without its extension, {ext} the extension with \
        its dot (empty when there is none); {{ and }} for braces.\n\n\
        Example: mp4u rename CODE1 CODE2 CODE3 --template \"Show - S01E{n:02}{ext}\" --dry-run"
    )]
    Rename(RenameArgs),
    /// Make a copy of a file, with a new code and link
    Clone {
        /// One file code or link
        #[arg(value_name = "CODE")]
        code: String,
    },
    /// Move files into a folder
    Mv {
        #[arg(value_name = "CODE", required = true)]
        codes: Vec<String>,
        /// The target folder: an id, or a path like "/Anime/Season 1" (0 or / is the root)
        #[arg(long, value_name = "FOLDER")]
        folder: FolderArg,
    },
    /// Create a folder
    Mkdir {
        name: String,
        /// The parent folder: an id, or a path like "/Anime/Season 1" [default: the root]
        #[arg(long, value_name = "FOLDER")]
        parent: Option<FolderArg>,
    },
    /// Rename a folder
    RenameFolder {
        /// The folder: an id, or a path like "/Anime/Season 1"
        #[arg(value_name = "FOLDER")]
        folder: FolderArg,
        /// Its new name
        name: String,
    },
    /// Recently deleted files
    Deleted {
        /// How many
        #[arg(long, value_name = "N", default_value_t = 20, value_parser = clap::value_parser!(u32).range(1..))]
        last: u32,
    },
    /// Upload files, with progress, and print their links (files already in the folder, by name
    /// and size, are skipped)
    Upload(upload::UploadArgs),
    /// Upload the contents of a local directory into a folder, as `rclone copy` does:
    /// subdirectories become folders, files already there (same name and size) are skipped
    Sync(sync::SyncArgs),
    /// Run until stopped, uploading each new file under a directory once it has finished
    /// growing, as `sync` would (temporary names and files still growing are left alone)
    Watch(watch::WatchArgs),
    /// Upload again the files of a list of links that died (expired, removed), from their local
    /// copies, and print each old link with its new one (or a sed script)
    Repair(repair::RepairArgs),
    /// The accounts of the config file ([profiles.NAME]): address, whether a key is set (never
    /// the key), settings; the one in use marked
    Profiles,
    /// The upload queue: each upload's state (queued, sending, sent, not moved, done, failed,
    /// unknown); it outlives the program, and `mp4u upload --resume` resumes it
    Queue(queue_list::QueueArgs),
    /// Print the links of files as sites take them: plain, embed, BBCode, HTML, Markdown, CSV,
    /// JSON
    Links(links::LinksArgs),
    /// Check which files of a list of codes or links are alive (reads standard input too)
    Check(search::CheckArgs),
    /// Find files by name across the whole account, with their folders
    Find(search::FindArgs),
    /// Check the setup against the real service: key, reachability, upload server, TLS, timing,
    /// and the shapes of the replies (field names and types, never values) for a bug report
    Doctor,
    /// Run a local server that speaks the mp4upload API, with demo data
    Sandbox(SandboxArgs),
    /// Print the shell completion script for bash, zsh, fish, elvish or powershell
    Completions {
        /// The shell the script is for
        #[arg(value_name = "SHELL")]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff), every command included: `mp4u man | man -l -`
    Man,
    /// Print every key of the file manager in effect (the defaults, and the config file's
    /// [keys] over them), with the action names [keys] takes; needs no API key
    Keys,
}

#[derive(Debug, Args)]
#[command(group = clap::ArgGroup::new("new_name").required(true).args(["name", "template"]))]
pub struct RenameArgs {
    /// File codes or links
    #[arg(value_name = "CODE", required = true)]
    codes: Vec<String>,
    /// The new name, the same for every file
    #[arg(long, value_name = "NAME")]
    name: Option<String>,
    /// A name for each file, from a template: "Show - S01E{n:02}{ext}" (placeholders below)
    #[arg(long, value_name = "T", value_parser = crate::template::Template::parse)]
    template: Option<crate::template::Template>,
    /// The number of the first file (with --template) [default: 1]
    #[arg(long, value_name = "N", conflicts_with = "name")]
    start: Option<u64>,
    /// Print each file's old and new name; rename nothing (with --template)
    #[arg(long, conflicts_with = "name")]
    dry_run: bool,
}

#[derive(Debug, Args)]
pub struct FilesArgs {
    /// Only files in this folder: an id, or a path like "/Anime/Season 1"
    #[arg(long, value_name = "FOLDER")]
    folder: Option<FolderArg>,
    /// Every page, until the listing is complete (instead of one page)
    #[arg(long, conflicts_with_all = ["page", "per_page"])]
    all: bool,
    /// Page number (from 1)
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    page: Option<u64>,
    /// Files per page
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    per_page: Option<u64>,
    /// Only files whose name contains this text
    #[arg(long, value_name = "TEXT")]
    name: Option<String>,
    /// Only public (1) or private (0) files
    #[arg(long, value_name = "0|1", value_parser = clap::value_parser!(u8).range(0..=1))]
    public: Option<u8>,
    /// Only files uploaded after this time (YYYY-MM-DD HH:MM:SS), or in the last N minutes
    #[arg(long, value_name = "TS", value_parser = parse_created)]
    created: Option<String>,
}

/// `--created`: a time `YYYY-MM-DD HH:MM:SS` (a date alone means its midnight), or a number of
/// minutes.
pub(crate) fn parse_created(text: &str) -> Result<String, String> {
    let text = text.trim();
    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
        return text
            .parse::<u32>()
            .map(|n| n.to_string())
            .map_err(|_| "a number of minutes that large makes no sense".into());
    }
    let stamp = if text.len() == 10 {
        format!("{text} 00:00:00")
    } else {
        text.to_string()
    };
    let format = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]:[second]");
    match time::PrimitiveDateTime::parse(&stamp, format) {
        Ok(_) => Ok(stamp),
        Err(_) => Err(format!(
            "{text:?} is neither a time (YYYY-MM-DD HH:MM:SS, or YYYY-MM-DD) nor a number of minutes"
        )),
    }
}

/// Why a command failed, and so which exit code it ends with.
#[derive(Debug)]
pub enum Failure {
    /// Exit 1: the API or the network said no.
    Api(String),
    /// Exit 2: the command line or the setup is wrong.
    Usage(String),
    /// Exit 3: the config file cannot be read or is not what mp4u takes.
    Config(String),
}

impl Failure {
    pub fn exit_code(&self) -> u8 {
        match self {
            Failure::Api(_) => 1,
            Failure::Usage(_) => 2,
            Failure::Config(_) => 3,
        }
    }
    /// An API error about one folder, said of it (`folder 999: …`); an error about the account
    /// or the connection (a refused key, no network) as it is.
    pub fn of_folder(e: ApiError, what: &str) -> Failure {
        let of_the_account = e.is_auth() || e.is_transient() || e.is_lockout();
        let mut failure = Failure::from(e);
        if !of_the_account {
            let (Failure::Api(m) | Failure::Usage(m) | Failure::Config(m)) = &mut failure;
            *m = format!("{what}: {m}");
        }
        failure
    }

    pub fn message(&self) -> &str {
        match self {
            Failure::Api(m) | Failure::Usage(m) | Failure::Config(m) => m,
        }
    }
}

impl From<ApiError> for Failure {
    fn from(e: ApiError) -> Failure {
        match e {
            ApiError::InvalidInput(m) => Failure::Usage(m),
            ApiError::BadUrl(_) => Failure::Usage(e.to_string()),
            other => Failure::Api(other.to_string()),
        }
    }
}

impl From<ConfigError> for Failure {
    fn from(e: ConfigError) -> Failure {
        match e {
            ConfigError::NoKey { .. } => Failure::Usage(e.to_string()),
            ConfigError::Key(api) => Failure::Api(api.to_string()),
            other => Failure::Config(other.to_string()),
        }
    }
}

/// The profile in use, for the commands that need no key (`queue`): `--profile`, else the
/// config's `default_profile`; a profile the config does not have is an error.
fn profile_of(cli: &Cli) -> Result<Option<String>, Failure> {
    match Settings::resolve(
        cli.config.as_deref(),
        cli.api_url.as_deref(),
        cli.profile.as_deref(),
    ) {
        Ok(settings) => Ok(settings.profile),
        Err(e @ ConfigError::NoProfile { .. }) => Err(e.into()),
        // A config that cannot be read does not keep the queue from being listed.
        Err(_) => Ok(cli.profile.clone()),
    }
}

impl Subcommands {
    /// The `--bwlimit` of a command that uploads.
    fn limit(&self) -> Option<&BwLimitArg> {
        match self {
            Subcommands::Upload(args) => Some(&args.send.limit),
            Subcommands::Sync(args) => Some(&args.send.limit),
            Subcommands::Watch(args) => Some(&args.send.limit),
            Subcommands::Repair(args) => Some(&args.limit),
            _ => None,
        }
    }
}

/// Builds the client from the settings: the key is checked here, before anything is sent.
pub fn client_from(cli: &Cli) -> Result<(Client, Settings), Failure> {
    let settings = Settings::resolve(
        cli.config.as_deref(),
        cli.api_url.as_deref(),
        cli.profile.as_deref(),
    )?;
    let key = settings.key()?;
    let client = Client::new(&settings.base_url, key)?;
    Ok((client, settings))
}

/// What a command runs against: the client, the settings, and the demo sandbox when `--demo`
/// gave one (it lives as long as the command).
pub struct Context {
    pub client: Client,
    pub settings: Settings,
    pub out: Output,
    pub json: bool,
    /// On the built-in demo sandbox (`--demo`): the demo's own upload queue.
    pub demo: bool,
    _sandbox: Option<crate::sandbox::Sandbox>,
}

impl Context {
    /// The account the queue files entries under: the demo's own, or the client's.
    pub fn account(&self) -> crate::queue::Account {
        if self.demo {
            crate::queue::Account::demo()
        } else {
            crate::queue::Account::of(&self.client)
        }
    }
}

/// Runs the subcommands that need no key, config or network: `completions` and `man`.
/// `None` for every other subcommand. The binary calls this before it starts anything else.
pub fn run_offline(command: &Subcommands) -> Option<Result<(), Failure>> {
    match command {
        Subcommands::Completions { shell } => shell::print(&shell::completion_script(*shell)),
        Subcommands::Man => shell::print(&shell::man_page()),
        _ => return None,
    }
    Some(Ok(()))
}

/// Runs one scripting subcommand.
/// `--config PATH` names a file that is there: a mistyped path would otherwise read as an empty
/// config, its settings silently not applied (exit 3 with what to do). Without `--config`, a
/// missing default file is an empty config, as before.
fn config_flag_names_a_file(cli: &Cli) -> Result<(), Failure> {
    match &cli.config {
        Some(path) if !path.exists() => Err(Failure::Config(format!(
            "config: {}: no such file (create it, or leave out --config to use {})",
            path.display(),
            crate::config::default_path()
                .map_or_else(|| "mp4u.toml".to_string(), |p| p.display().to_string())
        ))),
        _ => Ok(()),
    }
}

pub async fn run(cli: &Cli, command: &Subcommands) -> Result<(), Failure> {
    if let Some(result) = run_offline(command) {
        return result;
    }
    if !cli.demo && !matches!(command, Subcommands::Sandbox(_) | Subcommands::Doctor) {
        config_flag_names_a_file(cli)?;
    }
    if let Subcommands::Keys = command {
        return keys::run(cli);
    }
    if let Subcommands::Sandbox(args) = command {
        return crate::sandbox::run_standalone(args.to_config())
            .await
            .map_err(|e| Failure::Api(format!("the sandbox could not start: {e}")));
    }
    // The doctor runs without a key and with a broken config: it says so.
    if let Subcommands::Doctor = command {
        return doctor::diagnose(cli).await;
    }
    // The queue is a local file: no key, no network.
    if let Subcommands::Profiles = command {
        return profiles::run(cli);
    }
    if let Subcommands::Queue(args) = command {
        return queue_list::run(args, cli.demo, profile_of(cli)?.as_deref(), cli.json);
    }
    // Before the subcommand, --bwlimit is for the commands that upload (and the file manager).
    if cli.bwlimit.is_some() && command.limit().is_none() {
        return Err(Failure::Usage(
            "--bwlimit limits uploads: give it to a command that uploads, or to the file \
             manager (mp4u --bwlimit RATE)"
                .into(),
        ));
    }
    let mut cx = context(cli).await?;
    if let Some(limit) = command.limit() {
        cx.client = limit.client(cli.bwlimit, &cx.client, &cx.settings)?;
    }
    match command {
        Subcommands::Account => account::account(&cx).await,
        Subcommands::Stats { last } => account::stats(&cx, *last).await,
        Subcommands::Ls { folder } => files::ls(&cx, folder.as_ref()).await,
        Subcommands::Files(args) => files::files(&cx, args).await,
        Subcommands::Info { codes } => files::info(&cx, codes).await,
        Subcommands::Rename(args) => match (&args.template, &args.name) {
            (Some(template), _) => {
                let start = args.start.unwrap_or(1);
                rename::each(&cx, &args.codes, template, start, args.dry_run).await
            }
            (None, Some(name)) => files::rename(&cx, &args.codes, name).await,
            (None, None) => Err(Failure::Usage("give --name or --template".into())),
        },
        Subcommands::Clone { code } => files::clone(&cx, code).await,
        Subcommands::Mv { codes, folder } => files::mv(&cx, codes, folder).await,
        Subcommands::Mkdir { name, parent } => files::mkdir(&cx, name, parent.as_ref()).await,
        Subcommands::RenameFolder { folder, name } => files::rename_folder(&cx, folder, name).await,
        Subcommands::Deleted { last } => files::deleted(&cx, *last).await,
        Subcommands::Upload(args) => upload::run(&cx, args).await,
        Subcommands::Sync(args) => sync::run(&cx, args).await,
        Subcommands::Watch(args) => watch::run(&cx, args).await,
        Subcommands::Repair(args) => repair::run(&cx, args).await,
        Subcommands::Links(args) => links::run(&cx, args).await,
        Subcommands::Check(args) => search::check(&cx.client, args, &cx.out).await,
        Subcommands::Find(args) => search::find(&cx.client, args, &cx.out).await,
        Subcommands::Sandbox(_)
        | Subcommands::Queue(_)
        | Subcommands::Profiles
        | Subcommands::Completions { .. }
        | Subcommands::Man
        | Subcommands::Keys
        | Subcommands::Doctor => Ok(()),
    }
}

/// The client a command uses: on the built-in demo sandbox with `--demo`, else on the account
/// the settings name (the key is checked here, before anything is sent).
async fn context(cli: &Cli) -> Result<Context, Failure> {
    let out = Output { json: cli.json };
    if cli.demo {
        let sandbox = crate::sandbox::Sandbox::start(crate::sandbox::SandboxConfig::demo())
            .await
            .map_err(|e| Failure::Api(format!("the demo sandbox could not start: {e}")))?;
        let key = crate::api::ApiKey::parse(sandbox.key())?;
        let client = Client::new(&sandbox.base_url(), key)?;
        let settings = Settings::demo(&sandbox.base_url());
        return Ok(Context {
            client,
            settings,
            out,
            json: cli.json,
            demo: true,
            _sandbox: Some(sandbox),
        });
    }
    let (client, settings) = client_from(cli)?;
    for problem in settings.file.problems() {
        eprintln!("mp4u: config: {problem}");
    }
    #[cfg(unix)]
    if crate::config::ConfigFile::readable_by_others(&settings.config_path) {
        eprintln!(
            "mp4u: warning: {}",
            crate::config::readable_warning(&settings.config_path)
        );
    }
    Ok(Context {
        client,
        settings,
        out,
        json: cli.json,
        demo: false,
        _sandbox: None,
    })
}

/// File codes from codes or links (`https://www.mp4upload.com/CODE`, `…/CODE.html`,
/// `…/embed-CODE.html`).
/// The host (`name[:port]`) of the client's server, whose links count as links (the demo's
/// sandbox on loopback).
pub(crate) fn link_host(client: &Client) -> Option<String> {
    url::Url::parse(client.base_url()).ok().and_then(|u| {
        u.host_str().map(|h| match u.port() {
            Some(p) => format!("{h}:{p}"),
            None => h.to_string(),
        })
    })
}

pub(crate) fn codes_from(args: &[String], host: Option<&str>) -> Result<Vec<String>, Failure> {
    let mut codes = Vec::new();
    for arg in args.iter().flat_map(|a| a.split(',')) {
        let arg = arg.trim();
        if arg.is_empty() {
            continue;
        }
        // A link in any form, or a bare code (the server judges codes of other lengths).
        let code = crate::links::code_of(arg, host).or_else(|| {
            (arg.len() <= 32 && arg.bytes().all(|b| b.is_ascii_alphanumeric()))
                .then(|| arg.to_string())
        });
        match code {
            Some(code) => codes.push(code),
            None => {
                return Err(Failure::Usage(format!(
                    "{arg:?} is not a file code or link"
                )));
            }
        }
    }
    if codes.is_empty() {
        return Err(Failure::Usage("no file code given".into()));
    }
    Ok(codes)
}

/// Prints a result as JSON or as text.
pub struct Output {
    pub json: bool,
}

impl Output {
    pub fn print<T: Serialize>(
        &self,
        value: &T,
        text: impl FnOnce() -> String,
    ) -> Result<(), Failure> {
        let rendered = if self.json {
            let mut s = serde_json::to_string_pretty(value)
                .map_err(|e| Failure::Api(format!("cannot print JSON: {e}")))?;
            s.push('\n');
            s
        } else {
            text()
        };
        let mut stdout = std::io::stdout().lock();
        // A closed pipe (`mp4u files | head`) is not an error worth a message.
        let _ = stdout.write_all(rendered.as_bytes());
        let _ = stdout.flush();
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_links() {
        let codes = codes_from(&[
            "abc123".into(),
            "https://www.mp4upload.com/def456def456".into(),
            "https://www.mp4upload.com/ghi789ghi789.html,https://www.mp4upload.com/embed-jkl000jkl000.html"
                .into(),
        ], None)
        .unwrap();
        assert_eq!(
            codes,
            ["abc123", "def456def456", "ghi789ghi789", "jkl000jkl000"]
        );
        assert!(codes_from(&["https://youtube.com/watch?v=abcdefabcdef".into()], None).is_err());
        assert!(codes_from(&["a b".into()], None).is_err());
        assert!(codes_from(&[",".into()], None).is_err());
    }
}
