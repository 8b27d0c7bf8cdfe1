//! `mp4u keys`: the file manager's keys in effect, read from the config file alone (no API key,
//! no network), with what is wrong in `[keys]` on stderr.

use crate::common::{Untouched, run_mp4u};

/// `mp4u keys ARGS` with a config file holding `config` (`None`: no file at all).
fn keys(config: Option<&str>, args: &[&str]) -> crate::common::Run {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("config.toml");
    if let Some(text) = config {
        std::fs::write(&path, text).expect("write config");
    }
    let server = Untouched::new();
    let mut all = vec!["keys"];
    all.extend(args);
    let run = run_mp4u(&path, Some(&server.url()), None, &all);
    assert!(!server.was_contacted(), "mp4u keys contacted the API");
    run
}

/// The line of `action` in the `context` block of the text output.
fn line<'a>(stdout: &'a str, context: &str, action: &str) -> &'a str {
    stdout
        .split("\n\n")
        .find(|block| block.starts_with(&format!("{context}\n")))
        .and_then(|block| {
            block.lines().find(|l| {
                l.get(2..)
                    .is_some_and(|l| l.starts_with(&format!("{action} ")))
            })
        })
        .unwrap_or_else(|| panic!("no {action} in {context}:\n{stdout}"))
}

#[test]
fn without_a_config_the_defaults() {
    let run = keys(None, &[]);
    run.ok();
    assert!(run.stderr.is_empty(), "{}", run.stderr);
    run.says("the defaults (no config file)");
    let rename = line(&run.stdout, "Browser", "rename");
    assert!(rename.starts_with("  rename "), "{rename}");
    assert!(rename.contains(" F2, r "), "{rename}");
    // Every context, every action name.
    for context in mp4u::app::keys::CONTEXTS {
        assert!(
            run.stdout.contains(&format!("\n{}\n", context.title)),
            "{}",
            context.title
        );
    }
    for action in mp4u::app::keys::Action::ALL {
        assert!(
            run.stdout.contains(&format!("  {} ", action.name())),
            "{}",
            action.name()
        );
    }
}

#[test]
fn a_config_moves_rename_to_capital_r() {
    let run = keys(
        Some("[keys]\nrename = \"R\"\nupload = [\"u\", \"F8\"]\n"),
        &[],
    );
    run.ok();
    assert!(run.stderr.is_empty(), "{}", run.stderr);
    let rename = line(&run.stdout, "Browser", "rename");
    assert!(rename.starts_with("* rename "), "{rename}");
    assert!(rename.contains(" R "), "{rename}");
    assert!(!rename.contains("F2"), "{rename}");
    let upload = line(&run.stdout, "Transfers view", "upload");
    assert!(upload.contains(" u, F8 "), "{upload}");
    assert!(line(&run.stdout, "Browser", "clone").contains(" F5, c "));
}

#[test]
fn json_for_scripts() {
    let run = keys(Some("[keys]\nrename = \"R\"\n"), &["--json"]);
    let json = run.json();
    let browser = &json["contexts"][0];
    assert_eq!(browser["context"], "Browser");
    let rename = browser["keys"]
        .as_array()
        .expect("keys")
        .iter()
        .find(|k| k["action"] == "rename")
        .expect("rename");
    assert_eq!(rename["keys"], serde_json::json!(["R"]));
    assert_eq!(rename["changed"], true);
    assert_eq!(json["problems"], serde_json::json!([]));
}

#[test]
fn what_is_wrong_goes_to_stderr_and_the_rest_still_prints() {
    let run = keys(
        Some("[keys]\nrename = \"n\"\nrenmae = \"x\"\nquit = \"ctrl-c\"\n"),
        &[],
    );
    run.ok();
    let said = run.stderr_lines();
    for expected in [
        "mp4u: config: [keys] n is bound to both rename and new_folder in Browser: rename keeps it",
        "mp4u: config: [keys] has no action \"renmae\" (did you mean rename?); ignored (`mp4u keys` lists the actions)",
        "mp4u: config: [keys] quit: \"ctrl-c\" cannot be bound: Ctrl-C quits and Ctrl-Z suspends, everywhere",
    ] {
        assert!(said.contains(&expected), "{expected:?} not in {said:#?}");
    }
    assert!(line(&run.stdout, "Browser", "quit").contains(" q, F10 "));
    assert!(line(&run.stdout, "Browser", "new_folder").contains(" F7 "));
}

#[test]
fn a_config_that_is_not_toml_is_an_error() {
    let run = keys(Some("this is [[[ not toml"), &[]);
    // A config error has an exit status of its own, and says where.
    assert_eq!(run.code, 3, "{run:#?}");
    run.complains("cannot be used: line 1, column");
}
