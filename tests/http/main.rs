//! The API client, the CLI binary and the sandbox against each other over HTTP on 127.0.0.1:
//! every client method, what the CLI prints, the replies of the service's documentation
//! decoded, variants of the service's answers, the waits and pace under faults, and the shell
//! completion scripts and man page, the upload queue and its resume, duplicates and `sync`;
//! and accounts of 100,000 files (the app's memory per file, counted by this binary's
//! allocator).
//!
//! `cargo test --test http`; one part: `cargo test --test http cli::`.

#[path = "../common/mod.rs"]
mod common;

mod bwlimit;
mod cli;
mod cli_answers;
mod cli_bulk;
mod client;
mod decode;
mod exactly_once;
mod examples;
mod faults;
mod keys_cli;
mod live;
mod profiles;
mod queue;
mod repair;
mod scale;
mod shell;
mod sync;
mod variants;
mod watch;
