//! The terminal side: raw mode and the alternate screen (restored on every way out), the event
//! loop that feeds the state machine, drawing when something changed, and Ctrl-Z: suspend to
//! the shell, then take the terminal again on `fg`.

use std::io::{self, Stdout, Write};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
    Event as TermEvent, EventStream,
};
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use futures_util::StreamExt;
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use tokio::signal::unix::{SignalKind, signal};
use tokio::sync::mpsc;

use crate::api::Client;
use crate::app::{App, AppOptions, Command, Event};
use crate::worker::Worker;

/// How often the spinner turns and notices fade; nothing is drawn on a tick that changes
/// nothing.
const TICK: Duration = Duration::from_millis(100);
/// Outcomes handled before the next frame at most, so a burst is drawn once.
const COALESCE: usize = 256;

pub struct TuiOptions {
    /// What the state machine starts from: the address, the demo or the profile in use and
    /// the others, the settings (its `needs_key`, `cwd` and `keymap` are filled in here).
    pub app: AppOptions,
    /// `None`: no key yet; the app asks for one.
    pub client: Option<Client>,
    pub config_path: PathBuf,
    /// Said as a notice at start (a config file others can read).
    pub warning: Option<String>,
    /// The look and the keys, and what was wrong in the config's `[theme]` and `[keys]`.
    pub look: crate::look::Look,
    /// How long an upload whose fate is unknown is waited for before it is sent again.
    pub patience: crate::queue::run::Patience,
    /// How to open the file manager again on another profile (none in the demo).
    pub reopen: Option<Reopen>,
}

/// What the file manager was started with, to open it again on another profile.
#[derive(Debug, Clone)]
pub struct Reopen {
    pub config: Option<PathBuf>,
    pub api_url: Option<String>,
    pub bwlimit: Option<crate::api::BwLimit>,
}

impl Reopen {
    /// The options of the file manager on the account of `profile` (none: the config's
    /// default): its key, address, settings and queue. A profile the config does not have yet
    /// is a new one: the first-run prompt asks for its key and saves it in its table.
    pub fn options(&self, profile: Option<&str>) -> Result<TuiOptions, crate::cli::Failure> {
        use crate::config::{ConfigError, Settings};
        let (config, api_url) = (self.config.as_deref(), self.api_url.as_deref());
        let settings = match Settings::resolve(config, api_url, profile) {
            Err(ConfigError::NoProfile { name, .. }) => {
                Settings::new_profile(config, api_url, &name)?
            }
            other => other?,
        };
        let bwlimit = settings
            .bwlimit(self.bwlimit)
            .map_err(crate::cli::Failure::Usage)?;
        let client = if settings.has_key() {
            Some(Client::new(&settings.base_url, settings.key()?)?)
        } else {
            None
        };
        #[cfg(unix)]
        let warning = crate::config::ConfigFile::readable_by_others(&settings.config_path)
            .then(|| crate::config::readable_warning(&settings.config_path));
        #[cfg(not(unix))]
        let warning = None;
        Ok(TuiOptions {
            app: AppOptions {
                base_url: settings.base_url.clone(),
                profile: settings.profile.clone(),
                profiles: settings.profile_names(),
                parallel_uploads: settings.parallel_uploads(),
                max_upload_bytes: settings.max_upload_bytes(),
                sort: settings.file.sort.clone(),
                link_format: settings.file.link_format.clone(),
                bwlimit,
                ..AppOptions::default()
            },
            client,
            config_path: settings.config_path.clone(),
            warning,
            look: crate::look::Look::new(&settings.file, &crate::theme::Terminal::detect()),
            patience: settings.patience(),
            reopen: Some(self.clone()),
        })
    }
}

/// How a run of the event loop ended.
enum Exit {
    Quit,
    /// To open again on this profile.
    Switch(String),
}

type Term = Terminal<CrosstermBackend<Stdout>>;

/// Runs the file manager until the user quits.
pub async fn run(options: TuiOptions) -> io::Result<()> {
    install_panic_hook();
    // `_restore` lives to the end: every way out of here (the loop's end, an error, a panic
    // unwinding) gives the terminal back.
    let (mut terminal, _restore) = setup()?;
    let mut options = options;
    loop {
        let reopen = options.reopen.clone();
        let was = options.app.profile.clone();
        let Exit::Switch(profile) = event_loop(&mut terminal, options).await? else {
            return Ok(());
        };
        let Some(reopen) = reopen else {
            return Ok(());
        };
        tracing::info!(%profile, "switching profile");
        options = match reopen.options(Some(&profile)) {
            Ok(options) => options,
            // The profile cannot be opened: back on the one before, saying why.
            Err(failure) => {
                let mut back = reopen.options(was.as_deref()).map_err(|e| {
                    io::Error::other(format!("cannot open the profile again: {}", e.message()))
                })?;
                back.warning = Some(format!(
                    "Could not switch to {profile}: {}",
                    failure.message()
                ));
                back
            }
        };
    }
}

