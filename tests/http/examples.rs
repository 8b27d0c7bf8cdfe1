//! Every example the README and docs/ mark as runnable (a fenced block whose info string is
//! `sh run`) runs here as written, against the demo account: `mp4u` is the binary with
//! `--demo`, in a home of its own that holds the directories the examples name
//! (`~/Videos/Frieren/Season 1` and `Season 2`, a few `.mkv` files where it runs). A page's
//! blocks run in order in one home, as a reader follows them (what one block makes, the next
//! may use). A block passes when it exits 0 (`set -e` and `pipefail`: every command of it,
//! every part of a pipe). So the examples cannot drift from what the program does.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// A runnable block: where it is, and its text.
struct Example {
    file: String,
    line: usize,
    script: String,
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The README and every page of docs/.
fn pages() -> Vec<PathBuf> {
    let mut pages = vec![root().join("README.md")];
    let mut docs: Vec<PathBuf> = std::fs::read_dir(root().join("docs"))
        .expect("docs/")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    docs.sort();
    pages.extend(docs);
    pages
}

/// The `sh run` blocks of a page.
fn examples_in(path: &Path) -> Vec<Example> {
    let text = std::fs::read_to_string(path).expect("page");
    let file = path
        .strip_prefix(root())
        .unwrap_or(path)
        .display()
        .to_string();
    let mut out = Vec::new();
    let mut open: Option<(usize, String)> = None;
    for (i, line) in text.lines().enumerate() {
        match &mut open {
            None if line.trim() == "```sh run" => open = Some((i + 1, String::new())),
            None => {}
            Some((start, script)) => {
                if line.trim() == "```" {
                    out.push(Example {
                        file: file.clone(),
                        line: *start,
                        script: std::mem::take(script),
                    });
                    open = None;
                } else {
                    script.push_str(line);
                    script.push('\n');
                }
            }
        }
    }
    out
}

/// A home with what the examples name.
fn home() -> tempfile::TempDir {
    let home = tempfile::tempdir().expect("home");
    let frieren = home.path().join("Videos/Frieren");
    for season in 1..=2 {
        let dir = frieren.join(format!("Season {season}"));
        std::fs::create_dir_all(&dir).expect("season");
        for episode in 1..=2 {
            let name = format!("Frieren - S0{season}E0{episode} [1080p].mp4");
            std::fs::write(dir.join(name), vec![season as u8; 2_000 + episode]).expect("episode");
        }
    }
    for name in [
        "Frieren - S02E03 [1080p].mkv",
        "Frieren - S02E04 [1080p].mkv",
    ] {
        std::fs::write(home.path().join(name), vec![7u8; 3_000]).expect("mkv");
    }
    home
}

fn has(program: &str) -> bool {
    Command::new(program)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

#[test]
fn the_runnable_examples_of_the_readme_and_docs_run_as_written() {
    let examples: Vec<Example> = pages().iter().flat_map(|p| examples_in(p)).collect();
    assert!(
        examples.iter().any(|e| e.file == "README.md"),
        "the README's recipes are marked `sh run`"
    );
    assert!(
        examples.iter().filter(|e| e.file == "docs/cli.md").count() >= 4,
        "the CLI page's examples are marked `sh run`"
    );
    let mut failed = Vec::new();
    let mut homes: Vec<(String, tempfile::TempDir)> = Vec::new();
    for example in &examples {
        if example.script.contains("jq ") && !has("jq") {
            eprintln!(
                "{}:{}: needs jq, which is not here",
                example.file, example.line
            );
            continue;
        }
        // One home a page: its blocks follow each other.
        if homes.last().is_none_or(|(file, _)| *file != example.file) {
            homes.push((example.file.clone(), home()));
        }
        let home = &homes.last().expect("a home").1;
        let script = format!(
            "set -euo pipefail\nmp4u() {{ \"$MP4U_BIN\" --demo \"$@\"; }}\n{}",
            example.script
        );
        let out = Command::new("bash")
            .arg("-c")
            .arg(&script)
            .current_dir(home.path())
            .env("HOME", home.path())
            .env("MP4U_BIN", env!("CARGO_BIN_EXE_mp4u"))
            .env("MP4U_STATE_DIR", home.path().join("state"))
            .env("XDG_CONFIG_HOME", home.path().join("config"))
            .env("MP4U_UPLOAD_SETTLE", "2")
            .env_remove("MP4UPLOAD_API_KEY")
            .env_remove("MP4UPLOAD_API_URL")
            .stdin(Stdio::null())
            .output()
            .expect("bash");
        if !out.status.success() {
            failed.push(format!(
                "{}:{} exited {:?}\n{}\n--- stdout\n{}--- stderr\n{}",
                example.file,
                example.line,
                out.status.code(),
                example.script,
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr),
            ));
        }
    }
    assert!(failed.is_empty(), "{}", failed.join("\n\n"));
}
