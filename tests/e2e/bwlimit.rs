//! End to end: the upload limit in the file manager. `bwlimit` in the config file starts it,
//! the transfers view shows it, and `b` changes it while an upload runs: the upload follows.

use crate::common::e2e::{Run, Setup, transfer_row};
use crate::common::pty::{CTRL_U, ENTER};
use crate::common::{random_file, sha256_hex};
use mp4u::sandbox::SandboxConfig;

/// Not the demo key (see `uploads.rs`: the leak check needs a key the log cannot hold by chance).
const KEY: &str = "b3w9x2m7q4z8p1t6r5v0";

#[test]
fn the_config_limit_shows_and_b_lifts_it_while_the_upload_runs() {
    // Twenty seconds at 200 kB/s: lifted, it ends within the screen's wait (ten seconds).
    let size = 4_000_000;
    let mut bytes = Vec::new();
    let mut run = Run::start(
        Setup {
            config: SandboxConfig {
                key: KEY.into(),
                demo_data: false,
                ..SandboxConfig::default()
            },
            ..Setup::default()
        },
        |_| {},
        |dir| {
            std::fs::write(dir.join("config.toml"), "bwlimit = \"200K\"\n").expect("config");
            bytes = random_file(dir, "clip.mp4", size, 9).1;
            Vec::new()
        },
    );
    run.tui
        .wait_for("the browser and the account", |s| s.contains(" used"));
    run.tui.press("u", "Upload into /");
    run.tui.send("clip.mp4");
    run.tui.send(ENTER);
    let screen = run.tui.wait_for("the upload under way at the limit", |s| {
        s.contains("· limit 200 kB/s")
            && transfer_row(s, "clip.mp4").is_some_and(|(_, line)| line.contains("kB/s"))
    });
    assert!(screen.contains("b Limit"), "the key is offered:\n{screen}");
    let state = run.state();
    assert!(
        state.upload_bytes() < size as u64 / 2,
        "held to the limit: {} bytes arrived already",
        state.upload_bytes()
    );

    run.tui.press("b", "Upload limit");
    run.tui.wait_text("All uploads together, now: 200 kB/s");
    run.tui.send(CTRL_U);
    run.tui.send("0");
    run.tui.send(ENTER);
    let screen = run.tui.wait_for("the upload done, with no limit", |s| {
        s.contains("· no limit")
            && transfer_row(s, "clip.mp4").is_some_and(|(head, _)| head.ends_with("done"))
    });
    assert!(
        !screen.contains("Upload limit"),
        "the popup closed:\n{screen}"
    );
    let found = state.find_by_name("clip.mp4");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(
        found[0].sha256.as_deref(),
        Some(sha256_hex(&bytes).as_str())
    );

    // q closes the view, then quits.
    run.tui.press("q", "Files · / · 1 file");
    run.quit_keeping_the_key_secret();
}
