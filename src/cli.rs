//! The scripting CLI: one subcommand per API call, readable tables or `--json`.

mod search;
mod table;
mod upload;

use std::io::Write;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use serde::Serialize;

use crate::api::{ApiError, Client, FileListQuery};
use crate::config::{ConfigError, Settings};
use crate::format::{self, plural};
use table::{Align, Table};

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

    /// Print results as JSON (for scripts)
    #[arg(long, global = true)]
    pub json: bool,

    /// Open the file manager on a built-in sandbox with demo data (no account needed)
    #[arg(long)]
    pub demo: bool,

    /// Where the file manager writes its log [default: the platform state or cache directory]
    #[arg(long, value_name = "PATH")]
    pub log_file: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Account info: email, balance, storage, premium expiry
    Account,
    /// Views, downloads and profit per day
    Stats {
        /// How many days
        #[arg(long, value_name = "N", default_value_t = 7)]
        last: u32,
    },
    /// List the subfolders and files of a folder (the root by default)
    Ls {
        /// Folder id (0 is the root)
        #[arg(value_name = "FOLDER_ID", default_value_t = 0)]
        folder: u64,
    },
    /// List files with their size and downloads, filtered and paged
    Files(FilesArgs),
    /// Check files: name, size, downloads, or whether they exist at all
    Info {
        /// File codes or links
        #[arg(value_name = "CODE", required = true)]
        codes: Vec<String>,
    },
    /// Rename one or more files (each gets the same name)
    Rename {
        #[arg(value_name = "CODE", required = true)]
        codes: Vec<String>,
        /// The new name
        #[arg(long)]
        name: String,
    },
    /// Make a copy of a file, with a new code and link
    Clone {
        #[arg(value_name = "CODE")]
        code: String,
    },
    /// Move files into a folder
    Mv {
        #[arg(value_name = "CODE", required = true)]
        codes: Vec<String>,
        /// Target folder id (0 is the root)
        #[arg(long, value_name = "ID")]
        folder: u64,
    },
    /// Create a folder
    Mkdir {
        name: String,
        /// Parent folder id (the root by default)
        #[arg(long, value_name = "ID")]
        parent: Option<u64>,
    },
    /// Rename a folder
    RenameFolder {
        #[arg(value_name = "ID")]
        id: u64,
        name: String,
    },
    /// Recently deleted files
    Deleted {
        /// How many
        #[arg(long, value_name = "N", default_value_t = 20)]
        last: u32,
    },
    /// Upload files, with progress, and print their links
    Upload(upload::UploadArgs),
    /// Check which files of a list of codes or links are alive (reads standard input too)
    Check(search::CheckArgs),
    /// Find files by name across the whole account, with their folders
    Find(search::FindArgs),
    /// Run a local server that speaks the mp4upload API, with demo data
    Sandbox(SandboxArgs),
}

#[derive(Debug, Args)]
pub struct FilesArgs {
    /// Only files in this folder
    #[arg(long, value_name = "ID")]
    folder: Option<u64>,
    /// Page number (from 1)
    #[arg(long, value_name = "N")]
    page: Option<u64>,
    /// Files per page
    #[arg(long, value_name = "N")]
    per_page: Option<u64>,
    /// Only files whose name contains this text
    #[arg(long, value_name = "TEXT")]
    name: Option<String>,
    /// Only public (1) or private (0) files
    #[arg(long, value_name = "0|1", value_parser = clap::value_parser!(u8).range(0..=1))]
    public: Option<u8>,
    /// Only files uploaded after this time (YYYY-MM-DD HH:MM:SS), or in the last N minutes
    #[arg(long, value_name = "TS")]
    created: Option<String>,
}

