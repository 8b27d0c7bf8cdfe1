//! The state machine: `App::update(Event) -> Vec<Command>` is the only place state changes, and
//! it does no I/O. The worker runs the commands; their outcomes come back as events.

mod browser;
pub mod command;
pub mod component;
pub mod files;
pub mod fuzzy;
mod key_context;
pub mod keys;
pub mod list;
mod mouse;
mod outcome;
pub mod paint;
pub mod popups;
mod sending;
pub mod tree;
pub mod uploads;
pub mod views;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseEvent};
use tui_input::Input;

pub use command::{Command, Outcome};
use files::FilePane;
use popups::{LoginPopup, Popup};
use tree::{FolderTree, ROOT};
use uploads::UploadQueue;
use views::{View, Views};

use crate::api::AccountInfo;

/// Files asked for per file/list page, until the server's own page size is known.
pub const PER_PAGE: u64 = crate::api::paging::ASK_PER_PAGE;
/// How long a notice stays on screen.
pub const NOTICE_FOR: Duration = Duration::from_secs(4);
/// While uploads finish, the account is asked for at most this often.
pub const ACCOUNT_REFRESH: Duration = Duration::from_secs(5);

/// Everything that can happen to the app.
#[derive(Debug, Clone)]
pub enum Event {
    Key(KeyEvent),
    Mouse { event: MouseEvent, at: Instant },
    Paste(String),
    Resize(u16, u16),
    Tick(Instant),
    Outcome(Outcome),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    Tree,
    Files,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Info,
    Warn,
    Error,
}

/// A line that fades after a few seconds.
#[derive(Debug, Clone)]
pub struct Notice {
    pub text: String,
    pub level: Level,
    /// Set at the first tick after it appeared.
    pub since: Option<Instant>,
}

/// An entry of the message log: what was said, how, and when (by the ticks' clock).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub text: String,
    pub level: Level,
    pub at: Option<Instant>,
    /// Said this many times in a row.
    pub times: u32,
}

/// The message log keeps this many entries, the oldest dropped first.
pub const MESSAGES_KEPT: usize = 500;