/// Gives the terminal back when dropped ([`restore`]).
struct Restore;

impl Drop for Restore {
    fn drop(&mut self) {
        restore();
    }
}

/// Takes the terminal; the guard gives it back, whatever fails after raw mode is on.
fn setup() -> io::Result<(Term, Restore)> {
    let guard = Restore;
    enter()?;
    let terminal = Terminal::new(CrosstermBackend::new(io::stdout()))?;
    Ok((terminal, guard))
}

/// Raw mode, the alternate screen, mouse capture and bracketed paste: at the start, and again
/// after a suspend.
fn enter() -> io::Result<()> {
    enable_raw_mode()?;
    crossterm::execute!(
        io::stdout(),
        EnterAlternateScreen,
        EnableMouseCapture,
        EnableBracketedPaste
    )
}

/// Puts the terminal back as it was. Safe to call more than once.
pub fn restore() {
    let _ = disable_raw_mode();
    let _ = crossterm::execute!(
        io::stdout(),
        DisableBracketedPaste,
        DisableMouseCapture,
        LeaveAlternateScreen,
        crossterm::cursor::Show
    );
}

/// Restores the terminal before a panic message prints, then lets the previous hook report it.
fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        previous(info);
    }));
}

async fn event_loop(terminal: &mut Term, options: TuiOptions) -> io::Result<Exit> {
    let (tx, mut rx) = mpsc::unbounded_channel::<Event>();
    // The queue file outlives the program: what a crash left is offered at start.
    let queue = std::sync::Arc::new(crate::queue::Queue::open_default(
        options.app.demo,
        options.app.profile.as_deref(),
    ));
    let worker = Worker::new(
        options.client.clone(),
        tx,
        options.app.base_url.clone(),
        options.config_path.clone(),
        options.app.parallel_uploads,
    )
    .with_bandwidth(std::sync::Arc::new(crate::api::Bandwidth::new(
        options.app.bwlimit,
    )))
    .with_queue(queue, options.app.demo)
    .with_patience(options.patience)
    .with_profile(options.app.profile.clone());
    let mut app = App::new(AppOptions {
        needs_key: options.client.is_none(),
        cwd: std::env::current_dir().unwrap_or_default(),
        keymap: std::sync::Arc::new(options.look.keymap.clone()),
        ..options.app.clone()
    });
    let size = terminal.size()?;
    app.size = (size.width, size.height);
    for command in app.start() {
        dispatch(terminal, &worker, command)?;
    }
    if let Some(warning) = &options.warning {
        app.notify(crate::app::Level::Warn, warning.clone());
    }
    app.report_config(&options.look.problems);
    // The drawing's, not the state machine's.
    let theme = options.look.theme.clone();

    let mut term_events = EventStream::new();
    let mut tick = tokio::time::interval(TICK);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    let mut sigterm = signal(SignalKind::terminate())?;
    let mut sighup = signal(SignalKind::hangup())?;
    let mut sigint = signal(SignalKind::interrupt())?;
    // `kill -TSTP`: suspended as Ctrl-Z is. (SIGSTOP cannot be caught: it stops the program
    // with the terminal as it is.)
    let mut sigtstp = signal(SignalKind::from_raw(libc::SIGTSTP))?;
    let mut dirty = true;

    loop {
        if dirty {
            terminal.draw(|frame| crate::ui::draw(frame, &app, &theme))?;
            dirty = false;
        }
        let event = tokio::select! {
            term = term_events.next() => match term {
                Some(Ok(event)) => translate(event),
                Some(Err(e)) => return Err(e),
                None => return Ok(Exit::Quit),
            },
            Some(event) = rx.recv() => Some(event),
            _ = tick.tick() => Some(Event::Tick(Instant::now())),
            _ = sigterm.recv() => return Ok(Exit::Quit),
            _ = sighup.recv() => return Ok(Exit::Quit),
            _ = sigint.recv() => return Ok(Exit::Quit),
            _ = sigtstp.recv() => {
                suspend(terminal, &worker, &mut app)?;
                dirty = true;
                None
            }
        };
        let Some(event) = event else {
            continue;
        };
        dirty |= handle(terminal, &worker, &mut app, event)?;
        // Coalesce a burst of outcomes into one frame.
        for _ in 0..COALESCE {
            match rx.try_recv() {
                Ok(event) => dirty |= handle(terminal, &worker, &mut app, event)?,
                Err(_) => break,
            }
        }
        if app.quit {
            return Ok(match app.switch_to.take() {
                Some(profile) => Exit::Switch(profile),
                None => Exit::Quit,
            });
        }
    }
}