#[derive(Debug, Args)]
pub struct SandboxArgs {
    /// Port on 127.0.0.1 (0: a free one)
    #[arg(long, default_value_t = 0)]
    pub port: u16,
    /// The API key the sandbox accepts [default: the demo key]
    #[arg(long)]
    pub key: Option<String>,
    /// Keep uploaded files in this folder (by default they are hashed and discarded)
    #[arg(long, value_name = "DIR")]
    pub data: Option<PathBuf>,
    /// Start with an empty account instead of the demo library
    #[arg(long)]
    pub empty: bool,
    /// Delay every API reply by this many milliseconds
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub latency_ms: u64,
    /// Read uploads no faster than this
    #[arg(long, value_name = "N")]
    pub upload_bytes_per_sec: Option<u64>,
    /// Cut the connection after this many bytes of an upload
    #[arg(long, value_name = "BYTES")]
    pub drop_upload_after: Option<u64>,
    /// Refuse every upload (file_code "undef") with this reason
    #[arg(long, value_name = "REASON", num_args = 0..=1, default_missing_value = "uploads are not enabled for your account type")]
    pub refuse_uploads: Option<String>,
    /// Keep each upload, then cut the connection instead of answering (a lost reply)
    #[arg(long)]
    pub drop_upload_reply: bool,
    /// Fail this share of API calls (0.0 to 1.0) with status 500 sent with HTTP 200
    #[arg(long, value_name = "P", value_parser = parse_share)]
    pub fail_rate: Option<f64>,
    /// Failures come as an HTML 502 page, as a proxy sends (every call, unless --fail-rate)
    #[arg(long)]
    pub html_errors: bool,
    /// Failures come as cut-off JSON (every call, unless --fail-rate)
    #[arg(long)]
    pub invalid_json: bool,
    /// Answer status "429" (a string) above N API calls a second
    #[arg(long, value_name = "N")]
    pub rate_limit: Option<u32>,
}

fn parse_share(text: &str) -> Result<f64, String> {
    let p: f64 = text
        .parse()
        .map_err(|_| format!("{text:?} is not a number"))?;
    if (0.0..=1.0).contains(&p) {
        Ok(p)
    } else {
        Err("a share from 0.0 to 1.0".into())
    }
}

impl SandboxArgs {
    pub fn to_config(&self) -> crate::sandbox::SandboxConfig {
        crate::sandbox::SandboxConfig {
            port: self.port,
            key: self
                .key
                .clone()
                .unwrap_or_else(|| crate::sandbox::DEMO_KEY.to_string()),
            demo_data: !self.empty,
            store_dir: self.data.clone(),
            latency_ms: self.latency_ms,
            upload_bytes_per_sec: self.upload_bytes_per_sec,
            drop_upload_after: self.drop_upload_after,
            refuse_uploads: self.refuse_uploads.clone(),
            drop_upload_reply: self.drop_upload_reply,
            fail_rate: self.fail_rate,
            html_errors: self.html_errors,
            invalid_json: self.invalid_json,
            rate_limit: self.rate_limit,
        }
    }
}

/// Why a command failed, and so which exit code it ends with.
#[derive(Debug)]
pub enum Failure {
    /// Exit 1: the API or the network said no.
    Api(String),
    /// Exit 2: the command line or the setup is wrong.
    Usage(String),
}

impl Failure {
    pub fn exit_code(&self) -> u8 {
        match self {
            Failure::Api(_) => 1,
            Failure::Usage(_) => 2,
        }
    }
    pub fn message(&self) -> &str {
        match self {
            Failure::Api(m) | Failure::Usage(m) => m,
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
            other => Failure::Api(other.to_string()),
        }
    }
}

/// Builds the client from the settings: the key is checked here, before anything is sent.
pub fn client_from(cli: &Cli) -> Result<(Client, Settings), Failure> {
    let settings = Settings::resolve(cli.config.as_deref(), cli.api_url.as_deref())?;
    let key = settings.key()?;
    let client = Client::new(&settings.base_url, key)?;
    Ok((client, settings))
}

