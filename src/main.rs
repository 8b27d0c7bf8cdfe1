use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Parser;
use mp4u::api::Client;
use mp4u::cli::{self, Cli, Failure};
use mp4u::config::Settings;
use mp4u::look::Look;
use mp4u::sandbox::{Sandbox, SandboxConfig};
use mp4u::tui::{self, TuiOptions};
use mp4u::ui::theme::Terminal;

fn main() -> ExitCode {
    let cli = Cli::parse();
    if cli.command.is_some() {
        // A subcommand is a filter in a pipeline: when the reader goes away (`| head`, a
        // closed stderr), it ends quietly as other Unix tools do, instead of panicking on the
        // failed write. (The file manager keeps SIGPIPE ignored: it writes to child processes,
        // the clipboard tools, that may be gone. Sockets never raise it: writes to them pass
        // MSG_NOSIGNAL.)
        #[cfg(unix)]
        // SAFETY: restores the default action of one signal before any thread starts.
        unsafe {
            libc::signal(libc::SIGPIPE, libc::SIG_DFL);
        }
    }
    // `completions` and `man` print text made from the CLI's definitions: no runtime, no key,
    // no config.
    if let Some(result) = cli.command.as_ref().and_then(cli::run_offline) {
        return exit_code(result);
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("mp4u: cannot start the async runtime: {e}");
            return ExitCode::from(1);
        }
    };
    let result = match &cli.command {
        Some(command) => runtime.block_on(cli::run(&cli, command)),
        None => runtime.block_on(file_manager(&cli)),
    };
    exit_code(result)
}

/// Success, or the failure's message on stderr and its exit code.
fn exit_code(result: Result<(), Failure>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("mp4u: {}", failure.message());
            ExitCode::from(failure.exit_code())
        }
    }
}

/// `mp4u` and `mp4u --demo`: the TUI, on the account or on the built-in sandbox.
async fn file_manager(cli: &Cli) -> Result<(), Failure> {
    init_logging(cli.log_file.as_deref());
    // Keep the sandbox alive for as long as the TUI runs.
    let (_sandbox, options) = if cli.demo {
        let sandbox = Sandbox::start(SandboxConfig::demo())
            .await
            .map_err(|e| Failure::Api(format!("the demo sandbox could not start: {e}")))?;
        let key = mp4u::api::ApiKey::parse(sandbox.key())?;
        let client = Client::new(&sandbox.base_url(), key)?;
        // What the demo remembers between runs: the sort order and the link format.
        let demo_config =
            mp4u::config::ConfigFile::load(&std::env::temp_dir().join("mp4u-demo.toml"))
                .unwrap_or_default();
        let options = TuiOptions {
            client: Some(client),
            base_url: sandbox.base_url(),
            // The demo never writes the user's config.
            config_path: std::env::temp_dir().join("mp4u-demo.toml"),
            warning: None,
            demo: true,
            parallel_uploads: mp4u::config::DEFAULT_PARALLEL_UPLOADS,
            max_upload_bytes: mp4u::config::DEFAULT_MAX_UPLOAD_BYTES,
            sort: demo_config.sort,
            link_format: demo_config.link_format,
            // The demo reads only the look and the keys of the user's config.
            look: Look::load(
                cli.config
                    .clone()
                    .or_else(mp4u::config::default_path)
                    .as_deref(),
                &Terminal::detect(),
            ),
            bwlimit: cli.bwlimit.and_then(|b| b.rate()),
            patience: mp4u::queue::run::Patience::resolve(None),
        };
        (Some(sandbox), options)
    } else {
        let settings = Settings::resolve(cli.config.as_deref(), cli.api_url.as_deref())?;
        let bwlimit = settings.bwlimit(cli.bwlimit).map_err(Failure::Usage)?;
        let client = if settings.has_key() {
            Some(Client::new(&settings.base_url, settings.key()?)?)
        } else {
            None
        };
        // Said on stderr (it stays after the program ends) and on screen.
        #[cfg(unix)]
        let warning = mp4u::config::ConfigFile::readable_by_others(&settings.config_path)
            .then(|| mp4u::config::readable_warning(&settings.config_path));
        #[cfg(not(unix))]
        let warning = None;
        if let Some(w) = &warning {
            eprintln!("mp4u: warning: {w}");
        }
        let options = TuiOptions {
            client,
            base_url: settings.base_url.clone(),
            config_path: settings.config_path.clone(),
            warning,
            demo: false,
            parallel_uploads: settings.parallel_uploads(),
            max_upload_bytes: settings.max_upload_bytes(),
            sort: settings.file.sort.clone(),
            link_format: settings.file.link_format.clone(),
            look: Look::new(&settings.file, &Terminal::detect()),
            bwlimit,
            patience: settings.patience(),
        };
        (None, options)
    };
    // Said on stderr too: it stays there after the program ends.
    for problem in &options.look.problems {
        eprintln!("mp4u: config: {problem}");
    }
    tracing::info!(demo = cli.demo, "file manager starts");
    tui::run(options)
        .await
        .map_err(|e| Failure::Api(format!("terminal error: {e}")))
}

/// Logs go to a file, never to the terminal the TUI draws on.
fn init_logging(path: Option<&Path>) {
    let path: Option<PathBuf> = path.map(Path::to_path_buf).or_else(|| {
        directories::ProjectDirs::from("", "", "mp4u").map(|dirs| {
            dirs.state_dir()
                .unwrap_or_else(|| dirs.cache_dir())
                .join("mp4u.log")
        })
    });
    let Some(path) = path else {
        return;
    };
    if let Some(dir) = path.parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    let Ok(file) = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
    else {
        return;
    };
    let _ = tracing_subscriber::fmt()
        .with_writer(std::sync::Mutex::new(file))
        .with_max_level(tracing::Level::INFO)
        .try_init();
}
