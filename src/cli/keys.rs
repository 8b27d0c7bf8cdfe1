//! `mp4u keys`: every key of the file manager in effect (the default tables with the config
//! file's `[keys]` over them), each with the action name `[keys]` takes. Needs no API key and no
//! network: only the config file, whose mistakes go to stderr as the file manager says them.

use serde::Serialize;

use super::{Cli, Failure, Output};
use crate::app::keys::{Key, Keymap};
use crate::config::{ConfigFile, default_path};

/// What stays whatever the config says.
const FIXED: &str = "Ctrl-C quits and Ctrl-Z suspends, everywhere; neither can be bound";

#[derive(Serialize)]
struct KeysReport<'a> {
    /// The config file read, if there is one.
    config: Option<String>,
    contexts: Vec<ContextKeys>,
    fixed: &'static str,
    problems: &'a [String],
}

#[derive(Serialize)]
struct ContextKeys {
    context: &'static str,
    keys: Vec<RowKeys>,
}

#[derive(Serialize)]
struct RowKeys {
    action: &'static str,
    /// As `[keys]` writes them.
    keys: Vec<String>,
    help: &'static str,
    /// Set by the config file (else the default).
    changed: bool,
}

pub fn run(cli: &Cli) -> Result<(), Failure> {
    let path = cli.config.clone().or_else(default_path);
    let file = match &path {
        Some(path) => ConfigFile::load(path)?,
        None => ConfigFile::default(),
    };
    let (keymap, problems) = Keymap::from_config(file.keys.as_ref());
    for problem in &problems {
        eprintln!("mp4u: config: {problem}");
    }
    // A config path with no file behind it sets nothing.
    let config = path.filter(|p| p.exists()).map(|p| p.display().to_string());
    let report = KeysReport {
        config: config.clone(),
        contexts: contexts(&keymap),
        fixed: FIXED,
        problems: &problems,
    };
    Output { json: cli.json }.print(&report, || text(&report))
}

fn contexts(keymap: &Keymap) -> Vec<ContextKeys> {
    keymap
        .tables()
        .iter()
        .map(|table| ContextKeys {
            context: table.context.title,
            keys: table
                .rows
                .iter()
                .map(|row| RowKeys {
                    action: row.action().name(),
                    keys: row.keys.iter().map(|k| Key::name(*k)).collect(),
                    help: row.binding.help,
                    changed: row.user,
                })
                .collect(),
        })
        .collect()
}

/// The tables as text: a block per context, a line per action (`*` where the config set it).
fn text(report: &KeysReport<'_>) -> String {
    let mut out = match &report.config {
        Some(path) => format!(
            "The keys in effect: the defaults, with [keys] of {path} over them (* set there).\n"
        ),
        None => "The keys in effect: the defaults (no config file).\n".to_string(),
    };
    out.push_str(&format!("{FIXED}.\n"));
    for context in &report.contexts {
        out.push_str(&format!("\n{}\n", context.context));
        for row in &context.keys {
            let keys = if row.keys.is_empty() {
                "—".to_string()
            } else {
                row.keys.join(", ")
            };
            let mark = if row.changed { '*' } else { ' ' };
            out.push_str(&format!(
                "{mark} {:<14} {:<16} {}\n",
                row.action, keys, row.help
            ));
        }
    }
    out
}
