//! Runs the real `mp4u` binary in a pseudo-terminal: keys go in as bytes, what it draws is
//! parsed by `vt100` so tests can read the screen. The child is killed when the handle drops,
//! so a failing test never leaves a process behind.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::thread;
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, ExitStatus, MasterPty, PtySize, native_pty_system};

/// How long a test waits for the screen (or the process) before it fails.
pub const TIMEOUT: Duration = Duration::from_secs(10);
/// How often the screen is looked at while waiting.
const POLL: Duration = Duration::from_millis(50);

pub const TAB: &str = "\t";
pub const ENTER: &str = "\r";
pub const ESC: &str = "\x1b";
pub const UP: &str = "\x1b[A";
pub const DOWN: &str = "\x1b[B";
pub const RIGHT: &str = "\x1b[C";
pub const LEFT: &str = "\x1b[D";
pub const F2: &str = "\x1bOQ";
pub const BACKSPACE: &str = "\x7f";
pub const CTRL_P: &str = "\x10";
pub const CTRL_R: &str = "\x12";
pub const CTRL_U: &str = "\x15";
pub const CTRL_Z: &str = "\x1a";
pub const SPACE: &str = " ";
pub const INSERT: &str = "\x1b[2~";

/// What the terminal sends: a screen parser plus every byte, for checks on the raw stream.
struct Output {
    parser: vt100::Parser,
    raw: Vec<u8>,
    /// Every distinct screen, after each read from the pty, when asked for
    /// ([`Spawn::record_screens`]).
    screens: Option<Vec<String>>,
}

/// How [`Tui::spawn_opts`] starts the program.
pub struct Spawn<'a> {
    pub api_url: &'a str,
    /// `None`: no `MP4UPLOAD_API_KEY` at all (the first-run key prompt).
    pub key: Option<&'a str>,
    pub cols: u16,
    pub rows: u16,
    /// Keep every distinct screen drawn ([`Tui::screens`]), not only the last one.
    pub record_screens: bool,
    /// More environment variables, set last; `{HOME}` in a value becomes the temporary
    /// directory (e.g. `("TMPDIR", "{HOME}/tmp")`).
    pub env: &'a [(&'a str, &'a str)],
    /// Run the program as a job of a shell with job control ([`JOB_SHELL`]), as typed at an
    /// interactive shell's prompt, instead of as the pty's own process.
    pub job_control: bool,
}

/// What the pty runs for [`Spawn::job_control`]: bash with job control (`set -m`) puts the
/// program in a process group of its own, in the foreground. Started by the pty directly, the
/// program's group would be orphaned (its parent, the test, is in another session), and the
/// kernel discards Ctrl-Z's SIGTSTP there (POSIX: nothing could continue it); here the shell
/// can, as a user's shell would. Each time the job stops, the shell says so ([`job_stopped`])
/// and waits for a line (Enter), then `fg` continues the job; the shell ends with the job's
/// exit status. Not interactive, so the shell leaves the terminal's modes as the program left
/// them (an interactive bash puts its own back when a job stops).
///
/// `resume` is called a few times at the top level, not in a loop: when a job continued by
/// `fg` stops again, bash abandons the command it is running (a whole loop) and goes on with
/// the next one (`status` then stays 148, stopped).
const JOB_SHELL: &str = r#"set -m
"$@"
status=$? stops=0
resume() {
    if [ "$status" -ge 128 ] && jobs %% >/dev/null 2>&1; then
        stops=$((stops + 1))
        echo "[job stopped $stops]"
        read -r _
        status=148
        fg
        status=$?
    fi
}
resume
resume
resume
resume
exit "$status""#;

/// What the shell of [`Spawn::job_control`] says when the program's job stopped the `n`th
/// time.
pub fn job_stopped(n: u32) -> String {
    format!("[job stopped {n}]")
}

/// The program running in a pty.
pub struct Tui {
    output: Arc<Mutex<Output>>,
    /// Set by the reader thread when the pty reached end of file (the child and every copy of
    /// the slave side are gone).
    eof: Arc<AtomicBool>,
    writer: Box<dyn Write + Send>,
    master: Box<dyn MasterPty + Send>,
    child: Box<dyn Child + Send + Sync>,
    exit: Option<ExitStatus>,
    dir: tempfile::TempDir,
    /// Started as a job of a shell ([`Spawn::job_control`]); its pid once found.
    job_control: bool,
    job: OnceLock<u32>,
}

