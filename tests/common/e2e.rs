//! What the end-to-end tests (`tests/e2e/`) share on top of [`pty`](super::pty): a sandbox
//! and the real program running on it ([`Run`]), the demo library's folders and files, waiting
//! for the browser, quitting, and the checks that the terminal came back and that the API key
//! leaked nowhere. A test module adds methods of its own to [`Run`] in an `impl Run` of its own.

use std::path::{Path, PathBuf};

use mp4u::sandbox::{Sandbox, SandboxConfig, SandboxState};

use super::leaks;
use super::pty::{DOWN, RIGHT, Spawn, TAB, Tui};

/// Folder ids of the demo library (`assets/demo-library.json`).
pub const ANIME: u64 = 11;
pub const FRIEREN_S1: u64 = 16;
pub const DUNGEON_MESHI_S1: u64 = 20;
/// The first files of /Anime/Frieren/Season 1 by name and code.
pub const E01: &str = "Frieren - S01E01 [1080p].mp4";
pub const E01_CODE: &str = "xvbothd0wtfl";
pub const E02: &str = "Frieren - S01E02 [1080p].mp4";
pub const E02_CODE: &str = "tt0zn3x0pdqx";
pub const E03_CODE: &str = "j1dybv7zxg02";
pub const E04: &str = "Frieren - S01E04 [1080p].mp4";
pub const E04_CODE: &str = "ldsun7av8bpp";
/// The only file of /Anime.
pub const ANIME_OP: &str = "Anime OP compilation 2024.mp4";

/// How [`Run::start`] starts the sandbox and the program.
pub struct Setup<'a> {
    /// The sandbox; the program gets its key (`config.key`).
    pub config: SandboxConfig,
    /// Keep the bytes the sandbox receives in a fresh directory ([`Run::store`]).
    pub keep_bytes: bool,
    /// No `MP4UPLOAD_API_KEY` at all: the first-run key prompt.
    pub without_key: bool,
    pub cols: u16,
    pub rows: u16,
    /// Keep every distinct screen drawn ([`Tui::screens`]).
    pub record_screens: bool,
    /// More environment variables for the program ([`Spawn::env`]).
    pub env: &'a [(&'a str, &'a str)],
    /// The program as a job of a shell with job control ([`Spawn::job_control`]).
    pub job_control: bool,
}

impl Default for Setup<'_> {
    /// The demo library and its key, in a 120x35 terminal.
    fn default() -> Self {
        Setup {
            config: SandboxConfig::default(),
            keep_bytes: false,
            without_key: false,
            cols: 120,
            rows: 35,
            record_screens: false,
            env: &[],
            job_control: false,
        }
    }
}

/// A sandbox and the program running on it. Fields drop in order: the program is killed
/// first, then the server stops, then its runtime, then the stored bytes go.
pub struct Run {
    pub tui: Tui,
    pub sandbox: Sandbox,
    pub rt: tokio::runtime::Runtime,
    /// Where the sandbox keeps the bytes it received ([`Setup::keep_bytes`]).
    pub store: Option<tempfile::TempDir>,
    /// Files the test itself put in the program's directory (not swept for the key).
    pub own_files: Vec<PathBuf>,
}

impl Run {
    /// The demo library and its key, in a `cols` x `rows` terminal.
    pub fn demo(cols: u16, rows: u16) -> Run {
        Run::start(
            Setup {
                cols,
                rows,
                ..Setup::default()
            },
            |_| {},
            |_| Vec::new(),
        )
    }

    /// Starts the sandbox as `setup` says on a runtime of its own, lets `seed` add to its
    /// account and `prepare` put files in the program's directory (its HOME and working
    /// directory, where `config.toml` is its config file; `prepare` returns the paths of the
    /// files it made, [`Run::own_files`]), then starts the program.
    pub fn start(
        setup: Setup<'_>,
        seed: impl FnOnce(&SandboxState),
        prepare: impl FnOnce(&Path) -> Vec<PathBuf>,
    ) -> Run {
        let Setup {
            mut config,
            keep_bytes,
            without_key,
            cols,
            rows,
            record_screens,
            env,
            job_control,
        } = setup;
        let store = keep_bytes.then(|| tempfile::tempdir().expect("a directory for the sandbox"));
        if let Some(store) = &store {
            config.store_dir = Some(store.path().to_path_buf());
        }
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("tokio runtime");
        let sandbox = rt
            .block_on(Sandbox::start(config))
            .expect("start the sandbox");
        seed(&sandbox.state());
        let mut own_files = Vec::new();
        let tui = Tui::spawn_opts(
            Spawn {
                api_url: &sandbox.base_url(),
                key: (!without_key).then(|| sandbox.key()),
                cols,
                rows,
                record_screens,
                env,
                job_control,
            },
            |dir| own_files = prepare(dir),
        );
        Run {
            tui,
            sandbox,
            rt,
            store,
            own_files,
        }
    }

    /// Starts the program again (after it quit or was killed) on the same sandbox, with `key`
    /// and `env`, in a 120x35 terminal.
    pub fn restart(&mut self, key: &str, env: &[(&str, &str)]) {
        self.tui = Tui::spawn_opts(
            Spawn {
                api_url: &self.sandbox.base_url(),
                key: Some(key),
                cols: 120,
                rows: 35,
                record_screens: false,
                env,
                job_control: false,
            },
            |_| {},
        );
    }

    pub fn state(&self) -> SandboxState {
        self.sandbox.state()
    }

    /// Where the sandbox keeps the bytes it received; only with [`Setup::keep_bytes`].
    pub fn store(&self) -> &Path {
        self.store.as_ref().expect("started with keep_bytes").path()
    }

