//! End to end against the live service's ways (the sandbox's quirks): listings capped at 25
//! files a page, search results whose listing names no folder, a move into the folder that
//! keeps failing, a lost upload reply whose look-up cannot finish, and many uploads into a
//! long folder. The real binary in a pty; what it shows must be right, or say it is unsure.

use std::path::Path;

use crate::common::e2e::{FRIEREN_S1, Run, Setup, transfer_row};
use crate::common::pty::{ENTER, INSERT};
use crate::common::random_file;
use mp4u::sandbox::{ApiFaults, Quirks, SandboxConfig, SandboxState, UploadFaults};

/// Not the demo key (see the uploads tests): the leak check must be able to tell.
const KEY: &str = "k7q2x9m4w8z3p6t1r5v0";

fn start(
    quirks: Quirks,
    seed: impl FnOnce(&SandboxState),
    prepare: impl FnOnce(&Path) -> Vec<std::path::PathBuf>,
) -> Run {
    Run::start(
        Setup {
            config: SandboxConfig {
                key: KEY.into(),
                quirks,
                ..SandboxConfig::default()
            },
            ..Setup::default()
        },
        seed,
        prepare,
    )
}

impl Run {
    /// `u` on the highlighted folder, then the file `name` of the working directory.
    fn upload(&mut self, folder: &str, name: &str) {
        self.tui.press("u", &format!("Upload into {folder}"));
        self.tui.send(name);
        self.tui.press(ENTER, "Transfers");
    }
}

#[test]
fn a_folder_listed_under_a_page_cap_of_25_shows_every_file() {
    let mut run = start(
        Quirks {
            page_cap: Some(25),
            ..Quirks::default()
        },
        |_| {},
        |_| Vec::new(),
    );
    run.wait_ready();
    run.open_frieren_season_1();
    // 28 episodes: two pages of the server's, and the title says the listing is whole.
    let screen = run
        .tui
        .wait_text("Files · /Anime/Frieren/Season 1 · 28 files");
    assert!(!screen.contains("so far"), "{screen}");
    run.tui.press("G", "S01E28");
    run.quit_keeping_the_key_secret();
}

#[test]
fn search_results_whose_listing_names_no_folder_find_it_and_enter_opens_it() {
    let mut run = start(
        Quirks {
            no_fld_id: true,
            page_cap: Some(25),
            ..Quirks::default()
        },
        |_| {},
        |_| Vec::new(),
    );
    run.wait_ready();
    run.tui.press("f", "Find files across the account");
    run.tui.send("S01E27");
    run.tui.send(ENTER);
    // Never "/" for a file whose folder is not known: "…" until the walk finds it.
    let screen = run.tui.wait_for("the result's folder found", |s| {
        s.contains("Frieren - S01E27") && s.contains("/Anime/Frieren/Season 1")
    });
    let row = screen
        .lines()
        .find(|l| l.contains("S01E27"))
        .expect("the row");
    assert!(
        !row.trim_end_matches('│').trim_end().ends_with(" /"),
        "{row}"
    );
    run.tui.send(ENTER);
    run.tui.wait_for("the file in its folder", |s| {
        s.contains("Files · /Anime/Frieren/Season 1") && !s.contains("Find files")
    });
    run.quit_keeping_the_key_secret();
}

#[test]
fn an_upload_whose_move_fails_says_it_is_in_the_root_and_m_moves_it() {
    let name = "S02E01.mp4";
    let mut run = start(
        Quirks {
            fail_set_folder: true,
            ..Quirks::default()
        },
        |_| {},
        |dir| vec![random_file(dir, name, 200_000, 7).0],
    );
    run.wait_ready();
    run.open_frieren_season_1();
    run.upload("/Anime/Frieren/Season 1", name);
    let screen = run.tui.wait_for("the upload left in /", |s| {
        transfer_row(s, name).is_some_and(|(head, detail)| {
            head.contains("in /") && head.ends_with("not moved") && detail.contains("m moves it")
        })
    });
    assert!(!screen.contains(&format!("{name} → /Anime")), "{screen}");
    let code = run.state().find_by_name(name)[0].code.clone();
    assert_eq!(run.state().file(&code).expect("there").fld_id, 0);
    // The server takes moves again; m moves it.
    run.sandbox.set_quirks(Quirks::default());
    run.tui.send("m");
    run.tui.wait_for("the upload in its folder", |s| {
        transfer_row(s, name).is_some_and(|(head, _)| {
            head.contains("→ /Anime/Frieren/Season 1") && head.ends_with("done")
        })
    });
    assert_eq!(run.state().file(&code).expect("there").fld_id, FRIEREN_S1);
    run.tui.esc_away("Transfers");
    run.quit_keeping_the_key_secret();
}