/// Options the app starts with.
#[derive(Debug, Clone, Default)]
pub struct AppOptions {
    /// The base URL links are made of (`https://www.mp4upload.com`).
    pub base_url: String,
    /// No key yet: ask for one first.
    pub needs_key: bool,
    /// Running on the built-in sandbox.
    pub demo: bool,
    /// Where the upload picker starts.
    pub cwd: PathBuf,
    /// Larger files are refused before an upload (`max_upload_bytes`).
    pub max_upload_bytes: u64,
    /// The remembered sort order (`sort` in the config file).
    pub sort: Option<String>,
    /// The remembered link format of copy and export (`link_format` in the config file).
    pub link_format: Option<String>,
    /// Uploads sent at once (`parallel_uploads`; 0: the default).
    pub parallel_uploads: usize,
    /// What is known of the server's `file/list` page size (nothing, at first).
    pub page_size: crate::api::PageSize,
    /// The keys in effect (the defaults, and the config file's `[keys]`).
    pub keymap: std::sync::Arc<keys::Keymap>,
    /// The upload limit at start, bytes a second (`None`: none).
    pub bwlimit: Option<u64>,
    /// The profile in use (`[profiles.NAME]`), and every profile of the config file.
    pub profile: Option<String>,
    pub profiles: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct App {
    pub tree: FolderTree,
    pub files: FilePane,
    pub focus: Focus,
    /// The full-screen view open over the browser, if any.
    pub view: Option<View>,
    /// The work of every view, kept while it is closed.
    pub views: Views,
    /// The dialog open over the browser or the view, if any.
    pub popup: Option<Popup>,
    /// Every notice and error said this session (the message log, `M`), oldest first.
    pub messages: std::collections::VecDeque<Message>,
    pub account: Option<AccountInfo>,
    pub account_error: Option<String>,
    pub notice: Option<Notice>,
    /// The filter line under the file list, while it is being typed.
    pub filter_input: Option<Input>,
    /// The terminal's size, for layout-dependent handling (scrolling, mouse).
    pub size: (u16, u16),
    /// Advances while anything loads.
    pub spinner: usize,
    pub base_url: String,
    pub demo: bool,
    pub quit: bool,
    pub uploads: UploadQueue,
    pub cwd: PathBuf,
    pub max_upload_bytes: u64,
    pub(crate) next_req: u64,
    /// A search result to show once its folder is known.
    pub(crate) pending_jump: Option<crate::api::FileInfo>,
    /// The plain-http notice is given once a session.
    told_plain_http: bool,
    /// Uploads sent at once.
    pub parallel_uploads: usize,
    /// Uploads finished since the account was last asked for: its figures are estimates.
    account_stale: bool,
    /// When the account was last asked for because of uploads (by the ticks' clock).
    account_asked_at: Option<Instant>,
    /// The time of the last tick: the state machine's clock.
    last_tick: Option<Instant>,
    /// What the listings so far taught about the server's page size.
    pub page_size: crate::api::PageSize,
    /// The format copy and export offer first: the last one chosen.
    pub link_format: crate::links::LinkFormat,
    /// Where files live, learnt from folder listings (for search results whose listing did
    /// not say).
    pub walk: crate::api::FolderWalk,
    last_click: Option<mouse::Click>,
    /// The keys in effect: the key handling, the key bar and the help read them here.
    pub keymap: std::sync::Arc<keys::Keymap>,
    /// Uploads left unfinished were found: ask about them as soon as no popup is open.
    pub resume_offer: bool,
    /// Folders being listed for the check for duplicates.
    dup_listing: std::collections::HashSet<u64>,
    /// The newest tree plan asked for (an older answer is dropped).
    tree_req: u64,
    /// The profile in use, shown on the account line, and the config's profiles (`P`).
    pub profile: Option<String>,
    pub profiles: Vec<String>,
    /// Quitting to open again on this profile.
    pub switch_to: Option<String>,
}

impl App {
    pub fn new(options: AppOptions) -> App {
        let mut files = FilePane::default();
        if let Some(sort) = options
            .sort
            .as_deref()
            .and_then(crate::sort::Sort::from_config)
        {
            files.sort = sort;
        }
        App {
            tree: FolderTree::default(),
            files,
            focus: Focus::Tree,
            view: None,
            views: Views::default(),
            messages: std::collections::VecDeque::new(),
            popup: options.needs_key.then(|| LoginPopup::default().into()),
            account: None,
            account_error: None,
            notice: None,
            filter_input: None,
            size: (80, 24),
            spinner: 0,
            base_url: options.base_url.trim_end_matches('/').to_string(),
            demo: options.demo,
            quit: false,
            uploads: UploadQueue::with_limit(options.bwlimit),
            cwd: if options.cwd.as_os_str().is_empty() {
                PathBuf::from("/")
            } else {
                options.cwd
            },
            max_upload_bytes: if options.max_upload_bytes == 0 {
                crate::config::DEFAULT_MAX_UPLOAD_BYTES
            } else {
                options.max_upload_bytes
            },
            next_req: 0,
            pending_jump: None,
            told_plain_http: false,
            parallel_uploads: if options.parallel_uploads == 0 {
                crate::config::DEFAULT_PARALLEL_UPLOADS
            } else {
                options.parallel_uploads
            },
            account_stale: false,
            account_asked_at: None,
            last_tick: None,
            page_size: options.page_size,
            link_format: options
                .link_format
                .as_deref()
                .and_then(|f| crate::links::LinkFormat::parse(f).ok())
                .unwrap_or_default(),
            walk: crate::api::FolderWalk::new(),
            last_click: None,
            keymap: options.keymap,
            resume_offer: false,
            dup_listing: Default::default(),
            tree_req: 0,
            profile: options.profile,
            profiles: options.profiles,
            switch_to: None,
        }
    }

    /// The commands to run at start: the account, the root folder and its files, and what the
    /// upload queue holds unfinished.
    pub fn start(&mut self) -> Vec<Command> {
        if self.signing_in() {
            return Vec::new();
        }
        let mut commands = vec![Command::LoadAccount, Command::LoadQueue];
        commands.extend(self.load_children(ROOT));
        commands.extend(self.show_folder(false));
        commands
    }

    /// Handles one event. Returns the work it asks for.
    pub fn update(&mut self, event: Event) -> Vec<Command> {
        let commands = match event {
            Event::Key(key) if key.kind == KeyEventKind::Press => self.on_key(key),
            Event::Key(_) => Vec::new(),
            Event::Mouse { event, at } => self.on_mouse(event, at),
            Event::Paste(text) => {
                self.on_paste(&text);
                Vec::new()
            }
            Event::Resize(w, h) => {
                self.size = (w, h);
                Vec::new()
            }
            Event::Tick(now) => self.on_tick(now),
            Event::Outcome(outcome) => self.on_outcome(outcome),
        };
        self.settle();
        commands
    }

