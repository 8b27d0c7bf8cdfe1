//! End to end: the real `mp4u` binary in a pseudo-terminal, on a sandbox server started by the
//! test. Each test types keys, waits for the screen to show what it expects (no sleeps), and
//! then checks what the sandbox holds. Every test ends by checking that the API key appeared
//! nowhere: not in anything the program wrote to the terminal, not in its log.

use crate::common::e2e::{
    ANIME, DUNGEON_MESHI_S1, E01, E01_CODE, E02, FRIEREN_S1, Run, Setup, assert_terminal_restored,
    whole_key_bar,
};
use crate::common::pty::{BACKSPACE, CTRL_U, CTRL_Z, ENTER, F2, SPACE, Tui, job_stopped};
use mp4u::sandbox::FileRecord;

/// While the program runs: raw mode on the alternate screen.
#[track_caller]
fn assert_terminal_raw(tui: &Tui) {
    assert!(!tui.cooked(), "raw mode: {:?}", tui.local_flags());
    assert!(
        tui.alternate_screen(),
        "the program draws on the alternate screen"
    );
}

fn names(files: &[FileRecord]) -> Vec<String> {
    let mut v: Vec<String> = files.iter().map(|f| f.name.clone()).collect();
    v.sort();
    v
}

#[test]
fn start_shows_the_tree_the_files_the_account_and_the_key_bar() {
    let mut run = Run::demo(120, 35);
    let screen = run.wait_ready();
    for folder in ["Anime", "Movies", "Tutorials", "Gaming", "Family", "Drone"] {
        assert!(screen.contains(folder), "{folder} in the tree:\n{screen}");
    }
    assert!(screen.contains("Folders"), "{screen}");
    let last = screen.lines().last().unwrap_or_default();
    for key in ["F1 Help", "F2 Rename", "q Quit"] {
        assert!(last.contains(key), "{key} in the key bar: {last:?}");
    }
    assert!(whole_key_bar(last), "the whole key bar: {last:?}");
    assert_terminal_raw(&run.tui);
    run.quit_keeping_the_key_secret();
}

#[test]
fn open_a_folder_deep_in_the_tree_lists_its_files() {
    let mut run = Run::demo(120, 35);
    run.open_frieren_season_1();
    let screen = run.tui.screen();
    for file in &run.state().files_in(FRIEREN_S1) {
        // The first 28 rows fit: every file of the folder is on screen.
        assert!(
            screen.contains(&file.name),
            "{} listed:\n{screen}",
            file.name
        );
    }
    // The tree's cursor is on the folder.
    run.tui.wait_highlight("Season 1");
    // Backspace goes to the parent folder.
    run.tui.press(BACKSPACE, "Files · /Anime/Frieren · 2 files");
    run.tui.wait_highlight("Frieren");
    run.quit_keeping_the_key_secret();
}

#[test]
fn rename_a_file() {
    let mut run = Run::demo(120, 35);
    run.open_frieren_season_1();
    run.focus_files(E01);
    run.tui.press("r", "Rename file");
    run.tui.send(CTRL_U);
    run.tui.press("Frieren - Pilot.mp4", "Frieren - Pilot.mp4");
    run.tui.send(ENTER);
    // The list shows the new name and no longer the old one.
    run.tui.wait_for("the renamed file in the list", |s| {
        s.contains("Frieren - Pilot.mp4")
            && !s.contains(E01)
            && !s.contains("Rename file")
            && s.contains("28 files")
    });
    let state = run.state();
    let file = state.file(E01_CODE).expect("the file is still there");
    assert_eq!(file.name, "Frieren - Pilot.mp4");
    assert_eq!(file.fld_id, FRIEREN_S1);
    assert_eq!(state.find_by_name("Frieren - Pilot.mp4").len(), 1);
    assert!(state.find_by_name(E01).is_empty());
    run.quit_keeping_the_key_secret();
}