#[test]
fn a_lost_reply_that_cannot_be_checked_is_unknown_and_retry_never_makes_a_second_copy() {
    let name = "lost reply.mp4";
    let mut run = start(
        Quirks::default(),
        |_| {},
        |dir| vec![random_file(dir, name, 300_000, 8).0],
    );
    run.wait_ready();
    // Half a second of sending; then the reply is lost, and every API call fails.
    run.sandbox.set_upload_faults(UploadFaults {
        drop_reply: true,
        bytes_per_sec: Some(600_000),
        ..UploadFaults::default()
    });
    run.upload("/", name);
    std::thread::sleep(std::time::Duration::from_millis(150));
    run.sandbox.set_api_faults(ApiFaults::failing());
    run.tui.wait_for("the upload unknown", |s| {
        transfer_row(s, name).is_some_and(|(head, detail)| {
            head.ends_with("unknown") && detail.contains("may be on the account")
        })
    });
    assert_eq!(run.state().find_by_name(name).len(), 1, "it did arrive");
    // R while the API still fails: it looks (and stays unknown), sends nothing.
    run.tui.send("R");
    run.tui.wait_for("still unknown", |s| {
        s.contains("still unknown")
            && transfer_row(s, name).is_some_and(|(head, _)| head.ends_with("unknown"))
    });
    assert_eq!(run.state().find_by_name(name).len(), 1);
    // The API is back: R finds it, and says done. Still one copy.
    run.sandbox.set_api_faults(ApiFaults::default());
    run.sandbox.set_upload_faults(UploadFaults::default());
    run.tui.send("R");
    run.tui.wait_for("the upload found", |s| {
        transfer_row(s, name).is_some_and(|(head, _)| head.ends_with("done"))
    });
    assert_eq!(
        run.state().find_by_name(name).len(),
        1,
        "never a second copy"
    );
    run.tui.esc_away("Transfers");
    run.quit_keeping_the_key_secret();
}

#[test]
fn thirty_uploads_into_a_long_folder_list_it_once_and_ask_the_account_a_few_times() {
    let mut big = 0;
    let mut run = start(
        Quirks::default(),
        |state| {
            big = state.create_folder(0, "AAA Long").expect("folder");
            state.generate_files(big, 1_500, "old");
        },
        |dir| {
            (0..30)
                .map(|i| random_file(dir, &format!("clip {i:02}.mp4"), 4_000, i).0)
                .collect()
        },
    );
    run.wait_ready();
    run.tui.press("j", "Files · /AAA Long · 1,500 files");
    let lists = run.sandbox.calls_of("file/list");
    let accounts = run.sandbox.calls_of("account/info");
    // The picker: mark every clip, upload them.
    run.tui.press("u", "Upload into /AAA Long");
    run.tui.press("clip", "clip 17.mp4");
    for _ in 0..30 {
        run.tui.send(INSERT);
    }
    run.tui.wait_text("30 files marked");
    run.tui.press(ENTER, "30 done");
    run.tui.esc();
    run.tui.wait_text("Files · /AAA Long · 1,530 files");
    // Let the last account refresh land.
    std::thread::sleep(std::time::Duration::from_millis(500));
    let lists = run.sandbox.calls_of("file/list") - lists;
    let accounts = run.sandbox.calls_of("account/info") - accounts;
    assert_eq!(lists, 0, "no listing asked again for the uploads");
    assert!(
        (1..=6).contains(&accounts),
        "{accounts} account calls for 30 uploads (every few seconds, and once at the end)"
    );
    assert_eq!(run.state().files_in(big).len(), 1_530);
    run.quit_keeping_the_key_secret();
}
