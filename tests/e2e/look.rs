//! The user's terminal and config, through the real binary: `NO_COLOR` (the cursor in reverse
//! video, no colour sent), a 16-colour terminal (no colour beyond the 16 ANSI ones sent), and a
//! config file that moves rename to `R`.

use std::path::{Path, PathBuf};
use std::thread;
use std::time::{Duration, Instant};

use crate::common::e2e::{E01, Run, Setup};
use crate::common::pty::{ESC, F2, TAB, TIMEOUT, Tui};

/// Writes the config file (readable by its owner only, as mp4u wants it).
fn config(dir: &Path, text: &str) -> Vec<PathBuf> {
    use std::os::unix::fs::PermissionsExt;
    let path = dir.join("config.toml");
    std::fs::write(&path, text).expect("write the config");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    Vec::new()
}

fn start(env: &[(&str, &str)], config_text: &str) -> Run {
    Run::start(
        Setup {
            env,
            ..Setup::default()
        },
        |_| {},
        |dir| config(dir, config_text),
    )
}

/// Waits until a run of reversed cells contains `text`.
#[track_caller]
fn wait_reversed(tui: &Tui, text: &str) {
    let deadline = Instant::now() + TIMEOUT;
    loop {
        let runs = tui.reversed();
        if runs.iter().any(|r| r.contains(text)) {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "{text:?} was not drawn reversed within {TIMEOUT:?}; reversed: {runs:?}; the \
             screen:\n{}",
            tui.screen()
        );
        thread::sleep(Duration::from_millis(50));
    }
}

/// The colours of the SGR sequences in `raw` that a 16-colour terminal cannot show: a
/// 256-colour index above 15 (`38;5;N`, `48;5;N`), or RGB (`38;2;…`).
fn colours_beyond_16(raw: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(raw);
    let mut found = Vec::new();
    for sequence in text.split("\x1b[").skip(1) {
        let Some(end) = sequence.find(|c: char| !(c.is_ascii_digit() || c == ';')) else {
            continue;
        };
        if !sequence[end..].starts_with('m') {
            continue;
        }
        let params: Vec<&str> = sequence[..end].split(';').collect();
        let mut i = 0;
        while i < params.len() {
            if matches!(params[i], "38" | "48" | "58") {
                match params.get(i + 1) {
                    Some(&"5") => {
                        let index: u16 =
                            params.get(i + 2).and_then(|n| n.parse().ok()).unwrap_or(0);
                        if index > 15 {
                            found.push(sequence[..end].to_string());
                        }
                        i += 2;
                    }
                    Some(&"2") => {
                        found.push(sequence[..end].to_string());
                        i += 4;
                    }
                    _ => {}
                }
            }
            i += 1;
        }
    }
    found
}

#[test]
fn no_color_shows_the_cursor_in_reverse_video_and_sends_no_colour() {
    let mut run = start(&[("NO_COLOR", "1")], "");
    run.wait_ready();
    // The tree has the focus at start: its cursor, and the keys of the key bar.
    wait_reversed(&run.tui, "/ (root)");
    let runs = run.tui.reversed();
    assert!(runs.iter().any(|r| r == "F2"), "{runs:?}");
    // The file list's cursor, once it has the focus.
    run.open_frieren_season_1();
    run.tui.send(TAB);
    wait_reversed(&run.tui, E01);
    // Marked: the mark shows, the cursor moves on and stays visible.
    run.tui.press(" ", &format!("● {E01}"));
    wait_reversed(&run.tui, "Frieren - S01E02");
    assert_eq!(run.tui.coloured_cells(), Vec::new(), "no colour on screen");
    run.quit();
    let raw = run.tui.raw_output();
    let colours = colours_beyond_16(&raw);
    assert!(colours.is_empty(), "{colours:?}");
    run.assert_key_kept_secret();
}

/// Opens the rename popup (its input has a background of its own: a 256-colour gray where
/// the terminal has one), closes it and quits; the colours beyond the 16 that were sent.
fn open_rename_and_quit(run: &mut Run) -> Vec<String> {
    run.wait_ready();
    run.tui.press("j", "Files · /Anime ·");
    run.tui.press(F2, "Rename folder");
    run.tui.press_away(ESC, "Rename folder");
    run.quit();
    colours_beyond_16(&run.tui.raw_output())
}

#[test]
fn a_16_colour_terminal_gets_only_the_16_colours() {
    let mut run = start(&[("TERM", "xterm")], "");
    run.tui.wait_highlight("/ (root)");
    let colours = open_rename_and_quit(&mut run);
    assert!(
        colours.is_empty(),
        "sent to a 16-colour terminal: {colours:?}"
    );
}

#[test]
fn the_same_on_a_256_colour_terminal_uses_its_gray() {
    // The check above can fail: on a 256-colour terminal the input's gray is one of its own.
    let mut run = start(&[], "");
    let colours = open_rename_and_quit(&mut run);
    assert!(
        colours.iter().any(|c| c.contains("48;5;236")),
        "{colours:?}"
    );
}

#[test]
fn a_config_moves_rename_to_capital_r() {
    let mut run = start(&[], "# my keys\n[keys]\nrename = \"R\"\n");
    run.open_frieren_season_1();
    run.focus_files(E01);
    let screen = run.tui.screen();
    let bar = screen
        .lines()
        .rfind(|l| l.contains("Help"))
        .unwrap_or_default();
    assert!(bar.contains("R Rename"), "the key bar: {bar}");
    assert!(!bar.contains("F2"), "the key bar: {bar}");
    // R renames.
    run.tui.press("R", "Rename file");
    run.tui.press_away(ESC, "Rename file");
    // r does not: the help opens after it (in a popup, F1 would do nothing), and says R.
    run.tui.send("r");
    run.tui.send("\x1bOP");
    let help = run.tui.wait_text("Help · mp4u");
    assert!(!help.contains("Rename file"), "{help}");
    assert!(help.contains(" R  rename the highlighted"), "{help}");
    run.tui.press_away(ESC, "Help · mp4u");
    run.quit_keeping_the_key_secret();
}

#[test]
fn a_wrong_config_is_said_and_the_program_runs() {
    let clash = "n is bound to both rename and new_folder in Browser: rename keeps it";
    let colour = "accent = \"orang\" is not a colour";
    let mut run = start(&[], "[keys]\nrename = \"n\"\n[theme]\naccent = \"orang\"\n");
    run.wait_ready();
    // In the message log (the notice at start fades).
    run.tui.press("M", clash);
    run.tui.wait_text(colour);
    run.tui.press_away(ESC, clash);
    run.quit();
    // And on stderr, which stays on the terminal after the program ends.
    let after = run.tui.screen();
    assert!(
        after.contains(&format!("mp4u: config: [keys] {clash}")),
        "{after}"
    );
    assert!(after.contains("mp4u: config: [theme] accent"), "{after}");
}