#[test]
fn create_a_folder() {
    let mut run = Run::demo(120, 35);
    run.wait_ready();
    run.tui.press("j", "Files · /Anime · 1 file");
    run.tui.press("n", "Inside /Anime");
    run.tui.press("Specials 2025", "Specials 2025");
    run.tui.send(ENTER);
    // The popup closes and the folder shows in the tree under Anime.
    run.tui.wait_for("the new folder in the tree", |s| {
        s.contains("Specials 2025") && !s.contains("Inside /Anime")
    });
    let subfolders = run.state().subfolders(ANIME);
    let created = subfolders
        .iter()
        .find(|f| f.name == "Specials 2025")
        .unwrap_or_else(|| panic!("Specials 2025 in /Anime: {subfolders:?}"));
    assert_eq!(created.parent_id, ANIME);
    assert_eq!(
        run.state().folder(created.fld_id).map(|f| f.name),
        Some("Specials 2025".to_string())
    );
    run.quit_keeping_the_key_secret();
}

#[test]
fn clone_a_file_shows_its_link() {
    let mut run = Run::demo(120, 35);
    run.open_frieren_season_1();
    run.focus_files(E01);
    let before = run.state().files_in(FRIEREN_S1).len();
    run.tui.send("c");
    // Asked first: there is no delete call.
    run.tui.wait_text("Are you sure");
    run.tui.send(ENTER);
    let prefix = format!("{}/", run.sandbox.base_url());
    // A link whose code the server knows: a frame read half-way cannot pass for it.
    let state = run.state();
    let link_code = |screen: &str| -> Option<String> {
        screen.lines().find_map(|line| {
            let (_, rest) = line.split_once(&prefix)?;
            let code: String = rest
                .chars()
                .take_while(char::is_ascii_alphanumeric)
                .collect();
            state.file(&code).map(|_| code)
        })
    };
    let screen = run
        .tui
        .wait_for("the link of the clone", |s| link_code(s).is_some());
    let code = link_code(&screen).expect("a link on screen");
    assert_ne!(
        code, E01_CODE,
        "the link is the clone's, not the original's"
    );
    run.tui.esc();
    run.tui
        .wait_for("the popup closed and the clone listed", |s| {
            !s.contains(&prefix) && s.contains(&format!("{} files", before + 1))
        });

    let state = run.state();
    let clone = state.file(&code).expect("the clone on the server");
    assert_eq!(clone.name, E01);
    assert_eq!(clone.fld_id, FRIEREN_S1);
    assert_eq!(state.files_in(FRIEREN_S1).len(), before + 1);
    assert_eq!(state.find_by_name(E01).len(), 2);
    assert!(state.file(E01_CODE).is_some(), "the original stays");
    run.quit_keeping_the_key_secret();
}

#[test]
fn move_two_marked_files_to_a_folder_chosen_in_the_picker() {
    let mut run = Run::demo(120, 35);
    run.open_frieren_season_1();
    run.focus_files(E01);
    let target_before = run.state().files_in(DUNGEON_MESHI_S1).len();
    run.tui.send(SPACE);
    run.tui.wait_highlight(E02);
    run.tui.press(SPACE, "2 marked");
    run.tui.press("m", "Move 2 files to");
    run.tui.send("dungeon season");
    run.tui.wait_highlight("/Anime/Dungeon Meshi/Season 1");
    run.tui.send(ENTER);
    run.tui.wait_for("the moved files gone from the list", |s| {
        !s.contains("Move 2 files")
            && s.contains("Files · /Anime/Frieren/Season 1 · 26 files")
            && !s.contains(E01)
            && !s.contains(E02)
    });

    let state = run.state();
    let source = names(&state.files_in(FRIEREN_S1));
    assert_eq!(source.len(), 26);
    assert!(!source.iter().any(|n| n == E01 || n == E02), "{source:?}");
    let target = names(&state.files_in(DUNGEON_MESHI_S1));
    assert_eq!(target.len(), target_before + 2);
    assert!(target.iter().any(|n| n == E01), "{target:?}");
    assert!(target.iter().any(|n| n == E02), "{target:?}");
    assert_eq!(
        state.file(E01_CODE).map(|f| f.fld_id),
        Some(DUNGEON_MESHI_S1)
    );
    run.quit_keeping_the_key_secret();
}

