//! End to end: answers reach the request that asked, on a slow server; and a terminal too small
//! to draw takes no key but quit. The real binary in a pty.

use std::time::Duration;

use crate::common::e2e::{E01, Run, Setup};
use crate::common::pty::{ENTER, TAB};
use mp4u::sandbox::{ApiFaults, SandboxConfig};

#[test]
fn a_slow_renames_answer_never_closes_the_new_folder_being_typed() {
    let mut run = Run::start(
        Setup {
            config: SandboxConfig::default(),
            ..Setup::default()
        },
        |_| {},
        |_| Vec::new(),
    );
    run.wait_ready();
    run.open_frieren_season_1();
    // Every call now takes 2.5 s: the rename is on its way while the user goes on.
    run.sandbox.set_api_faults(ApiFaults {
        latency_ms: 2_500,
        ..ApiFaults::default()
    });
    run.tui.send(TAB); // the file list
    run.tui.press("r", "Rename file");
    run.tui.press(ENTER, "Renaming…");
    run.tui.esc();
    run.tui.wait_text("goes on");
    run.tui.send(TAB); // the tree: the new folder goes into the highlighted folder
    run.tui.press("n", "New folder");
    run.tui.send("Season 2");
    // The rename's answer arrives (a notice), and the popup being typed stays as it was.
    let screen = run
        .tui
        .wait_for("the rename's notice", |s| s.contains("Renamed 1 file"));
    assert!(screen.contains("New folder"), "{screen}");
    assert!(screen.contains("Season 2"), "{screen}");
    run.sandbox.set_api_faults(ApiFaults::default());
    run.tui.esc_away("New folder");
    // The message log has it too.
    run.tui.press("M", &format!("Renamed 1 file to {E01}"));
    run.tui.esc();
    run.quit_keeping_the_key_secret();
}

#[test]
fn on_a_terminal_too_small_to_draw_keys_other_than_quit_do_nothing() {
    let mut run = Run::demo(120, 35);
    run.wait_ready();
    run.open_frieren_season_1();
    run.tui.resize(20, 6);
    run.tui.wait_text("Enlarge");
    // Tab and c would be a clone the user cannot see; Enter would confirm it.
    run.tui.send(TAB);
    run.tui.send("c");
    run.tui.send(ENTER);
    run.tui.send("n");
    std::thread::sleep(Duration::from_millis(300));
    run.tui.resize(120, 35);
    let screen = run
        .tui
        .wait_text("Files · /Anime/Frieren/Season 1 · 28 files");
    assert!(!screen.contains("Are you sure"), "{screen}");
    assert!(!screen.contains("New folder"), "{screen}");
    assert_eq!(
        run.state().files_in(crate::common::e2e::FRIEREN_S1).len(),
        28,
        "no copy made"
    );
    // Quit still works while small.
    run.tui.resize(20, 6);
    run.tui.wait_text("Enlarge");
    run.quit();
}