impl Tui {
    /// Starts `mp4u` on the API at `api_url` with `key`, in a `cols` x `rows` terminal. Config
    /// and log go to a fresh temporary directory, and HOME points there too.
    pub fn spawn(api_url: &str, key: &str, cols: u16, rows: u16) -> Tui {
        Tui::spawn_with(api_url, key, cols, rows, |_| {})
    }

    /// Like [`Tui::spawn`], but `prepare` gets the temporary directory first (the program's
    /// HOME and working directory, where `config.toml` is its config file) to put files in.
    pub fn spawn_with(
        api_url: &str,
        key: &str,
        cols: u16,
        rows: u16,
        prepare: impl FnOnce(&Path),
    ) -> Tui {
        Tui::spawn_opts(
            Spawn {
                api_url,
                key: Some(key),
                cols,
                rows,
                record_screens: false,
                env: &[],
                job_control: false,
            },
            prepare,
        )
    }

    /// Starts `mp4u` as `opts` says; `prepare` as in [`Tui::spawn_with`].
    pub fn spawn_opts(opts: Spawn<'_>, prepare: impl FnOnce(&Path)) -> Tui {
        let Spawn {
            api_url,
            key,
            cols,
            rows,
            record_screens,
            env,
            job_control,
        } = opts;
        let dir = tempfile::tempdir().expect("temporary directory");
        prepare(dir.path());
        let pair = native_pty_system()
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("open a pty");

        let mut cmd = if job_control {
            let mut shell = CommandBuilder::new("bash");
            shell.args(["--norc", "--noprofile", "-c", JOB_SHELL, "job-shell"]);
            shell.arg(env!("CARGO_BIN_EXE_mp4u"));
            shell
        } else {
            CommandBuilder::new(env!("CARGO_BIN_EXE_mp4u"))
        };
        cmd.env_clear();
        if let Some(path) = std::env::var_os("PATH") {
            cmd.env("PATH", path);
        }
        let home = dir.path();
        cmd.env("HOME", home);
        cmd.env("XDG_CONFIG_HOME", home.join("config"));
        cmd.env("XDG_STATE_HOME", home.join("state"));
        cmd.env("XDG_CACHE_HOME", home.join("cache"));
        cmd.env("TERM", "xterm-256color");
        cmd.env("LANG", "C.UTF-8");
        cmd.env("MP4UPLOAD_API_URL", api_url);
        // An upload whose fate is unknown is waited for 2 s, not minutes (`env` may say more).
        cmd.env("MP4U_UPLOAD_SETTLE", "2");
        if let Some(key) = key {
            cmd.env("MP4UPLOAD_API_KEY", key);
        }
        cmd.arg("--config");
        cmd.arg(home.join("config.toml"));
        cmd.arg("--log-file");
        cmd.arg(home.join("mp4u.log"));
        for (name, value) in env {
            cmd.env(name, value.replace("{HOME}", &home.display().to_string()));
        }
        cmd.cwd(home);

        let child = pair.slave.spawn_command(cmd).expect("spawn mp4u");
        // Only the child keeps the slave side open, so the reader sees EOF when it exits.
        drop(pair.slave);

        let mut reader = pair.master.try_clone_reader().expect("pty reader");
        let writer = pair.master.take_writer().expect("pty writer");
        let output = Arc::new(Mutex::new(Output {
            parser: vt100::Parser::new(rows, cols, 0),
            raw: Vec::new(),
            screens: record_screens.then(Vec::new),
        }));
        let eof = Arc::new(AtomicBool::new(false));
        {
            let output = Arc::clone(&output);
            let eof = Arc::clone(&eof);
            thread::spawn(move || {
                let mut buf = [0u8; 8192];
                loop {
                    match reader.read(&mut buf) {
                        Ok(0) | Err(_) => break,
                        Ok(n) => {
                            let mut out = output.lock().unwrap_or_else(|e| e.into_inner());
                            out.parser.process(&buf[..n]);
                            out.raw.extend_from_slice(&buf[..n]);
                            if out.screens.is_some() {
                                let now = out.parser.screen().contents();
                                let screens = out.screens.as_mut().expect("recording");
                                if screens.last() != Some(&now) {
                                    screens.push(now);
                                }
                            }
                        }
                    }
                }
                eof.store(true, Ordering::SeqCst);
            });
        }

        Tui {
            output,
            eof,
            writer,
            master: pair.master,
            child,
            exit: None,
            dir,
            job_control,
            job: OnceLock::new(),
        }
    }

    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    pub fn log_path(&self) -> PathBuf {
        self.dir.path().join("mp4u.log")
    }