/// Runs one scripting subcommand.
pub async fn run(cli: &Cli, command: &Command) -> Result<(), Failure> {
    if let Command::Sandbox(args) = command {
        return crate::sandbox::run_standalone(args.to_config())
            .await
            .map_err(|e| Failure::Api(format!("the sandbox could not start: {e}")));
    }
    let (client, settings) = client_from(cli)?;
    let out = Output { json: cli.json };
    match command {
        Command::Account => {
            let info = client.account_info().await?;
            out.print(&info, || {
                let left = match info.storage_left {
                    crate::api::StorageLeft::Bytes(n) => format::size(n),
                    crate::api::StorageLeft::Unlimited => "unlimited".into(),
                    crate::api::StorageLeft::Unknown => "-".into(),
                };
                let rows = [
                    ("Email", info.email.clone().unwrap_or_else(|| "-".into())),
                    (
                        "Balance",
                        info.balance.map_or("-".into(), |b| format!("${b:.2}")),
                    ),
                    (
                        "Storage used",
                        info.storage_used.map_or("-".into(), format::size),
                    ),
                    ("Storage left", left),
                    (
                        "Premium until",
                        info.premium_expire.clone().unwrap_or_else(|| "-".into()),
                    ),
                ];
                rows.iter().map(|(k, v)| format!("{k:<14} {v}\n")).collect()
            })
        }
        Command::Stats { last } => {
            let days = client.account_stats(Some(*last)).await?;
            out.print(&days, || stats_table(&days))
        }
        Command::Ls { folder } => {
            let listing = client.folder_list(*folder).await?;
            out.print(&listing, || {
                let mut t = Table::new(&[
                    ("ID/CODE", Align::Left),
                    ("NAME", Align::Left),
                    ("UPLOADED", Align::Left),
                ]);
                for f in &listing.folders {
                    t.row(vec![
                        f.fld_id.to_string(),
                        format!("{}/", f.name),
                        String::new(),
                    ]);
                }
                for f in &listing.files {
                    t.row(vec![
                        f.file_code.clone(),
                        f.name.clone().unwrap_or_default(),
                        f.uploaded.clone().unwrap_or_default(),
                    ]);
                }
                if t.is_empty() {
                    "(empty folder)\n".into()
                } else {
                    t.render()
                }
            })
        }
        Command::Files(args) => {
            let query = FileListQuery {
                page: args.page,
                per_page: args.per_page,
                fld_id: args.folder,
                public: args.public.map(|p| p == 1),
                created: args.created.clone(),
                name: args.name.clone(),
            };
            let list = client.file_list(&query).await?;
            out.print(&list, || {
                let mut t = files_table();
                for f in &list.files {
                    t.row(file_row(f));
                }
                if t.is_empty() {
                    "(no files)\n".into()
                } else {
                    t.render()
                }
            })
        }
        Command::Info { codes } => {
            let codes = codes_from(codes)?;
            let files = client.file_info(&codes).await?;
            out.print(&files, || {
                let mut t = Table::new(&[
                    ("CODE", Align::Left),
                    ("STATUS", Align::Left),
                    ("NAME", Align::Left),
                    ("SIZE", Align::Right),
                    ("DOWNLOADS", Align::Right),
                    ("UPLOADED", Align::Left),
                ]);
                for f in &files {
                    t.row(vec![
                        f.file_code.clone(),
                        if f.exists() {
                            "ok".into()
                        } else {
                            "missing".into()
                        },
                        f.name.clone().unwrap_or_default(),
                        f.size.map(format::size).unwrap_or_default(),
                        f.downloads.map(|d| d.to_string()).unwrap_or_default(),
                        f.uploaded.clone().unwrap_or_default(),
                    ]);
                }
                t.render()
            })
        }
        Command::Rename { codes, name } => {
            let codes = codes_from(codes)?;
            let files = client.file_rename(&codes, name).await?;
            out.print(&files, || {
                files
                    .iter()
                    .map(|f| {
                        if f.exists() {
                            format!(
                                "renamed {} to {}\n",
                                f.file_code,
                                f.name.as_deref().unwrap_or(name)
                            )
                        } else {
                            format!("no such file: {}\n", f.file_code)
                        }
                    })
                    .collect()
            })?;
            let missing: Vec<&str> = files
                .iter()
                .filter(|f| !f.exists())
                .map(|f| f.file_code.as_str())
                .collect();
            if missing.is_empty() {
                Ok(())
            } else {
                Err(Failure::Api(format!(
                    "no such file: {}",
                    missing.join(", ")
                )))
            }
        }
        Command::Clone { code } => {
            let code = codes_from(std::slice::from_ref(code))?.remove(0);
            let cloned = client.file_clone(&code).await?;
            out.print(&cloned, || {
                format!(
                    "cloned {code} as {}\n{}\n",
                    cloned.file_code,
                    cloned.url.clone().unwrap_or_default()
                )
            })
        }
        Command::Mv { codes, folder } => {
            let codes = codes_from(codes)?;
            client.file_set_folder(&codes, *folder).await?;
            #[derive(Serialize)]
            struct Moved<'a> {
                moved: &'a [String],
                fld_id: u64,
            }
            out.print(
                &Moved {
                    moved: &codes,
                    fld_id: *folder,
                },
                || format!("moved {} to folder {folder}\n", plural(codes.len(), "file")),
            )
        }
        Command::Mkdir { name, parent } => {
            let id = client.folder_create(*parent, name).await?;
            #[derive(Serialize)]
            struct Created<'a> {
                fld_id: u64,
                name: &'a str,
                parent_id: u64,
            }
            let parent_id = parent.unwrap_or(0);
            out.print(
                &Created {
                    fld_id: id,
                    name,
                    parent_id,
                },
                || format!("created folder {name} (id {id}) in folder {parent_id}\n"),
            )
        }
        Command::RenameFolder { id, name } => {
            client.folder_rename(*id, name).await?;
            #[derive(Serialize)]
            struct Renamed<'a> {
                fld_id: u64,
                name: &'a str,
            }
            out.print(&Renamed { fld_id: *id, name }, || {
                format!("renamed folder {id} to {name}\n")
            })
        }
        Command::Deleted { last } => {
            let files = client.files_deleted(Some(*last)).await?;
            out.print(&files, || {
                let mut t = Table::new(&[
                    ("CODE", Align::Left),
                    ("NAME", Align::Left),
                    ("DELETED", Align::Left),
                    ("AGO", Align::Left),
                ]);
                for f in &files {
                    t.row(vec![
                        f.file_code.clone(),
                        f.name.clone().unwrap_or_default(),
                        f.deleted.clone().unwrap_or_default(),
                        f.deleted_ago_sec.map(format::ago).unwrap_or_default(),
                    ]);
                }
                if t.is_empty() {
                    "(no deleted files)\n".into()
                } else {
                    t.render()
                }
            })
        }
        Command::Upload(args) => upload::run(&client, &settings, args, cli.json).await,
        Command::Check(args) => search::check(&client, args, &out).await,
        Command::Find(args) => search::find(&client, args, &out).await,
        Command::Sandbox(_) => Ok(()),
    }
}