    /// Whether a tick changes what is drawn (something loading, a notice to fade).
    pub fn animating(&self) -> bool {
        self.notice.is_some() || self.loading() || self.uploads.any_active() || self.account_stale
    }

    /// Whether any listing or action is on its way.
    pub fn loading(&self) -> bool {
        self.files.listing().is_some_and(|l| l.loading)
            || self
                .tree
                .node(self.tree.selected)
                .is_some_and(|n| n.loading)
            || self.popup.as_ref().is_some_and(|p| p.component().busy())
            || self.view.is_some_and(|v| self.views.of(v).busy())
    }

    fn on_tick(&mut self, now: Instant) -> Vec<Command> {
        self.last_tick = Some(now);
        if self.loading() {
            self.spinner = self.spinner.wrapping_add(1);
        }
        if let Some(notice) = &mut self.notice {
            match notice.since {
                None => notice.since = Some(now),
                Some(since) if now.duration_since(since) >= NOTICE_FOR => self.notice = None,
                Some(_) => {}
            }
        }
        // The account line after uploads: at most every few seconds while uploads run.
        if self.account_stale
            && self
                .account_asked_at
                .is_none_or(|at| now.duration_since(at) >= ACCOUNT_REFRESH)
        {
            self.account_stale = false;
            self.account_asked_at = Some(now);
            return vec![Command::LoadAccount];
        }
        Vec::new()
    }

    fn on_key(&mut self, key: KeyEvent) -> Vec<Command> {
        // Ctrl-C quits from anywhere, as a terminal user expects (asking first while uploads
        // run; a second Ctrl-C at that question quits).
        if key.code == KeyCode::Char('c') && key.modifiers.contains(KeyModifiers::CONTROL) {
            if self.asking() {
                self.quit = true;
            } else {
                self.request_quit();
            }
            return Vec::new();
        }
        // Ctrl-Z suspends from anywhere too, as it does in a shell: nothing typed is lost, a
        // popup stays open for after `fg`.
        if keys::Key::Ctrl('z').matches(&key) {
            return vec![Command::Suspend];
        }
        // A terminal too small to draw: only quitting works (nothing unseen happens).
        if !crate::geometry::fits(self.size.0, self.size.1) {
            return match self.keymap.action_for(keys::Scope::TooSmall, &key) {
                Some(keys::Action::Quit) => {
                    self.request_quit();
                    Vec::new()
                }
                _ => Vec::new(),
            };
        }
        if self.popup.is_some() {
            return self.on_popup_key(key);
        }
        if self.view.is_some() {
            return self.on_view_key(key);
        }
        if self.filter_input.is_some() {
            return self.on_filter_key(key);
        }
        self.on_browser_key(key)
    }

    fn on_paste(&mut self, text: &str) {
        // Pasted lines become words (a list of links); other control characters go.
        let clean: String = text
            .chars()
            .map(|c| {
                if c == '\n' || c == '\r' || c == '\t' {
                    ' '
                } else {
                    c
                }
            })
            .filter(|c| !c.is_control())
            .take(100_000)
            .collect();
        let input = match &mut self.popup {
            Some(popup) => match popup.component_mut().input() {
                Some(input) => input,
                None => return,
            },
            None => match (self.view, &mut self.filter_input) {
                (Some(view), _) => match self.views.of_mut(view).input() {
                    Some(input) => input,
                    None => return,
                },
                (None, Some(input)) => input,
                (None, None) => return,
            },
        };
        // Inserted at the cursor in one go (char by char would be quadratic on a long paste).
        let value = input.value();
        let cursor = input.cursor();
        let at = value
            .char_indices()
            .nth(cursor)
            .map_or(value.len(), |(i, _)| i);
        let pasted = clean.chars().count();
        let text = format!("{}{clean}{}", &value[..at], &value[at..]);
        *input = Input::new(text).with_cursor(cursor + pasted);
        if self.popup.is_none() && self.view.is_none() {
            self.apply_filter();
        }
    }

    /// Says something in a notice that fades, and keeps it in the message log.
    pub fn notify(&mut self, level: Level, text: impl Into<String>) {
        let text = text.into();
        self.log(level, text.clone());
        self.notice = Some(Notice {
            text,
            level,
            since: None,
        });
    }