    /// The program's process id (with [`Spawn::job_control`], the shell's child: waits for the
    /// shell to start it).
    #[track_caller]
    pub fn pid(&self) -> u32 {
        if !self.job_control {
            return self.child_pid();
        }
        if let Some(pid) = self.job.get() {
            return *pid;
        }
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Some(pid) = self.find_job() {
                return *self.job.get_or_init(|| pid);
            }
            assert!(
                Instant::now() < deadline,
                "the shell did not start the program within {TIMEOUT:?}"
            );
            thread::sleep(POLL);
        }
    }

    /// The pty's own process: the program, or the shell of [`Spawn::job_control`].
    fn child_pid(&self) -> u32 {
        self.child.process_id().expect("child pid")
    }

    /// The shell's child, if it started one (Linux: read from /proc).
    fn find_job(&self) -> Option<u32> {
        let shell = self.child_pid();
        std::fs::read_dir("/proc").ok()?.find_map(|entry| {
            let pid: u32 = entry.ok()?.file_name().to_str()?.parse().ok()?;
            let (_, ppid) = proc_stat(pid)?;
            (ppid == shell).then_some(pid)
        })
    }

    /// The program's state as /proc says (Linux): `T` stopped, `S` sleeping, `R` running...
    pub fn process_state(&self) -> char {
        proc_stat(self.pid()).map_or('?', |(state, _)| state)
    }

    /// Waits until the program is stopped (state `T`); panics with the screen after
    /// [`TIMEOUT`].
    #[track_caller]
    pub fn wait_stopped(&self) {
        let deadline = Instant::now() + TIMEOUT;
        while self.process_state() != 'T' {
            if Instant::now() >= deadline {
                panic!(
                    "the program did not stop within {TIMEOUT:?} (state {}); the screen:\n{}",
                    self.process_state(),
                    self.screen()
                );
            }
            thread::sleep(POLL);
        }
    }

    /// The screen as text, one line per row.
    pub fn screen(&self) -> String {
        self.lock().parser.screen().contents()
    }

    /// Every distinct screen drawn so far, oldest first (empty unless started with
    /// [`Spawn::record_screens`]).
    pub fn screens(&self) -> Vec<String> {
        self.lock().screens.clone().unwrap_or_default()
    }

    /// Whether the program is on the alternate screen.
    pub fn alternate_screen(&self) -> bool {
        self.lock().parser.screen().alternate_screen()
    }

    /// Whether mouse reports are on, bracketed paste is on, and the cursor is hidden.
    pub fn modes(&self) -> (bool, bool, bool) {
        let out = self.lock();
        let screen = out.parser.screen();
        (
            screen.mouse_protocol_mode() != vt100::MouseProtocolMode::None,
            screen.bracketed_paste(),
            screen.hide_cursor(),
        )
    }

    /// Every byte the program wrote so far.
    pub fn raw_output(&self) -> Vec<u8> {
        self.lock().raw.clone()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Output> {
        self.output.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Sends bytes as typed keys.
    pub fn send(&mut self, keys: &str) {
        self.writer
            .write_all(keys.as_bytes())
            .and_then(|()| self.writer.flush())
            .expect("write to the pty");
    }

    /// Sends Esc, then waits a moment so the next key is not read as Alt+key.
    pub fn esc(&mut self) {
        self.send(ESC);
        thread::sleep(Duration::from_millis(150));
    }

    /// Polls the screen until `pred` holds; panics with the screen after [`TIMEOUT`].
    /// Returns the screen that matched.
    #[track_caller]
    pub fn wait_for(&self, what: &str, pred: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let screen = self.screen();
            if pred(&screen) {
                return screen;
            }
            if Instant::now() >= deadline {
                panic!(
                    "timed out after {TIMEOUT:?} waiting for {what}; the screen:\n{}\n{screen}\n{}",
                    "-".repeat(40),
                    "-".repeat(40)
                );
            }
            thread::sleep(POLL);
        }
    }

    /// Waits until a highlighted run (see [`Tui::highlighted`]) contains `text`: the cursor
    /// of the focused pane is on it.
    #[track_caller]
    pub fn wait_highlight(&self, text: &str) {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let runs = self.highlighted();
            if runs.iter().any(|run| run.contains(text)) {
                return;
            }
            if Instant::now() >= deadline {
                panic!(
                    "timed out after {TIMEOUT:?} waiting for {text:?} to be highlighted; \
                     highlighted: {runs:?}; the screen:\n{}",
                    self.screen()
                );
            }
            thread::sleep(POLL);
        }
    }

    /// Waits until the screen shows `text`.
    #[track_caller]
    pub fn wait_text(&self, text: &str) -> String {
        self.wait_for(&format!("{text:?}"), |s| s.contains(text))
    }

    /// Types `keys`, then waits for the screen to show `then`; returns that screen.
    #[track_caller]
    pub fn press(&mut self, keys: &str, then: &str) -> String {
        self.send(keys);
        self.wait_text(then)
    }

    /// Esc, then waits until the screen no longer shows `gone` (the view or popup it closed).
    #[track_caller]
    pub fn esc_away(&mut self, gone: &str) -> String {
        self.esc();
        self.wait_gone(gone)
    }

    /// Types `keys`, then waits until the screen no longer shows `gone`.
    #[track_caller]
    pub fn press_away(&mut self, keys: &str, gone: &str) -> String {
        self.send(keys);
        self.wait_gone(gone)
    }

    /// Waits until the screen no longer shows `text`.
    #[track_caller]
    pub fn wait_gone(&self, text: &str) -> String {
        self.wait_for(&format!("{text:?} to go"), |s| !s.contains(text))
    }

    /// Resizes the pty (the child gets SIGWINCH) and the screen parser with it.
    pub fn resize(&mut self, cols: u16, rows: u16) {
        self.lock().parser.screen_mut().set_size(rows, cols);
        self.master
            .resize(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("resize the pty");
    }

    /// The local mode flags of the terminal by name (`ICANON`, `ECHO`, ...), as the kernel
    /// holds them for the pty now.
    pub fn local_flags(&self) -> Vec<String> {
        let termios = self.master.get_termios().expect("termios of the pty");
        // `LocalFlags(ECHOKE | ECHOE | ECHOK | ECHO | ISIG | ICANON | ...)`: read the names from
        // Debug, which spares a direct dependency on the `nix` version portable-pty uses.
        let debug = format!("{:?}", termios.local_flags);
        let inner = debug
            .split_once('(')
            .and_then(|(_, rest)| rest.rsplit_once(')'))
            .map(|(inner, _)| inner)
            .unwrap_or("");
        inner
            .split('|')
            .map(|flag| flag.trim().to_string())
            .filter(|flag| !flag.is_empty())
            .collect()
    }

    /// Whether the terminal is in cooked mode: line editing and echo on.
    pub fn cooked(&self) -> bool {
        let flags = self.local_flags();
        flags.iter().any(|f| f == "ICANON") && flags.iter().any(|f| f == "ECHO")
    }

    /// Sends a signal (`TERM`, `HUP`, ...) to the program with kill(1).
    pub fn signal(&self, name: &str) {
        let status = std::process::Command::new("kill")
            .arg(format!("-{name}"))
            .arg(self.pid().to_string())
            .status()
            .expect("run kill");
        assert!(status.success(), "kill -{name} failed");
    }

    /// Waits for the child to exit, and for the reader to drain what it wrote; panics after
    /// [`TIMEOUT`] with the screen.
    #[track_caller]
    pub fn wait_exit(&mut self) -> ExitStatus {
        let deadline = Instant::now() + TIMEOUT;
        let status = loop {
            if let Some(status) = self.child.try_wait().expect("wait for mp4u") {
                break status;
            }
            if Instant::now() >= deadline {
                panic!(
                    "mp4u did not exit within {TIMEOUT:?}; the screen:\n{}",
                    self.screen()
                );
            }
            thread::sleep(POLL);
        };
        self.exit = Some(status.clone());
        while !self.eof.load(Ordering::SeqCst) {
            if Instant::now() >= deadline {
                panic!("the pty did not reach end of file after mp4u exited");
            }
            thread::sleep(Duration::from_millis(10));
        }
        status
    }

    /// The runs of cells drawn on the accent background (cyan: the highlighted row of the
    /// focused pane, the keys of the key bar), as text, top to bottom.
    pub fn highlighted(&self) -> Vec<String> {
        self.runs_on(vt100::Color::Idx(6))
    }
}