#[test]
fn an_empty_name_is_refused_in_the_popup_and_nothing_is_sent() {
    let mut run = Run::demo(120, 35);
    run.open_frieren_season_1();
    run.focus_files(E01);
    let before = run.state().files_in(FRIEREN_S1);
    // F2 this time: the function key does what `r` does.
    run.tui.press(F2, "Rename file");
    run.tui.send(CTRL_U);
    run.tui.press(ENTER, "The name is empty");
    // Whitespace only is empty too.
    run.tui.press_away("   ", "The name is empty");
    run.tui.press(ENTER, "The name is empty");
    run.tui.esc();
    run.tui
        .wait_for("the popup closed, the list as it was", |s| {
            !s.contains("The name is empty") && s.contains(E01) && s.contains("28 files")
        });
    // Once the program is gone nothing can still be on its way to the server.
    run.quit();
    let after = run.state().files_in(FRIEREN_S1);
    assert_eq!(names(&after), names(&before));
    assert_eq!(run.state().file(E01_CODE).map(|f| f.name), Some(E01.into()));
    run.assert_key_kept_secret();
}

#[test]
fn quit_restores_the_terminal() {
    let mut run = Run::demo(120, 35);
    run.wait_ready();
    assert_terminal_raw(&run.tui);
    run.quit_keeping_the_key_secret();
}

#[test]
fn sigterm_exits_cleanly_and_restores_the_terminal() {
    let mut run = Run::demo(120, 35);
    run.wait_ready();
    assert_terminal_raw(&run.tui);
    run.tui.signal("TERM");
    let status = run.tui.wait_exit();
    assert!(status.success(), "exit after SIGTERM: {status:?}");
    assert_terminal_restored(&run.tui);
    run.assert_key_kept_secret();
}

#[test]
fn small_terminals_and_resizing() {
    let mut run = Run::demo(80, 24);
    let screen = run.wait_ready();
    let last = screen.lines().last().unwrap_or_default();
    assert!(
        whole_key_bar(last),
        "the whole key bar at 80 columns: {last:?}"
    );

    run.tui.resize(30, 8);
    run.tui.wait_text("Enlarge the terminal");
    run.tui.resize(100, 30);
    let screen = run.tui.wait_for("the browser again", |s| {
        !s.contains("Enlarge the terminal")
            && s.contains("Folders")
            && s.contains("Files · / · 24 files")
            && s.lines().last().is_some_and(whole_key_bar)
    });
    assert!(screen.contains("demo@mp4u.example"), "{screen}");
    run.quit();
    let raw = String::from_utf8_lossy(&run.tui.raw_output()).into_owned();
    assert!(!raw.contains("panicked"), "a panic was reported:\n{raw}");
    run.assert_key_kept_secret();
}

/// After a clone the folder's listing is asked again; when it arrives (in the server's order,
/// not the list's) the cursor is still on the file it was on, so the next key acts on it.
#[test]
fn the_cursor_stays_on_the_cloned_file() {
    let mut run = Run::demo(120, 35);
    run.open_frieren_season_1();
    run.focus_files(E01);
    run.tui.press("c", "Are you sure");
    run.tui.press("y", "Copy of");
    run.tui.esc();
    // The copy shows at once without an upload date ("—"); the reloaded listing brings it.
    run.tui
        .wait_for("the reloaded listing with the clone", |s| {
            !s.contains("Copy of") && s.contains("29 files") && !s.contains('—')
        });
    let runs = run.tui.highlighted();
    assert!(
        runs.iter().any(|r| r.contains(E01)),
        "the cursor left {E01}: {runs:?}"
    );
    run.quit();
}

