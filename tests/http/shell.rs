//! `mp4u completions SHELL` and `mp4u man`: every subcommand and flag of clap's own definitions
//! is in each completion script and in the man page, with no key, a broken config file and no
//! server; the scripts pass their shell's syntax check and complete for real in bash and fish;
//! the man page renders without a warning. A shell or groff that is not installed is named on
//! stderr and its part skipped; the content checks always run.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Command, Stdio};

use clap::CommandFactory;
use mp4u::cli::Cli;

use crate::common::*;

const SHELLS: [&str; 5] = ["bash", "zsh", "fish", "elvish", "powershell"];

/// The subcommands and, for each, its long flags (globals and `--help` included), from clap's
/// own list, so a new subcommand or flag is checked without a change here.
fn subcommands() -> Vec<(String, Vec<String>)> {
    let mut cli = Cli::command();
    cli.build();
    let subs: Vec<(String, Vec<String>)> = cli
        .get_subcommands()
        .filter(|s| !s.is_hide_set() && s.get_name() != "help")
        .map(|s| {
            let flags = s
                .get_arguments()
                .filter(|a| !a.is_hide_set())
                .filter_map(|a| a.get_long())
                .map(|l| format!("--{l}"))
                .collect();
            (s.get_name().to_string(), flags)
        })
        .collect();
    // Not vacuous: the list is the CLI's, new commands included.
    let names: Vec<&str> = subs.iter().map(|(n, _)| n.as_str()).collect();
    for expected in [
        "account",
        "files",
        "rename-folder",
        "sandbox",
        "completions",
        "man",
    ] {
        assert!(
            names.contains(&expected),
            "{expected} missing from {names:?}"
        );
    }
    assert!(
        subs.iter()
            .any(|(n, f)| n == "files" && f.contains(&"--per-page".to_string()))
    );
    subs
}

/// Runs `mp4u ARGS` with no key, a config file that is not TOML (reading it would fail) and an
/// API URL nobody listens on; asserts nothing was contacted.
fn run_offline(args: &[&str]) -> Run {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = dir.path().join("config.toml");
    std::fs::write(&config, "this is [[[ not toml").expect("write config");
    let server = Untouched::new();
    let run = run_mp4u(&config, Some(&server.url()), None, args);
    assert!(!server.was_contacted(), "mp4u {args:?} contacted the API");
    run
}

/// `mp4u completions SHELL`, expected to succeed quietly.
fn script(shell: &str) -> String {
    let run = run_offline(&["completions", shell]);
    run.ok();
    assert!(run.stderr.is_empty(), "stderr: {}", run.stderr);
    run.stdout
}

/// Whether `program` can be started here.
fn installed(program: &str) -> bool {
    let found = Command::new(program)
        .arg("--version")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok();
    if !found {
        eprintln!("note: {program} is not installed; its part of this test is skipped");
    }
    found
}

/// Writes `text` to `dir/name` and returns the path.
fn write(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write");
    path
}

/// Runs a shell command; returns stdout, after asserting success and an empty stderr. HOME and
/// the XDG directories point into `home` so no shell touches the user's files.
fn shell_output(home: &Path, program: &str, args: &[&str]) -> String {
    let out = Command::new(program)
        .args(args)
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_DATA_HOME", home.join("data"))
        .env("XDG_CACHE_HOME", home.join("cache"))
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("run {program}: {e}"));
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && stderr.is_empty(),
        "{program} {args:?}: {}\nstdout: {stdout}\nstderr: {stderr}",
        out.status
    );
    stdout
}

#[test]
fn every_completion_script_names_every_subcommand_and_flag() {
    let subs = subcommands();
    for shell in SHELLS {
        let script = script(shell);
        for (name, flags) in &subs {
            // How each generator lists a subcommand.
            let listed = match shell {
                "bash" => format!("mp4u,{name})"),
                "zsh" => format!("'{name}:"),
                "fish" => format!("-a \"{name}\""),
                _ => format!("'mp4u;{name}'"),
            };
            assert!(script.contains(&listed), "{shell}: no {listed:?}");
            for flag in flags {
                let listed = match shell {
                    "fish" => format!("-l {}", &flag[2..]),
                    _ => flag.clone(),
                };
                assert!(script.contains(&listed), "{shell}: no {listed:?} ({name})");
            }
        }
    }
}