/// Feeds one event to the app and runs what it asks for. Returns whether to redraw.
fn handle(terminal: &mut Term, worker: &Worker, app: &mut App, event: Event) -> io::Result<bool> {
    let is_tick = matches!(event, Event::Tick(_));
    let animating = app.animating();
    if let Event::Resize(..) = event {
        // ratatui resizes its buffers on the next draw; clear to avoid artefacts.
        terminal.autoresize()?;
    }
    for command in app.update(event) {
        if command == Command::Suspend {
            suspend(terminal, worker, app)?;
        } else {
            dispatch(terminal, worker, command)?;
        }
    }
    Ok(!is_tick || animating || app.animating())
}

/// Ctrl-Z: gives the terminal back, stops until the shell continues the program (`fg`), then
/// takes the terminal again and has the next frame drawn whole, at the size the terminal has
/// now. Uploads pause with the process.
fn suspend(terminal: &mut Term, worker: &Worker, app: &mut App) -> io::Result<()> {
    tracing::info!("suspended");
    restore();
    stop();
    tracing::info!("resumed");
    enter()?;
    // Clears the screen and forgets the last frame, so the next is drawn whole. (Not
    // `terminal.clear()`: it asks the terminal where the cursor is, and the answer cannot be
    // read while the event stream's thread waits for input.)
    let size = terminal.size()?;
    terminal.resize(size.into())?;
    handle(
        terminal,
        worker,
        app,
        Event::Resize(size.width, size.height),
    )?;
    Ok(())
}

/// Stops the process as Ctrl-Z in a shell does, and returns once it is continued.
///
/// The signal is SIGTSTP with its default action, not SIGSTOP: that is what a shell's job
/// control expects, and the kernel discards it (POSIX) when the process group is orphaned,
/// when no shell could ever continue it (e.g. the program run directly as a terminal's or
/// tmux pane's command): there Ctrl-Z does nothing rather than leave a frozen terminal.
///
/// The rest of the process group (the job: `cargo run` above the program, a wrapper script) is
/// sent SIGTSTP too, as the terminal's Ctrl-Z would, so the shell sees the job stop; this
/// process ignores that one and stops on its own `raise`, which takes effect before `raise`
/// returns (a signal sent to the group could stop it a moment later, after the terminal was
/// taken again). The handler the signal had (tokio's, for `kill -TSTP`) is put back after.
fn stop() {
    // SAFETY: sigaction, kill and raise with valid arguments; the structs are plain data, zeroed
    // and their masks emptied before use.
    unsafe {
        let mut action: libc::sigaction = std::mem::zeroed();
        libc::sigemptyset(&mut action.sa_mask);
        let mut previous: libc::sigaction = std::mem::zeroed();
        action.sa_sigaction = libc::SIG_IGN;
        if libc::sigaction(libc::SIGTSTP, &action, &mut previous) != 0 {
            return;
        }
        libc::kill(0, libc::SIGTSTP);
        action.sa_sigaction = libc::SIG_DFL;
        libc::sigaction(libc::SIGTSTP, &action, std::ptr::null_mut());
        libc::raise(libc::SIGTSTP);
        libc::sigaction(libc::SIGTSTP, &previous, std::ptr::null_mut());
    }
}

fn translate(event: TermEvent) -> Option<Event> {
    match event {
        TermEvent::Key(key) => Some(Event::Key(key)),
        TermEvent::Mouse(mouse) => Some(Event::Mouse {
            event: mouse,
            at: Instant::now(),
        }),
        TermEvent::Paste(text) => Some(Event::Paste(text)),
        TermEvent::Resize(w, h) => Some(Event::Resize(w, h)),
        TermEvent::FocusGained | TermEvent::FocusLost => None,
    }
}

/// Clipboard text goes to the terminal as OSC 52 (works over ssh) and to the worker for the
/// system clipboard; everything else goes to the worker.
fn dispatch(terminal: &mut Term, worker: &Worker, command: Command) -> io::Result<()> {
    if let Command::Copy(text) = &command {
        let sequence = format!("\x1b]52;c;{}\x07", base64(text.as_bytes()));
        let backend = terminal.backend_mut();
        backend.write_all(sequence.as_bytes())?;
        backend.flush()?;
    }
    worker.run(command);
    Ok(())
}

fn base64(data: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i)) as usize & 63] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn base64_matches_the_standard() {
        assert_eq!(super::base64(b""), "");
        assert_eq!(super::base64(b"f"), "Zg==");
        assert_eq!(super::base64(b"fo"), "Zm8=");
        assert_eq!(super::base64(b"foo"), "Zm9v");
        assert_eq!(super::base64(b"https://x/a"), "aHR0cHM6Ly94L2E=");
    }
}
