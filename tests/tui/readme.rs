//! The keys are documented in `docs/keys.md`, generated from the key tables (`keys::CONTEXTS`)
//! and held equal to them here, so the document, the key bar and the help view cannot drift
//! apart; the README's short table of the main keys is held to the same tables.
//! `cargo test --test tui readme:: -- --ignored` writes `docs/keys.md` again after a change.

use mp4u::app::keys::{self, Binding};

fn row(binding: &Binding) -> String {
    format!("| {} | {} |", binding.keys_label(), binding.help)
}

/// `docs/keys.md` as the key tables make it.
fn keys_doc() -> String {
    let mut doc = String::from(
        "# mp4u: every key\n\n\
         Generated from the key tables of the program (`src/app/keys/`), the same tables that \
         drive the key bar and the help view (`?` or `F1`); a test holds this page equal to \
         them. Midnight Commander's function keys and mnemonic letters both work. These are \
         the defaults: the config file's `[keys]` table can move any of them (see \
         [Your own keys](configuration.md#your-own-keys)), and `mp4u keys` prints the keys in \
         effect.\n",
    );
    for context in keys::CONTEXTS {
        doc.push_str(&format!(
            "\n## {}\n\n| keys | action |\n| --- | --- |\n",
            context.title
        ));
        for binding in context.table {
            doc.push_str(&row(binding));
            doc.push('\n');
        }
    }
    doc
}

#[test]
fn docs_keys_is_the_key_tables() {
    let doc = include_str!("../../docs/keys.md");
    assert!(
        doc == keys_doc(),
        "docs/keys.md differs from the key tables: run \
         `cargo test --test tui readme:: -- --ignored` to write it again"
    );
}

#[test]
fn the_readme_keys_are_the_key_tables() {
    let readme = include_str!("../../README.md");
    assert!(
        readme.contains("docs/keys.md"),
        "the README points to every key"
    );
    // Every row of the README's short table is a row of a key table.
    let rows: Vec<String> = keys::CONTEXTS
        .iter()
        .flat_map(|c| c.table.iter().map(row))
        .collect();
    let section = readme
        .split("\n## Keys\n")
        .nth(1)
        .and_then(|rest| rest.split("\n#").next())
        .expect("a Keys section");
    let table: Vec<&str> = section
        .lines()
        .filter(|l| l.starts_with("| ") && !l.starts_with("| keys") && !l.starts_with("| ---"))
        .collect();
    assert!(table.len() >= 10, "{table:?}");
    for line in table {
        assert!(
            rows.iter().any(|r| r == line),
            "not a key table row: {line}"
        );
    }
}

#[test]
#[ignore = "writes docs/keys.md from the key tables"]
fn write_docs_keys() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/keys.md");
    std::fs::write(path, keys_doc()).expect("write docs/keys.md");
}

#[test]
fn readme_gives_the_commands_ci_runs() {
    let readme = include_str!("../../README.md");
    let ci = include_str!("../../.ci/run");
    let first = readme.split("```").nth(1).expect("a first code block");
    assert!(first.contains("cargo run --release -- --demo"), "{first}");
    assert!(first.contains("cargo test --locked"), "{first}");
    assert!(ci.contains("\ncargo test --locked\n"));
}

#[test]
fn the_configuration_page_lists_every_action_name() {
    let readme = include_str!("../../docs/configuration.md");
    let section = readme
        .split("## Your own keys")
        .nth(1)
        .and_then(|rest| rest.split("\n#").next())
        .expect("a section on your own keys");
    let listed: Vec<&str> = section
        .lines()
        .filter_map(|l| l.strip_prefix("| `"))
        .filter_map(|l| l.split('`').next())
        .collect();
    let names: Vec<&str> = keys::Action::ALL.iter().map(|a| a.name()).collect();
    assert_eq!(
        listed, names,
        "docs/configuration.md's list of actions is the program's, in its order"
    );
}

#[test]
fn the_configuration_page_lists_every_theme_setting() {
    let readme = include_str!("../../docs/configuration.md");
    let section = readme
        .split("## Colours")
        .nth(1)
        .and_then(|rest| rest.split("\n## ").next())
        .expect("a section on colours");
    for setting in mp4u::theme::SETTINGS {
        assert!(
            section.contains(&format!("\n{setting} = ")),
            "[theme] {setting} is not in docs/configuration.md's example"
        );
    }
}

/// GitHub's anchor of a heading: lower case, punctuation dropped, spaces as hyphens.
fn anchor_of(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == '-' || *c == ' ' || *c == '_')
        .map(|c| if c == ' ' { '-' } else { c })
        .collect()
}

/// The anchors of a Markdown page's headings (code blocks left out).
fn anchors(text: &str) -> Vec<String> {
    let mut fenced = false;
    let mut out = Vec::new();
    for line in text.lines() {
        if line.starts_with("```") {
            fenced = !fenced;
        } else if !fenced && line.starts_with('#') {
            out.push(anchor_of(line.trim_start_matches('#')));
        }
    }
    out
}

#[test]
fn every_link_between_the_pages_resolves() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut pages = vec![
        root.join("README.md"),
        root.join("CONTRIBUTING.md"),
        root.join("ARCHITECTURE.md"),
    ];
    for entry in std::fs::read_dir(root.join("docs")).expect("docs/") {
        let path = entry.expect("an entry").path();
        if path.extension().is_some_and(|e| e == "md") {
            pages.push(path);
        }
    }
    let mut broken = Vec::new();
    for page in &pages {
        let text = std::fs::read_to_string(page).expect("a page");
        for (at, _) in text.match_indices("](") {
            let rest = &text[at + 2..];
            let Some(end) = rest.find(')') else { continue };
            let link = &rest[..end];
            if link.contains("://") || link.contains(' ') {
                continue;
            }
            let (path, anchor) = link.split_once('#').unwrap_or((link, ""));
            let target = if path.is_empty() {
                page.clone()
            } else {
                page.parent().unwrap().join(path)
            };
            if !target.exists() {
                broken.push(format!("{}: {link} (no such file)", page.display()));
            } else if !anchor.is_empty()
                && target.extension().is_some_and(|e| e == "md")
                && !anchors(&std::fs::read_to_string(&target).unwrap()).contains(&anchor.into())
            {
                broken.push(format!("{}: {link} (no such heading)", page.display()));
            }
        }
    }
    assert!(broken.is_empty(), "{broken:#?}");
}

#[test]
fn the_readme_stays_brief() {
    let lines = include_str!("../../README.md").lines().count();
    assert!(
        lines <= 250,
        "the README has {lines} lines: details go to docs/"
    );
}