/// Sources the bash script in a clean bash, finds the function it registered for `mp4u`
/// (`complete -p mp4u`), calls it as bash would for the command line `words` (the last word
/// being the one completed) and prints the candidates, one a line.
const BASH_COMPLETE: &str = r#"
source "$1"; shift
spec=$(complete -p mp4u) || exit 3
fn=${spec#*-F }; fn=${fn%% *}
COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 ))
COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
prev=""; (( COMP_CWORD > 0 )) && prev=${COMP_WORDS[COMP_CWORD-1]}
COMPREPLY=()
"$fn" mp4u "${COMP_WORDS[COMP_CWORD]}" "$prev"
printf '%s\n' "${COMPREPLY[@]}"
"#;

fn set(lines: &str) -> BTreeSet<String> {
    lines
        .lines()
        .map(|l| l.split('\t').next().unwrap_or("").to_string())
        .filter(|l| !l.is_empty())
        .collect()
}

fn strings(items: &[&str]) -> BTreeSet<String> {
    items.iter().map(|s| s.to_string()).collect()
}

#[test]
fn bash_checks_and_completes_the_script() {
    let script = script("bash");
    if !installed("bash") {
        return;
    }
    let home = tempfile::tempdir().expect("tempdir");
    let path = write(home.path(), "mp4u.bash", &script);
    let path = path.to_str().expect("utf-8 path");
    shell_output(home.path(), "bash", &["-n", path]);

    let complete = |words: &[&str]| {
        let mut args = vec!["--norc", "--noprofile", "-c", BASH_COMPLETE, "bash", path];
        args.extend_from_slice(words);
        set(&shell_output(home.path(), "bash", &args))
    };
    assert_eq!(complete(&["mp4u", "fi"]), strings(&["files", "find"]));
    assert_eq!(
        complete(&["mp4u", "completions", ""]),
        strings(&["bash", "elvish", "fish", "powershell", "zsh"])
            .union(&strings(&[
                "-h",
                "--help",
                "--api-url",
                "--config",
                "--profile",
                "--json"
            ]))
            .cloned()
            .collect()
    );
    let names: BTreeSet<String> = complete(&["mp4u", ""]);
    for (name, flags) in subcommands() {
        assert!(names.contains(&name), "bash: `mp4u <TAB>` lacks {name}");
        let offered = complete(&["mp4u", &name, "--"]);
        let wanted: BTreeSet<String> = flags.into_iter().collect();
        assert!(
            wanted.is_subset(&offered),
            "bash: `mp4u {name} --<TAB>` offers {offered:?}, not all of {wanted:?}"
        );
    }
    assert_eq!(
        complete(&["mp4u", "files", "--p"]),
        strings(&["--page", "--per-page", "--profile", "--public"])
    );
}

#[test]
fn fish_checks_and_completes_the_script() {
    let script = script("fish");
    if !installed("fish") {
        return;
    }
    let home = tempfile::tempdir().expect("tempdir");
    let path = write(home.path(), "mp4u.fish", &script);
    let path = path.to_str().expect("utf-8 path");
    shell_output(home.path(), "fish", &["--no-execute", path]);

    let complete = |line: &str| {
        let command = format!("source {path}; complete -C '{line}'");
        set(&shell_output(
            home.path(),
            "fish",
            &["--no-config", "-c", &command],
        ))
    };
    assert_eq!(complete("mp4u fi"), strings(&["files", "find"]));
    for (name, flags) in subcommands() {
        let offered = complete(&format!("mp4u {name} --"));
        let wanted: BTreeSet<String> = flags.into_iter().collect();
        assert!(
            wanted.is_subset(&offered),
            "fish: `mp4u {name} --<TAB>` offers {offered:?}, not all of {wanted:?}"
        );
    }
}

#[test]
fn zsh_checks_the_script() {
    let script = script("zsh");
    assert!(script.starts_with("#compdef mp4u"), "{}", &script[..80]);
    if !installed("zsh") {
        return;
    }
    let home = tempfile::tempdir().expect("tempdir");
    let path = write(home.path(), "_mp4u", &script);
    shell_output(
        home.path(),
        "zsh",
        &["-f", "-n", path.to_str().expect("utf-8 path")],
    );
}