    /// Waits for the browser on the demo library: the root folder listed, its 24 files, and
    /// the account loaded.
    pub fn wait_ready(&self) -> String {
        self.tui
            .wait_for("the browser with the root and the account", |s| {
                s.contains("▾ / (root)")
                    && s.contains("Anime")
                    && s.contains("Files · / · 24 files")
                    && s.contains("demo@mp4u.example")
            })
    }

    /// From the start: the tree's cursor to /Anime/Frieren/Season 1, its 28 files listed.
    pub fn open_frieren_season_1(&mut self) {
        self.wait_ready();
        self.tui.press("j", "Files · /Anime · 1 file");
        self.tui.press("l", "▸ Frieren");
        self.tui.press("j", "Files · /Anime/Dungeon Meshi ·");
        self.tui.press("j", "Files · /Anime/Frieren · 2 files");
        self.tui.press(RIGHT, "▸ Season 1");
        self.tui
            .press(DOWN, "Files · /Anime/Frieren/Season 1 · 28 files");
        self.tui.wait_text(E01);
    }

    /// Tab to the file list; its cursor is on `first`.
    pub fn focus_files(&mut self, first: &str) {
        self.tui.send(TAB);
        self.tui.wait_highlight(first);
    }

    /// Quits with `q` (nothing to confirm) and checks the exit and the terminal.
    pub fn quit(&mut self) {
        self.tui.send("q");
        self.wait_exit_ok();
    }

    /// The end of a run: `q`, a clean exit, and the key nowhere in what the program wrote.
    pub fn quit_keeping_the_key_secret(&mut self) {
        self.quit();
        self.assert_key_kept_secret();
    }

    /// Waits for the program to exit; checks that it succeeded and gave the terminal back.
    pub fn wait_exit_ok(&mut self) {
        let status = self.tui.wait_exit();
        assert!(status.success(), "mp4u exited with {status:?}");
        assert_terminal_restored(&self.tui);
    }

    /// The API key, or any 8 characters of it, is nowhere in what the program wrote: not in
    /// the bytes sent to the terminal (every screen drawn), not in its log. Call after the
    /// program exited, so the log is complete.
    pub fn assert_key_kept_secret(&self) {
        let key = self.sandbox.key();
        let raw = String::from_utf8_lossy(&self.tui.raw_output()).into_owned();
        assert!(!raw.is_empty(), "the program drew something");
        assert!(!leaks(&raw, key), "the API key was written to the terminal");
        let log = std::fs::read_to_string(self.tui.log_path()).expect("the log file");
        assert!(
            log.contains("file manager starts"),
            "the log holds what the program did:\n{log}"
        );
        assert!(!leaks(&log, key), "the API key is in the log:\n{log}");
    }
}

/// Cooked mode again (line editing and echo), the main screen back, mouse reports and
/// bracketed paste off, the cursor shown.
#[track_caller]
pub fn assert_terminal_restored(tui: &Tui) {
    let flags = tui.local_flags();
    assert!(
        flags.iter().any(|f| f == "ICANON") && flags.iter().any(|f| f == "ECHO"),
        "the terminal was left in raw mode: {flags:?}"
    );
    assert!(
        !tui.alternate_screen(),
        "the terminal was left on the alternate screen"
    );
    let (mouse, paste, hidden) = tui.modes();
    assert!(!mouse, "mouse reports were left on");
    assert!(!paste, "bracketed paste was left on");
    assert!(!hidden, "the cursor was left hidden");
}

/// The key bar line, all of it: from `F1 Help` to `q Quit` (the spacing between entries
/// shrinks on narrow terminals).
pub fn whole_key_bar(line: &str) -> bool {
    let words = line.split_whitespace().collect::<Vec<_>>().join(" ");
    words.starts_with("F1 Help F2 Rename") && words.ends_with("q Quit")
}

/// The row of `name` in the transfers view (`▸ name → /folder    state`, or `▸ name in /`
/// for an upload left in the root) and the line under it, each cut out of the popup's borders
/// (the browser shows on either side).
pub fn transfer_row(screen: &str, name: &str) -> Option<(String, String)> {
    let lines: Vec<&str> = screen.lines().collect();
    let needles = [format!(" {name} → "), format!(" {name} in /")];
    let is_row = |cell: &str| needles.iter().any(|n| cell.contains(n.as_str()));
    let at = lines.iter().position(|l| l.split('│').any(&is_row))?;
    let column = lines[at].split('│').position(is_row)?;
    let cell = |line: &str| line.split('│').nth(column).map(|c| c.trim().to_string());
    Some((cell(lines[at])?, cell(lines.get(at + 1)?)?))
}

/// In the picker open on a folder: the directory `dir` typed, the files `names` (the first rows
/// after `..`, each `size` bytes) marked, Enter.
pub fn pick_all(tui: &mut Tui, dir: &Path, names: &[String], size: u64) {
    tui.send(super::pty::CTRL_U);
    tui.send(&format!("{}/", dir.display()));
    // The picker's own rows (the file list behind may show the same names).
    let size = mp4u::format::size(size);
    let last = &names[names.len() - 1];
    tui.wait_for("the directory listed in the picker", |s| {
        s.lines()
            .any(|l| l.contains(last.as_str()) && l.contains(&format!("{size} │")))
    });
    tui.send(DOWN); // past ".."
    tui.wait_highlight(&names[0]);
    for _ in names {
        tui.send(super::pty::INSERT);
    }
    tui.wait_text(&format!("{} files marked", names.len()));
    tui.send(super::pty::ENTER);
}