fn stats_table(days: &[crate::api::DayStats]) -> String {
    let mut t = Table::new(&[
        ("DAY", Align::Left),
        ("VIEWS", Align::Right),
        ("DOWNLOADS", Align::Right),
        ("PREMIUM", Align::Right),
        ("ADBLOCK", Align::Right),
        ("SALES", Align::Right),
        ("REFS", Align::Right),
        ("PROFIT", Align::Right),
    ]);
    let mut total = (0, 0, 0, 0, 0, 0, 0.0);
    for d in days {
        t.row(vec![
            d.day.clone(),
            d.views.to_string(),
            d.downloads.to_string(),
            d.views_prem.to_string(),
            d.views_adb.to_string(),
            d.sales.to_string(),
            d.refs.to_string(),
            format!("{:.2}", d.profit_total),
        ]);
        total.0 += d.views;
        total.1 += d.downloads;
        total.2 += d.views_prem;
        total.3 += d.views_adb;
        total.4 += d.sales;
        total.5 += d.refs;
        total.6 += d.profit_total;
    }
    t.row(vec![
        "total".into(),
        total.0.to_string(),
        total.1.to_string(),
        total.2.to_string(),
        total.3.to_string(),
        total.4.to_string(),
        total.5.to_string(),
        format!("{:.2}", total.6),
    ]);
    t.render()
}

fn files_table() -> Table {
    Table::new(&[
        ("CODE", Align::Left),
        ("NAME", Align::Left),
        ("SIZE", Align::Right),
        ("DOWNLOADS", Align::Right),
        ("UPLOADED", Align::Left),
        ("FOLDER", Align::Right),
    ])
}

fn file_row(f: &crate::api::FileInfo) -> Vec<String> {
    vec![
        f.file_code.clone(),
        f.name.clone().unwrap_or_default(),
        f.size.map(format::size).unwrap_or_default(),
        f.downloads.map(|d| d.to_string()).unwrap_or_default(),
        f.uploaded.clone().unwrap_or_default(),
        f.fld_id.map(|d| d.to_string()).unwrap_or_default(),
    ]
}

/// File codes from codes or links (`https://www.mp4upload.com/CODE`, `…/CODE.html`,
/// `…/embed-CODE.html`).
fn codes_from(args: &[String]) -> Result<Vec<String>, Failure> {
    let mut codes = Vec::new();
    for arg in args.iter().flat_map(|a| a.split(',')) {
        let arg = arg.trim();
        if arg.is_empty() {
            continue;
        }
        // A link in any form, or a bare code (the server judges codes of other lengths).
        let code = crate::links::code_of(arg, None).or_else(|| {
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
struct Output {
    json: bool,
}

impl Output {
    fn print<T: Serialize>(&self, value: &T, text: impl FnOnce() -> String) -> Result<(), Failure> {
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
        ])
        .unwrap();
        assert_eq!(
            codes,
            ["abc123", "def456def456", "ghi789ghi789", "jkl000jkl000"]
        );
        assert!(codes_from(&["https://youtube.com/watch?v=abcdefabcdef".into()]).is_err());
        assert!(codes_from(&["a b".into()]).is_err());
        assert!(codes_from(&[",".into()]).is_err());
    }
}