impl Drop for Tui {
    fn drop(&mut self) {
        if self.exit.is_none() && matches!(self.child.try_wait(), Ok(None)) {
            // A job left behind (a test failed while it was stopped, say) goes first.
            if let Some(job) = self.find_job() {
                let _ = std::process::Command::new("kill")
                    .args(["-KILL", &job.to_string()])
                    .stderr(std::process::Stdio::null())
                    .status();
            }
            let _ = self.child.kill();
            // kill() sends SIGHUP and then SIGKILL if needed; reap the child.
            let _ = self.child.wait();
        }
    }
}

/// A process's state letter and parent from /proc/PID/stat (Linux).
fn proc_stat(pid: u32) -> Option<(char, u32)> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // `pid (comm) state ppid ...`: the name may hold spaces and parentheses.
    let mut fields = stat.get(stat.rfind(')')? + 1..)?.split_whitespace();
    let state = fields.next()?.chars().next()?;
    let ppid = fields.next()?.parse().ok()?;
    Some((state, ppid))
}

impl Tui {
    /// The runs of cells drawn on the background `bg` (`vt100::Color::Idx(3)` is yellow: the
    /// chosen chart of the statistics), as text, top to bottom.
    pub fn runs_on(&self, bg: vt100::Color) -> Vec<String> {
        self.runs_where(|cell| cell.bgcolor() == bg)
    }

