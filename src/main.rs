use std::process::ExitCode;

use clap::{CommandFactory, Parser};
use mp4u::cli::{Cli, run};

fn main() -> ExitCode {
    let cli = Cli::parse();
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
    let Some(command) = &cli.command else {
        // The file manager arrives with the TUI; until then, say what there is.
        let _ = Cli::command().print_help();
        return ExitCode::SUCCESS;
    };
    match runtime.block_on(run(&cli, command)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("mp4u: {}", failure.message());
            ExitCode::from(failure.exit_code())
        }
    }
}