#[test]
fn an_unknown_shell_is_a_usage_error() {
    let run = run_offline(&["completions", "tcsh"]);
    assert_eq!(run.code, 2, "{run:#?}");
    assert!(run.stdout.is_empty(), "{run:#?}");
    assert!(
        run.stderr.contains("invalid value 'tcsh'")
            && run
                .stderr
                .contains("possible values: bash, elvish, fish, powershell, zsh"),
        "{}",
        run.stderr
    );
    let run = run_offline(&["completions"]);
    assert_eq!(run.code, 2, "{run:#?}");
    run.complains("<SHELL>");
}

/// `\-` for each `-`: how roff writes a flag or a name with dashes.
fn roff_escaped(text: &str) -> String {
    text.replace('-', "\\-")
}

#[test]
fn the_man_page_holds_every_subcommand_and_flag() {
    let run = run_offline(&["man"]);
    run.ok();
    assert!(run.stderr.is_empty(), "stderr: {}", run.stderr);
    let page = &run.stdout;
    // roff: the apostrophe preamble clap_mangen's roff writes, then the title.
    let body = page
        .strip_prefix(".ie \\n(.g .ds Aq \\(aq\n.el .ds Aq '\n")
        .unwrap_or_else(|| panic!("no roff preamble: {}", &page[..page.len().min(200)]));
    assert!(body.starts_with(".TH mp4u 1 "), "{}", &body[..80]);
    assert_eq!(page.matches(".TH ").count(), 1, "one page, one title");
    for heading in [
        "NAME",
        "SYNOPSIS",
        "DESCRIPTION",
        "OPTIONS",
        "COMMANDS",
        "\"EXIT STATUS\"",
        "ENVIRONMENT",
        "FILES",
        "CONFIGURATION",
        "EXAMPLES",
    ] {
        assert!(page.contains(&format!(".SH {heading}\n")), "no {heading}");
    }
    for (name, flags) in subcommands() {
        // A section of its own, then its flags (the globals are described once, at the top).
        let section = format!(".SS \"mp4u {name}\"\n");
        let start = page
            .find(&section)
            .unwrap_or_else(|| panic!("no section {section:?}"));
        let rest = &page[start + section.len()..];
        let end = [".SS ", ".SH "]
            .iter()
            .filter_map(|m| rest.find(m))
            .min()
            .unwrap_or(rest.len());
        let own = &rest[..end];
        assert!(
            own.contains(&format!("\\fBmp4u {}\\fR", roff_escaped(&name))),
            "{name}: no synopsis in {own}"
        );
        for flag in flags {
            if ["--api-url", "--config", "--profile", "--json", "--help"].contains(&flag.as_str()) {
                continue;
            }
            let listed = format!("\\fB{}\\fR", roff_escaped(&flag));
            assert!(own.contains(&listed), "{name}: no {listed} in {own}");
        }
    }
    // The same help text as --help.
    let help = run_offline(&["files", "--help"]);
    help.ok();
    assert!(
        help.stdout
            .contains("Only files whose name contains this text")
    );
    assert!(page.contains("Only files whose name contains this text"));
}

#[test]
fn the_man_page_renders_without_warnings() {
    let page = run_offline(&["man"]).stdout;
    if !installed("groff") {
        return;
    }
    let mut child = Command::new("groff")
        // Every warning; plain ASCII without overstrikes; no hyphenation, long lines, so the
        // text can be searched.
        .args([
            "-man",
            "-Tascii",
            "-ww",
            "-P",
            "-cbou",
            "-rHY=0",
            "-rLL=250n",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("groff starts");
    use std::io::Write;
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(page.as_bytes())
        .expect("write to groff");
    let out = child.wait_with_output().expect("groff ends");
    let text = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && stderr.is_empty(),
        "groff: {}: {stderr}",
        out.status
    );
    for (name, flags) in subcommands() {
        assert!(
            text.contains(&format!("mp4u {name}")),
            "rendered: no {name}"
        );
        for flag in flags {
            assert!(text.contains(&flag), "rendered: no {flag} ({name})");
        }
    }
}