impl Run {
    /// The demo, started as a job of a shell with job control, as from a user's shell.
    fn demo_as_a_job() -> Run {
        Run::start(
            Setup {
                job_control: true,
                ..Setup::default()
            },
            |_| {},
            |_| Vec::new(),
        )
    }

    /// The job stopped the `n`th time, the shell said so, and the terminal is as it was before
    /// the program.
    fn wait_job_stopped(&self, n: u32) {
        self.tui.wait_text(&job_stopped(n));
        self.tui.wait_stopped();
        assert_terminal_restored(&self.tui);
    }

    /// The terminal resized while the job is stopped (the program gets no SIGWINCH then: the
    /// shell has the terminal), then Enter: the shell continues it (`fg`), and the program
    /// takes the terminal again and draws the browser whole, at the new size.
    fn resize_and_continue(&mut self) {
        self.tui.resize(100, 30);
        self.tui.send(ENTER);
        self.tui
            .wait_for("the browser drawn again at 100 columns", |s| {
                let lines: Vec<&str> = s.lines().collect();
                s.contains("▾ / (root)")
                    && s.contains("Files · / · 24 files")
                    && s.contains("demo@mp4u.example")
                    && lines
                        .first()
                        .is_some_and(|l| l.chars().count() == 100 && l.ends_with('┐'))
                    && lines.last().is_some_and(|l| whole_key_bar(l))
            });
        assert_ne!(self.tui.process_state(), 'T', "running again");
        assert_terminal_raw(&self.tui);
    }
}

/// Ctrl-Z gives the terminal back and stops the program as a shell's job; `fg` brings it back
/// whole, and it goes on working.
#[test]
fn ctrl_z_suspends_and_fg_resumes() {
    let mut run = Run::demo_as_a_job();
    run.wait_ready();
    assert_terminal_raw(&run.tui);
    run.tui.send(CTRL_Z);
    run.wait_job_stopped(1);
    run.resize_and_continue();
    run.tui.press("j", "Files · /Anime · 1 file");
    // Again, from a popup: Ctrl-Z works anywhere, and the popup is there after.
    run.tui.press("?", "help: every key");
    run.tui.send(CTRL_Z);
    run.wait_job_stopped(2);
    run.tui.press(ENTER, "help: every key");
    assert_terminal_raw(&run.tui);
    run.tui.esc_away("help: every key");
    run.quit_keeping_the_key_secret();
}

/// `kill -TSTP` suspends as Ctrl-Z does: the terminal is given back before the stop.
#[test]
fn sigtstp_suspends_and_fg_resumes() {
    let mut run = Run::demo_as_a_job();
    run.wait_ready();
    run.tui.signal("TSTP");
    run.wait_job_stopped(1);
    run.resize_and_continue();
    run.quit_keeping_the_key_secret();
}

/// Where nothing could continue the program (its process group is orphaned, as when a terminal
/// or a tmux pane runs it directly) the kernel discards Ctrl-Z's SIGTSTP: the program gives the
/// terminal back, is not stopped, and takes the terminal again at once, rather than leave a
/// frozen terminal behind.
#[test]
fn ctrl_z_without_a_shell_to_resume_comes_back_at_once() {
    let mut run = Run::demo(120, 35);
    run.wait_ready();
    let before = run.tui.raw_output().len();
    run.tui.send(CTRL_Z);
    // Left the alternate screen and entered it again.
    let after = |run: &Run| run.tui.raw_output()[before..].to_vec();
    run.tui
        .wait_for("the alternate screen left and entered again", |_| {
            let raw = String::from_utf8_lossy(&after(&run)).into_owned();
            raw.find("\x1b[?1049l")
                .is_some_and(|left| raw[left..].contains("\x1b[?1049h"))
        });
    run.wait_ready();
    assert_ne!(run.tui.process_state(), 'T', "not stopped");
    assert_terminal_raw(&run.tui);
    run.tui.press("j", "Files · /Anime · 1 file");
    run.quit_keeping_the_key_secret();
}