    /// The runs of cells drawn in reverse video (without colour, the highlighted row of the
    /// focused pane and the keys of the key bar), as text, top to bottom.
    pub fn reversed(&self) -> Vec<String> {
        self.runs_where(vt100::Cell::inverse)
    }

    /// The runs of neighbouring cells for which `pred` holds, as text, top to bottom.
    pub fn runs_where(&self, pred: impl Fn(&vt100::Cell) -> bool) -> Vec<String> {
        let out = self.lock();
        let screen = out.parser.screen();
        let (rows, cols) = screen.size();
        let mut runs = Vec::new();
        for row in 0..rows {
            let mut run = String::new();
            for col in 0..cols {
                match screen.cell(row, col) {
                    Some(cell) if pred(cell) => run.push_str(if cell.has_contents() {
                        cell.contents()
                    } else {
                        " "
                    }),
                    _ => {
                        if !run.trim().is_empty() {
                            runs.push(run.trim().to_string());
                        }
                        run.clear();
                    }
                }
            }
            if !run.trim().is_empty() {
                runs.push(run.trim().to_string());
            }
        }
        runs
    }

    /// The cells of the screen drawn in a colour of their own (not the terminal's default), as
    /// `(row, col, text)`.
    pub fn coloured_cells(&self) -> Vec<(u16, u16, String)> {
        let out = self.lock();
        let screen = out.parser.screen();
        let (rows, cols) = screen.size();
        let mut found = Vec::new();
        for row in 0..rows {
            for col in 0..cols {
                if let Some(cell) = screen.cell(row, col)
                    && (cell.fgcolor() != vt100::Color::Default
                        || cell.bgcolor() != vt100::Color::Default)
                {
                    found.push((row, col, cell.contents().to_string()));
                }
            }
        }
        found
    }

    /// Sends `text` as a bracketed paste (the program turns bracketed paste on).
    pub fn paste(&mut self, text: &str) {
        self.send(&format!("\x1b[200~{text}\x1b[201~"));
    }
}