    /// What was wrong in the config file's `[theme]` and `[keys]`, said once at start: each in
    /// the message log, and a notice (pointing to the log when there are several).
    pub fn report_config(&mut self, problems: &[String]) {
        match problems {
            [] => {}
            [one] => self.notify(Level::Warn, one.clone()),
            many => {
                for problem in many {
                    self.log(Level::Warn, problem.clone());
                }
                let log_key = self
                    .keymap
                    .key_label(keys::Scope::Browser, keys::Action::Messages);
                self.notice = Some(Notice {
                    text: format!(
                        "The config file has {} problems: {log_key} lists them",
                        many.len()
                    ),
                    level: Level::Warn,
                    since: None,
                });
            }
        }
    }

    /// Keeps something in the message log (a repeat of the last entry is counted).
    pub fn log(&mut self, level: Level, text: String) {
        match self.messages.back_mut() {
            Some(last) if last.text == text && last.level == level => {
                last.times += 1;
                last.at = self.last_tick;
            }
            _ => {
                if self.messages.len() >= MESSAGES_KEPT {
                    self.messages.pop_front();
                }
                self.messages.push_back(Message {
                    text,
                    level,
                    at: self.last_tick,
                    times: 1,
                });
            }
        }
    }

    /// The state machine's clock: the time of the last tick.
    pub fn now(&self) -> Option<Instant> {
        self.last_tick
    }

    fn next_req(&mut self) -> u64 {
        self.next_req += 1;
        self.next_req
    }

    /// The public page of a file.
    pub fn link(&self, code: &str) -> String {
        crate::api::file_link(&self.base_url, code)
    }

    /// Asks for the subfolders of a folder unless they are known or on their way.
    fn load_children(&mut self, fld_id: u64) -> Vec<Command> {
        match self.tree.node_mut(fld_id) {
            Some(node) if node.children.is_none() && !node.loading => {
                node.loading = true;
                vec![Command::ListFolder { fld_id }]
            }
            _ => Vec::new(),
        }
    }

    /// Shows the files of the highlighted folder, asking for them unless cached.
    fn show_folder(&mut self, debounce: bool) -> Vec<Command> {
        let fld_id = self.tree.selected;
        self.files.show(fld_id);
        if self.files.cache.contains_key(&fld_id) {
            return Vec::new();
        }
        self.reload_files(fld_id, debounce)
    }

    /// Asks for the files of a folder afresh (the cached ones stay shown meanwhile).
    fn reload_files(&mut self, fld_id: u64, debounce: bool) -> Vec<Command> {
        let req = self.next_req();
        let pager = crate::api::Pager::new(&self.page_size);
        let (page, per_page) = pager.next();
        let entry = self.files.cache.entry(fld_id).or_default();
        entry.req = req;
        entry.loading = true;
        entry.error = None;
        entry.pager = Some(pager);
        vec![Command::ListFiles {
            fld_id,
            page,
            per_page,
            req,
            debounce,
        }]
    }

    /// Rows the tree pane shows at once.
    pub fn tree_height(&self) -> usize {
        crate::geometry::areas(self.size.0, self.size.1)
            .tree
            .height
            .saturating_sub(2) as usize
    }

    /// Rows the file pane shows at once.
    pub fn files_height(&self) -> usize {
        let filter_line = usize::from(self.filter_input.is_some() || !self.files.filter.is_empty());
        (crate::geometry::areas(self.size.0, self.size.1)
            .files
            .height
            .saturating_sub(3) as usize)
            .saturating_sub(filter_line)
    }

    /// Keeps the cursors inside their viewports after any change.
    fn settle(&mut self) {
        let (tree_h, files_h) = (self.tree_height(), self.files_height());
        self.tree.scroll_into_view(tree_h);
        let f = &mut self.files;
        f.cursor = f.cursor.min(f.view.len().saturating_sub(1));
        f.offset = list::window_start(f.offset, f.cursor, files_h)
            .min(f.view.len().saturating_sub(files_h.max(1)));
        self.settle_popup();
        self.settle_view();
        self.offer_waiting_questions();
    }

    /// Applies the typed filter to the file list.
    fn apply_filter(&mut self) {
        if let Some(input) = &self.filter_input {
            self.files.filter = input.value().to_string();
        }
        self.files.refilter();
    }
}
