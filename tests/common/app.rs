//! The app as the state machine tests drive it: key events, fake outcomes, and an app with a
//! loaded account. No terminal, no network.
//!
//! Used by the `tui` test binary (`tests/tui/`) through `common`, and by `benches/scale.rs`
//! directly (`#[path = "../tests/common/app.rs"]`), so it needs nothing else from `common`.

#![allow(dead_code)]

use mp4u::api::{AccountInfo, FileInfo, FileList, Folder, StorageLeft, Subfolders};
use mp4u::app::popups::LocalEntry;
use mp4u::app::{App, AppOptions, Command, Event, Outcome, PER_PAGE};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// The service's address, as the app has it by default.
pub const BASE: &str = "https://www.mp4upload.com";

/// A server whose page size is known: a page shorter than it is the last. The fixtures list a
/// folder in one page; the paging of an unknown server has tests of its own.
pub const KNOWN_PAGES: mp4u::api::PageSize = mp4u::api::PageSize {
    cap: Some(PER_PAGE),
    floor: PER_PAGE,
};

/// A key without modifiers.
pub fn key(code: KeyCode) -> Event {
    Event::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

/// A character key without modifiers.
pub fn ch(c: char) -> Event {
    key(KeyCode::Char(c))
}

/// Ctrl and a character.
pub fn ctrl(c: char) -> Event {
    Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

/// Feeds events; returns every command they asked for.
/// The worker's word that `sent` bytes of upload `id` are out, at `at`.
pub fn progress(id: u64, sent: u64, at: std::time::Instant) -> Event {
    Event::Outcome(mp4u::app::Outcome::UploadProgress { id, sent, at })
}

/// The worker's word that upload `id` ended with `result`.
pub fn finished(id: u64, result: Result<mp4u::api::UploadedFile, mp4u::api::ApiError>) -> Event {
    Event::Outcome(mp4u::app::Outcome::UploadFinished { id, result })
}

/// The server's word that request `req` renamed file `bbb222` (of the loaded app) to `name`.
pub fn renamed_bbb(req: u64, name: &str) -> Event {
    Event::Outcome(mp4u::app::Outcome::FilesRenamed {
        req,
        codes: vec!["bbb222".into()],
        name: name.into(),
        result: Ok(vec![file("bbb222", name, 0)]),
    })
}

/// The account call answered that the key is refused.
pub fn key_refused() -> Event {
    Event::Outcome(mp4u::app::Outcome::Account(Err(mp4u::api::ApiError::Api {
        status: 403,
        msg: "Wrong auth".into(),
    })))
}

/// The options of an app on `base_url` whose server's page size is known already.
pub fn options(base_url: &str) -> AppOptions {
    AppOptions {
        page_size: KNOWN_PAGES,
        base_url: base_url.into(),
        ..Default::default()
    }
}

/// An app on its first run: no key yet, the prompt open.
pub fn first_run_app() -> App {
    App::new(AppOptions {
        needs_key: true,
        demo: false,
        ..options(BASE)
    })
}

pub fn feed(app: &mut App, events: impl IntoIterator<Item = Event>) -> Vec<Command> {
    events.into_iter().flat_map(|e| app.update(e)).collect()
}

/// `text` typed, a key per character.
pub fn typed(text: &str) -> Vec<Event> {
    text.chars().map(ch).collect()
}

/// A file of 1 MB, 3 downloads, public, in folder `fld`.
pub fn file(code: &str, name: &str, fld: u64) -> FileInfo {
    FileInfo {
        name: Some(name.into()),
        size: Some(1_000_000),
        downloads: Some(3),
        uploaded: Some("2024-01-02 03:04:05".into()),
        fld_id: Some(fld),
        public: Some(true),
        ..FileInfo::new(code)
    }
}

pub fn folder(id: u64, name: &str) -> Folder {
    Folder {
        fld_id: id,
        name: name.into(),
    }
}

/// The listing of folder `fld_id` arrived: these subfolders, no files.
pub fn folders_outcome(fld_id: u64, folders: Vec<Folder>) -> Event {
    Event::Outcome(Outcome::Folder {
        fld_id,
        result: Ok(Subfolders {
            folders,
            files: Default::default(),
        }),
    })
}

/// The req of the last ListFiles command for `fld`.
pub fn listing_req(commands: &[Command], fld: u64) -> u64 {
    commands
        .iter()
        .rev()
        .find_map(|c| match c {
            Command::ListFiles { fld_id, req, .. } if *fld_id == fld => Some(*req),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no ListFiles for {fld} in {commands:?}"))
}

/// The first page of folder `fld_id`'s files arrived for listing `req`: `files`, no totals.
pub fn files_outcome(fld_id: u64, req: u64, files: Vec<FileInfo>) -> Event {
    Event::Outcome(Outcome::Files {
        fld_id,
        page: 1,
        per_page: PER_PAGE,
        req,
        result: Ok(FileList {
            files,
            results_total: None,
            total_pages: None,
        }),
    })
}

/// An app made with `options` (at the known page size; on [`BASE`] unless they name a base
/// URL), 120x35, showing the root with the folder Anime (1) and `files`.
pub fn app_on_root(options: AppOptions, files: Vec<FileInfo>) -> App {
    let base_url = match options.base_url.as_str() {
        "" => BASE.to_string(),
        url => url.to_string(),
    };
    let mut app = App::new(AppOptions {
        page_size: KNOWN_PAGES,
        base_url,
        ..options
    });
    app.update(Event::Resize(120, 35));
    let commands = app.start();
    let req = listing_req(&commands, 0);
    feed(
        &mut app,
        [
            folders_outcome(0, vec![folder(1, "Anime")]),
            files_outcome(0, req, files),
        ],
    );
    app
}

/// [`app_on_root`] for uploads: its picker starts in /videos/, files up to 500 MB.
pub fn uploads_app() -> App {
    app_on_root(
        AppOptions {
            cwd: std::path::PathBuf::from("/videos"),
            max_upload_bytes: 500_000_000,
            ..Default::default()
        },
        vec![],
    )
}

/// An app showing the root with folders Anime (1, holding Season 1 = 3) and Movies (2), and
/// three files in the root.
pub fn loaded_app() -> App {
    let mut app = App::new(AppOptions {
        page_size: KNOWN_PAGES,
        base_url: BASE.into(),
        ..Default::default()
    });
    app.size = (120, 35);
    let start = app.start();
    let req = listing_req(&start, 0);
    feed(
        &mut app,
        [
            Event::Outcome(Outcome::Account(Ok(AccountInfo {
                email: Some("me@example.com".into()),
                balance: Some(1.0),
                storage_used: Some(1_000),
                storage_left: StorageLeft::Bytes(9_000),
                premium_expire: None,
            }))),
            folders_outcome(0, vec![folder(2, "Movies"), folder(1, "Anime")]),
            files_outcome(
                0,
                req,
                vec![
                    file("aaa111", "b.mp4", 0),
                    file("bbb222", "a.mp4", 0),
                    file("ccc333", "c 10.mp4", 0),
                ],
            ),
        ],
    );
    app
}

/// A file (with its size) or a directory in the upload picker's listing.
pub fn entry(name: &str, is_dir: bool, size: Option<u64>) -> LocalEntry {
    LocalEntry {
        path: None,
        name: name.into(),
        is_dir,
        size,
    }
}

/// The names of the files listed, in the order shown.
pub fn names(app: &App) -> Vec<String> {
    (0..app.files.view.len())
        .filter_map(|i| app.files.at(i).and_then(|f| f.name.clone()))
        .collect()
}

/// The request of the one change (rename, new folder, move, clone) among `commands`.
pub fn change_req(commands: &[Command]) -> u64 {
    commands
        .iter()
        .find_map(|c| match c {
            Command::RenameFiles { req, .. }
            | Command::RenameFolder { req, .. }
            | Command::CreateFolder { req, .. }
            | Command::MoveFiles { req, .. }
            | Command::CloneFile { req, .. } => Some(*req),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no change in {commands:?}"))
}

/// The entry the queue file gives a new row: its id is the row's plus 1000, queued, owned by
/// this process.
pub fn queue_entry(row: u64, new: &mp4u::queue::NewEntry) -> mp4u::queue::Entry {
    mp4u::queue::Entry {
        id: row + 1000,
        path: new.path.clone(),
        name: new
            .path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        size: new.size,
        mtime: new.mtime,
        folder: new.folder,
        folder_path: new.folder_path.clone(),
        account: "test".into(),
        server: BASE.into(),
        allow_duplicate: new.allow_duplicate,
        added_at: 1_700_000_000,
        changed_at: 1_700_000_000,
        owner: Some("1-test".into()),
        hook: None,
        state: mp4u::queue::State::Queued,
    }
}

/// Answers the queue-file writes among `commands` as the worker does on an empty queue: each
/// row gets a new entry ([`queue_entry`]) and each folder listed for the check for duplicates
/// holds `files`. Returns every other command asked for on the way (the starts).
pub fn prepared_with(app: &mut App, commands: Vec<Command>, files: &[FileInfo]) -> Vec<Command> {
    let mut out = Vec::new();
    let mut todo = commands;
    while !todo.is_empty() {
        let mut next = Vec::new();
        for command in todo {
            match command {
                Command::PrepareUploads {
                    enqueue,
                    list_folders,
                } => {
                    let queued = enqueue
                        .iter()
                        .map(|(id, new)| {
                            (
                                *id,
                                mp4u::app::command::Claim::Mine(Box::new(queue_entry(*id, new))),
                            )
                        })
                        .collect();
                    let listings = list_folders
                        .into_iter()
                        .map(|f| (f, mp4u::queue::KnownFiles::Listed(files.to_vec())))
                        .collect();
                    next.extend(app.update(Event::Outcome(Outcome::UploadsPrepared {
                        queued,
                        listings,
                    })));
                }
                other => out.push(other),
            }
        }
        todo = next;
    }
    out
}

/// [`prepared_with`] on folders that hold no file.
pub fn prepared(app: &mut App, commands: Vec<Command>) -> Vec<Command> {
    prepared_with(app, commands, &[])
}
