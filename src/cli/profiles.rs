//! `mp4u profiles`: the accounts of the config file, each with its address, whether it has a
//! key (never the key), the settings it sets and where its queue is; the one in use marked.

use serde::Serialize;

use super::table::Table;
use super::{Cli, Failure};
use crate::config::{ConfigFile, Profile, Settings};

#[derive(Serialize)]
struct Row {
    /// `null`: the top level of the file.
    name: Option<String>,
    api_url: String,
    has_key: bool,
    /// The settings it sets itself.
    settings: Vec<String>,
    default_folder: Option<String>,
    queue: Option<String>,
    in_use: bool,
    default: bool,
}

pub fn run(cli: &Cli) -> Result<(), Failure> {
    let settings = Settings::resolve(
        cli.config.as_deref(),
        cli.api_url.as_deref(),
        cli.profile.as_deref(),
    )?;
    let whole = ConfigFile::load(&settings.config_path)?;
    let top = Profile {
        api_key: whole.api_key.clone(),
        api_url: whole.api_url.clone(),
        max_upload_bytes: whole.max_upload_bytes,
        parallel_uploads: whole.parallel_uploads,
        bwlimit: whole.bwlimit.clone(),
        upload_settle: whole.upload_settle,
        default_folder: whole.default_folder.clone(),
        unknown: Default::default(),
    };
    let row = |name: Option<&String>, p: &Profile| Row {
        name: name.cloned(),
        api_url: p
            .api_url
            .clone()
            .or_else(|| whole.api_url.clone())
            .unwrap_or_else(|| crate::api::DEFAULT_BASE_URL.into()),
        has_key: p.api_key.as_deref().is_some_and(|k| !k.trim().is_empty()),
        settings: [
            p.parallel_uploads.map(|n| format!("parallel_uploads={n}")),
            p.max_upload_bytes.map(|n| format!("max_upload_bytes={n}")),
            p.bwlimit.as_ref().map(|b| match b {
                crate::config::RateSetting::Bytes(n) => format!("bwlimit={n}"),
                crate::config::RateSetting::Text(t) => format!("bwlimit={t}"),
            }),
            p.upload_settle.map(|n| format!("upload_settle={n}")),
        ]
        .into_iter()
        .flatten()
        .collect(),
        default_folder: p.default_folder.clone(),
        queue: crate::queue::default_dir(false, name.map(String::as_str))
            .map(|d| d.display().to_string()),
        in_use: settings.profile.as_ref() == name,
        default: whole.default_profile.as_ref() == name,
    };
    let mut rows = vec![row(None, &top)];
    rows.extend(whole.profiles.iter().map(|(name, p)| row(Some(name), p)));
    if cli.json {
        let text = serde_json::to_string_pretty(&rows).unwrap_or_else(|_| "[]".into());
        println!("{text}");
        return Ok(());
    }
    let mut table = Table::new("PROFILE ADDRESS KEY SETTINGS");
    for r in &rows {
        let name = match &r.name {
            Some(name) if r.default => format!("{name} (default)"),
            Some(name) => name.clone(),
            None => "(top level)".into(),
        };
        table.row(vec![
            format!("{} {name}", if r.in_use { "*" } else { " " }),
            r.api_url.clone(),
            if r.has_key { "set" } else { "none" }.into(),
            r.settings
                .iter()
                .cloned()
                .chain(
                    r.default_folder
                        .iter()
                        .map(|f| format!("default_folder={f}")),
                )
                .collect::<Vec<_>>()
                .join(" "),
        ]);
    }
    print!("{}", table.render());
    println!("* in use; --profile NAME or MP4U_PROFILE picks another");
    if whole.profiles.is_empty() {
        println!(
            "no profiles: add a [profiles.NAME] table with its api_key to {}",
            settings.config_path.display()
        );
    }
    Ok(())
}
