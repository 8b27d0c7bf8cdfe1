use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Parser;
use mp4u::api::Client;
use mp4u::cli::{self, Cli, Failure};
use mp4u::look::Look;
use mp4u::sandbox::{Sandbox, SandboxConfig};
use mp4u::theme::Terminal;
use mp4u::tui::{self, TuiOptions};

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return usage_error(e),
    };
    if cli.command.is_some() {
        end_quietly_on_a_closed_pipe();
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

/// What clap found wrong with the command line, as every error of mp4u reads: one line on
/// stderr starting with `mp4u:`, and where to look (exit status 2). `--help` and `--version`
/// print as clap prints them.
fn usage_error(e: clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    if matches!(
        e.kind(),
        ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    ) {
        let _ = e.print();
        return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
    }
    // clap's first paragraph (the message and what it lists), on one line.
    let text = e.render().to_string();
    let said: Vec<&str> = text
        .trim_start()
        .lines()
        .take_while(|l| !l.trim().is_empty())
        .map(str::trim)
        .collect();
    let said = said.join(" ");
    let said = said.trim_start_matches("error: ");
    let said = if said.is_empty() {
        "the command line is not one mp4u takes"
    } else {
        said
    };
    use clap::CommandFactory;
    let commands = Cli::command();
    let command = std::env::args()
        .skip(1)
        .find(|a| commands.get_subcommands().any(|c| c.get_name() == a));
    let help = match command {
        Some(command) => format!("mp4u {command} --help"),
        None => "mp4u --help".into(),
    };
    eprintln!("mp4u: {said} (see `{help}`)");
    ExitCode::from(2)
}

/// A subcommand is a filter in a pipeline: when its reader goes away (`| head`, a closed
/// stderr), printing fails, and `println!` panics. That panic ends the program quietly, with
/// the status a shell gives a process a closed pipe stopped (141), not a panic's report. (The
/// signal itself stays ignored: a socket the server closed would raise it too, and that is
/// an error to say, not a reason to die.)
fn end_quietly_on_a_closed_pipe() {
    let report = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let payload = info.payload();
        let message = payload
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| payload.downcast_ref::<&str>().copied())
            .unwrap_or("");
        if message.starts_with("failed printing to std") && message.contains("Broken pipe") {
            std::process::exit(141);
        }
        report(info);
    }));
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
    // Without a terminal there is nothing to draw on: say so in one line, before any escape
    // code goes out.
    use std::io::IsTerminal;
    if !std::io::stdin().is_terminal() || !std::io::stdout().is_terminal() {
        return Err(Failure::Usage(
            "the file manager needs a terminal (its input and output are not one); scripts \
             use the subcommands: mp4u --help"
                .into(),
        ));
    }
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
            app: mp4u::app::AppOptions {
                base_url: sandbox.base_url(),
                demo: true,
                parallel_uploads: mp4u::config::DEFAULT_PARALLEL_UPLOADS,
                max_upload_bytes: mp4u::config::DEFAULT_MAX_UPLOAD_BYTES,
                sort: demo_config.sort,
                link_format: demo_config.link_format,
                bwlimit: cli.bwlimit.and_then(|b| b.rate()),
                ..Default::default()
            },
            client: Some(client),
            // The demo never writes the user's config.
            config_path: std::env::temp_dir().join("mp4u-demo.toml"),
            warning: None,
            // The demo reads only the look and the keys of the user's config.
            look: Look::load(
                cli.config
                    .clone()
                    .or_else(mp4u::config::default_path)
                    .as_deref(),
                &Terminal::detect(),
            ),
            patience: mp4u::queue::run::Patience::resolve(None),
            reopen: None,
        };
        (Some(sandbox), options)
    } else {
        let reopen = tui::Reopen {
            config: cli.config.clone(),
            api_url: cli.api_url.clone(),
            bwlimit: cli.bwlimit,
        };
        let options = reopen.options(cli.profile.as_deref())?;
        if let Some(w) = &options.warning {
            // Said on stderr too: it stays after the program ends.
            eprintln!("mp4u: warning: {w}");
        }
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
    let path: Option<PathBuf> = path
        .map(Path::to_path_buf)
        .or_else(mp4u::config::default_log_path);
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
