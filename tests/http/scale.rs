//! Accounts with 100,000 files: what the app holds per file, the page chain, the cursor, marks
//! and the filter at the end of a long list, and 50 queued uploads against a throttled
//! sandbox. Nothing here is timed: speed is measured by `cargo bench --features bench` (benches/scale.rs).

use std::alloc::{GlobalAlloc, Layout, System};
use std::collections::HashSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use mp4u::api::{ApiKey, Client, FileInfo, FileList, envelope};
use mp4u::app::fuzzy::Fuzzy;
use mp4u::app::popups::CheckedFile;
use mp4u::app::uploads::UploadState;
use mp4u::app::{App, AppOptions, Command, Event, Outcome, PER_PAGE};
use mp4u::format::{count, plural};
use mp4u::sandbox::{FileRecord, ListQuery, Sandbox, SandboxConfig, SandboxState};
use mp4u::sort::Sort;
use mp4u::worker::Worker;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::KeyCode;
use serde_json::{Value, json};
use tokio::sync::mpsc;

use crate::common::app::{BASE, folder, folders_outcome, key};
use crate::common::slow_uploads;

/// Counts the heap bytes live in this test binary, and the most that were live at once.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            added(layout.size());
        }
        p
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            added(layout.size());
        }
        p
    }
    unsafe fn dealloc(&self, p: *mut u8, layout: Layout) {
        unsafe { System.dealloc(p, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }
    unsafe fn realloc(&self, p: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let q = unsafe { System.realloc(p, layout, new_size) };
        if !q.is_null() {
            LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
            added(new_size);
        }
        q
    }
}

fn added(n: usize) {
    let live = LIVE.fetch_add(n, Ordering::Relaxed) + n;
    PEAK.fetch_max(live, Ordering::Relaxed);
}

#[global_allocator]
static COUNTING: Counting = Counting;

/// The counters are for the whole process: in a child, one test at a time.
fn serial() -> MutexGuard<'static, ()> {
    static LOCK: Mutex<()> = Mutex::new(());
    LOCK.lock().unwrap_or_else(|e| e.into_inner())
}

/// Set in the child process of [`alone`].
const ALONE: &str = "MP4U_SCALE_ALONE";

/// The counters are for the whole process, and this test binary runs other tests at the same
/// time: each test of this file runs in a child process of the binary that runs it alone
/// (`--exact`, one thread), with counters of its own (the children may run side by side). In
/// the parent, `alone(test)` runs that child, shows its output and checks it passed, and returns
/// `None`: the test returns. In the child it returns `Some` (holding [`serial`]): the test goes
/// on and measures.
fn alone(test: &str) -> Option<MutexGuard<'static, ()>> {
    if std::env::var_os(ALONE).is_some() {
        return Some(serial());
    }
    // `module_path!()` is `http::scale`; the harness names the test `scale::<test>`.
    let module = module_path!().split_once("::").map_or("", |(_, m)| m);
    let name = format!("{module}::{test}");
    let out = std::process::Command::new(std::env::current_exe().expect("this test binary"))
        .args([name.as_str(), "--exact", "--test-threads=1", "--nocapture"])
        .env(ALONE, "1")
        .output()
        .expect("run the test alone");
    let stdout = String::from_utf8_lossy(&out.stdout);
    print!("{stdout}");
    eprint!("{}", String::from_utf8_lossy(&out.stderr));
    assert!(
        out.status.success() && stdout.contains("test result: ok. 1 passed"),
        "{name}, run alone, failed ({})",
        out.status
    );
    None
}

const BIG: usize = 100_000;
/// The folder holding the big listing.
const FLD: u64 = 1;

/// A sandbox account with `count` generated files in folder 1 ("Big"), and those files in
/// the order `file/list` gives them (newest first).
fn account(count: usize) -> (SandboxState, Vec<FileRecord>) {
    let state = SandboxState::new("http://127.0.0.1:9", false);
    let fld = state.create_folder(0, "Big").expect("folder");
    assert_eq!(fld, FLD);
    state.generate_files(FLD, count, "Frieren - S01 [1080p]");
    let all = state
        .list(&ListQuery {
            fld_id: Some(FLD),
            per_page: usize::MAX,
            ..Default::default()
        })
        .expect("folder exists");
    (state, all)
}

/// Page `page` of `file/list` as the sandbox sends it (`per_page` 500), read the way the
/// client reads it.
fn page(all: &[FileRecord], page: u64) -> FileList {
    let from = ((page - 1) * PER_PAGE) as usize;
    let items: Vec<Value> = all
        .iter()
        .skip(from)
        .take(PER_PAGE as usize)
        .map(|f| {
            json!({
                "status": 200,
                "link": format!("http://127.0.0.1:9/{}.html", f.code),
                "filecode": f.code,
                "name": f.name,
                "downloads": f.downloads.to_string(),
                "size": f.size.to_string(),
                "uploaded": f.uploaded,
                "fld_id": f.fld_id.to_string(),
                "public": if f.public { "1" } else { "0" },
            })
        })
        .collect();
    let body = serde_json::to_vec(&json!({
        "msg": "OK", "status": 200, "server_time": "2025-01-01 00:00:00", "result": items,
    }))
    .expect("json");
    FileList::from_value(envelope::decode(200, &body, "").expect("envelope").result)
}

fn new_app() -> App {
    let mut app = App::new(AppOptions {
        page_size: crate::common::app::KNOWN_PAGES,
        base_url: BASE.into(),
        ..Default::default()
    });
    app.update(Event::Resize(120, 35));
    app
}

/// An app at 120x35 with the tree's folder "Big" highlighted and its listing asked for;
/// returns the req of that listing.
fn app_on_big() -> (App, u64) {
    let mut app = new_app();
    app.start();
    app.update(folders_outcome(0, vec![folder(FLD, "Big")]));
    let commands = app.update(key(KeyCode::Down));
    let req = commands
        .iter()
        .find_map(|c| match c {
            Command::ListFiles {
                fld_id: FLD,
                page: 1,
                req,
                ..
            } => Some(*req),
            _ => None,
        })
        .expect("the listing of Big is asked for");
    app.update(Event::Outcome(Outcome::Folder {
        fld_id: FLD,
        result: Ok(Default::default()),
    }));
    (app, req)
}

fn files_event(page: u64, req: u64, list: FileList) -> Event {
    Event::Outcome(Outcome::Files {
        fld_id: FLD,
        page,
        per_page: PER_PAGE,
        req,
        result: Ok(list),
    })
}

/// The next page the commands ask for, checking it is for the same listing.
fn next_page(commands: Vec<Command>, req: u64) -> Option<u64> {
    let asked: Vec<u64> = commands
        .into_iter()
        .filter_map(|c| match c {
            Command::ListFiles {
                fld_id: FLD,
                page,
                req: r,
                per_page,
                ..
            } => {
                assert_eq!((r, per_page), (req, PER_PAGE));
                Some(page)
            }
            _ => None,
        })
        .collect();
    assert!(asked.len() <= 1, "one page at a time: {asked:?}");
    asked.first().copied()
}

/// The screen as text, one line per row.
fn screen(app: &App) -> Vec<String> {
    let mut terminal = Terminal::new(TestBackend::new(120, 35)).expect("terminal");
    terminal
        .draw(|f| mp4u::ui::draw(f, app, &mp4u::theme::Theme::default()))
        .expect("draw");
    let buffer = terminal.backend().buffer();
    (0..buffer.area.height)
        .map(|y| {
            (0..buffer.area.width)
                .map(|x| buffer[(x, y)].symbol())
                .collect::<String>()
        })
        .collect()
}

/// The file pane's title (the top border of the right-hand pane).
fn files_title(app: &App) -> String {
    let top = screen(app)
        .into_iter()
        .find(|l| l.contains("Files ·"))
        .expect("files pane");
    top[top.find("Files ·").unwrap_or(0)..]
        .trim_end_matches(|c: char| c == '┐' || c == '─' || c.is_whitespace())
        .to_string()
}

/// Whether the screen shows the cursor's row within the pane.
fn cursor_in_view(app: &App) -> bool {
    let f = &app.files;
    f.cursor < f.view.len().max(1)
        && f.offset <= f.cursor
        && f.cursor < f.offset + app.files_height()
}

#[test]
fn a_listing_of_100k_files_costs_at_most_300_bytes_per_file() {
    let Some(_serial) = alone("a_listing_of_100k_files_costs_at_most_300_bytes_per_file") else {
        return;
    };
    let (_state, all) = account(BIG);
    let (mut app, req) = app_on_big();
    let before = LIVE.load(Ordering::Relaxed);
    let mut next = Some(1);
    while let Some(n) = next.take() {
        next = next_page(app.update(files_event(n, req, page(&all, n))), req);
    }
    let after = LIVE.load(Ordering::Relaxed);
    assert_eq!(app.files.files().len(), BIG);
    let per_file = after.saturating_sub(before) as f64 / BIG as f64;
    // For the README's performance section: `cargo test --test http scale:: -- --nocapture`.
    println!(
        "heap held by the app for {BIG} files: {per_file:.1} bytes per file (FileInfo itself: {})",
        std::mem::size_of::<FileInfo>()
    );
    assert!(per_file <= 300.0, "{per_file:.1} bytes per file");
}

#[test]
fn a_folder_of_100k_files_loads_page_by_page_and_stays_usable() {
    let Some(_serial) = alone("a_folder_of_100k_files_loads_page_by_page_and_stays_usable") else {
        return;
    };
    let (_state, all) = account(BIG);
    let (mut app, req) = app_on_big();
    let pages = BIG as u64 / PER_PAGE;
    let mut asked = vec![1];
    let mut next = Some(1);
    while let Some(n) = next.take() {
        next = next_page(app.update(files_event(n, req, page(&all, n))), req);
        let listed = (n * PER_PAGE).min(BIG as u64);
        if let Some(p) = next {
            asked.push(p);
            // Loading: the rows so far show at once, with a counter in the title.
            if n == 1 || n == 3 || n == pages / 2 {
                assert_eq!(app.files.view.len() as u64, listed);
                let title = files_title(&app);
                assert!(
                    title.contains(&format!("· {} so far", count(listed))),
                    "{title}"
                );
            }
            if n == pages / 2 {
                // The user goes to the end of what has arrived, marks the last row; the
                // next pages keep the cursor and the mark on that file.
                app.update(key(KeyCode::Tab));
                app.update(key(KeyCode::End));
                assert_eq!(app.files.cursor as u64, listed - 1);
                let code = app.files.current().expect("a row").file_code.clone();
                app.update(key(KeyCode::Char(' ')));
                assert!(app.files.marked.contains(&code));
                let after = app.update(files_event(n + 1, req, page(&all, n + 1)));
                assert_eq!(
                    app.files.current().map(|f| f.file_code.as_str()),
                    Some(&*code)
                );
                assert!(cursor_in_view(&app));
                next = next_page(after, req);
                asked.push(n + 2);
                assert_eq!(next, Some(n + 2));
            }
        }
    }
    // Every page once, in order, and one more to learn the end (page 200 was full).
    assert_eq!(asked, (1..=pages + 1).collect::<Vec<_>>());
    assert_eq!(app.files.files().len(), BIG);
    assert_eq!(app.files.view.len(), BIG);
    assert!(
        app.files
            .listing()
            .is_some_and(|l| l.complete && !l.loading)
    );
    let title = files_title(&app);
    assert!(
        title.ends_with(&format!("· {}", plural(BIG, "file"))),
        "{title}"
    );
    // The rows merged in page by page are the rows sorting everything gives.
    let merged = app.files.view.clone();
    app.files.rebuild();
    assert_eq!(app.files.view, merged);

    // The cursor at the end of the list, and paging past it.
    app.update(key(KeyCode::End));
    assert_eq!(app.files.cursor, BIG - 1);
    assert!(cursor_in_view(&app));
    let last = app.files.current().expect("last row").clone();
    assert_eq!(
        last.name.as_deref(),
        Some("Frieren - S01 [1080p] 099999.mp4")
    );
    assert!(screen(&app).iter().any(|l| l.contains("099999.mp4")));
    app.update(key(KeyCode::PageDown));
    assert_eq!(app.files.cursor, BIG - 1);
    assert!(cursor_in_view(&app));
    app.update(key(KeyCode::PageUp));
    assert!(app.files.cursor < BIG - 1 && cursor_in_view(&app));
    app.update(key(KeyCode::PageDown));
    app.update(key(KeyCode::PageDown));
    assert_eq!(app.files.cursor, BIG - 1);

    // Marking at the end: the last file, then the one before it (the cursor cannot pass the
    // end).
    app.update(key(KeyCode::Char(' ')));
    assert!(app.files.marked.contains(&last.file_code));
    assert_eq!(app.files.cursor, BIG - 1, "no row after the last");
    app.update(key(KeyCode::Up));
    app.update(key(KeyCode::Char(' ')));
    assert_eq!(
        app.files.marked.len(),
        3,
        "the mark made while loading stays"
    );
    assert!(
        screen(&app).iter().any(|l| l.contains("3 marked")),
        "the count of marks shows"
    );

    // The filter narrows 100,000 names and keeps the marks; Esc brings them all back.
    app.update(key(KeyCode::Char('/')));
    for c in "099 98".chars() {
        app.update(key(KeyCode::Char(c)));
    }
    let shown = app.files.view.len();
    assert!(shown > 0 && shown < BIG / 10, "{shown} rows");
    let mut fuzzy = Fuzzy::new("099 98").expect("a filter");
    for row in 0..shown {
        let name = app
            .files
            .at(row)
            .and_then(|f| f.name.clone())
            .expect("a name");
        assert!(fuzzy.matches(&name), "{name}");
    }
    assert!(cursor_in_view(&app));
    let title = files_title(&app);
    assert!(
        title.contains(&format!(
            "{} of {}",
            count(shown as u64),
            plural(BIG, "file")
        )),
        "{title}"
    );
    app.update(key(KeyCode::Enter));
    app.update(key(KeyCode::End));
    assert_eq!(app.files.cursor, shown - 1);
    assert!(cursor_in_view(&app));
    assert_eq!(app.files.marked.len(), 3);
    app.update(key(KeyCode::Esc));
    assert!(app.files.filter.is_empty());
    assert_eq!(app.files.view.len(), BIG);
    assert!(cursor_in_view(&app));
}

/// Names in no order at all, so that every page lands among the rows already there.
fn shuffled(n: usize) -> FileInfo {
    let h = (n as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 24;
    FileInfo {
        name: (!n.is_multiple_of(50)).then(|| format!("Show {} - E{:02}.mp4", h % 97, h % 13)),
        size: (!n.is_multiple_of(7)).then_some(h % 1_000),
        downloads: Some(h % 5),
        uploaded: Some(format!("2024-01-{:02} 00:00:00", 1 + h % 28).into()),
        fld_id: Some(FLD),
        public: Some(true),
        ..FileInfo::new(&format!("c{n:011}"))
    }
}

#[test]
fn rows_merged_page_by_page_equal_rows_sorted_at_once_in_every_order() {
    let Some(_serial) = alone("rows_merged_page_by_page_equal_rows_sorted_at_once_in_every_order")
    else {
        return;
    };
    for sort in Sort::ALL {
        for filter in ["", "show 1 e0"] {
            let (mut app, req) = app_on_big();
            app.files.sort = sort;
            app.files.filter = filter.to_string();
            let count = 5 * PER_PAGE as usize + 123;
            let mut next = Some(1);
            while let Some(n) = next.take() {
                let from = (n - 1) as usize * PER_PAGE as usize;
                let files = (from..count.min(from + PER_PAGE as usize))
                    .map(shuffled)
                    .collect();
                let list = FileList {
                    files,
                    results_total: None,
                    total_pages: None,
                };
                next = next_page(app.update(files_event(n, req, list)), req);
            }
            assert_eq!(app.files.files().len(), count);
            let merged = app.files.view.clone();
            app.files.rebuild();
            assert_eq!(app.files.view, merged, "{sort:?}, filter {filter:?}");
        }
    }
}

fn on_tokio(test: impl std::future::Future<Output = ()>) {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime")
        .block_on(test);
}

/// Runs the app against a sandbox through the real worker until `done` says so.
struct Live {
    app: App,
    worker: Worker,
    events: mpsc::UnboundedReceiver<Event>,
}

impl Live {
    async fn start(sandbox: &Sandbox, parallel_uploads: usize, dir: &std::path::Path) -> Live {
        let client = Client::new(
            &sandbox.base_url(),
            ApiKey::parse(sandbox.key()).expect("key"),
        )
        .expect("client")
        .with_pace(None);
        let (tx, events) = mpsc::unbounded_channel();
        let worker = Worker::new(
            Some(client),
            tx,
            sandbox.base_url(),
            dir.join("config.toml"),
            parallel_uploads,
        );
        let mut app = App::new(AppOptions {
            page_size: crate::common::app::KNOWN_PAGES,
            base_url: sandbox.base_url(),
            parallel_uploads,
            ..Default::default()
        });
        app.update(Event::Resize(120, 35));
        let mut live = Live {
            app,
            worker,
            events,
        };
        let commands = live.app.start();
        live.run(commands);
        live
    }

    fn run(&self, commands: Vec<Command>) {
        for c in commands {
            self.worker.run(c);
        }
    }

    fn update(&mut self, event: Event) {
        let commands = self.app.update(event);
        self.run(commands);
    }

    /// The next event from the worker, given to the app; also returned.
    async fn step(&mut self) -> Event {
        let event = tokio::time::timeout(Duration::from_secs(60), self.events.recv())
            .await
            .expect("the worker answers")
            .expect("the channel is open");
        self.update(event.clone());
        event
    }
}

#[test]
fn a_long_folder_streams_in_from_the_sandbox_with_a_counter() {
    let Some(_serial) = alone("a_long_folder_streams_in_from_the_sandbox_with_a_counter") else {
        return;
    };
    on_tokio(a_long_folder_streams_in_from_the_sandbox_with_a_counter_run());
}

async fn a_long_folder_streams_in_from_the_sandbox_with_a_counter_run() {
    const COUNT: usize = 20_000;
    let sandbox = Sandbox::start(SandboxConfig {
        demo_data: false,
        ..Default::default()
    })
    .await
    .expect("sandbox");
    let state = sandbox.state();
    let fld = state.create_folder(0, "Big").expect("folder");
    state.generate_files(fld, COUNT, "Frieren - S01 [1080p]");
    let dir = tempfile::tempdir().expect("tempdir");
    let mut live = Live::start(&sandbox, 2, dir.path()).await;
    while live.app.tree.node(fld).is_none() {
        live.step().await;
    }
    live.update(key(KeyCode::Down));
    assert_eq!(live.app.tree.selected, fld);
    let mut counters = Vec::new();
    let mut pages = Vec::new();
    loop {
        if let Event::Outcome(Outcome::Files { fld_id, page, .. }) = live.step().await
            && fld_id == fld
        {
            pages.push(page);
            let title = files_title(&live.app);
            if let Some(n) = title
                .split(" so far")
                .next()
                .filter(|_| title.contains(" so far"))
                .and_then(|t| t.rsplit(' ').next())
                .and_then(|n| n.replace(',', "").parse::<usize>().ok())
            {
                counters.push(n);
            }
            if live.app.files.listing().is_some_and(|l| l.complete) {
                assert!(
                    title.ends_with(&format!("· {}", plural(COUNT, "file"))),
                    "{title}"
                );
                break;
            }
        }
    }
    let expected = (COUNT as u64).div_ceil(PER_PAGE) + 1;
    assert_eq!(pages, (1..=expected).collect::<Vec<_>>());
    // The counter grows by a page at a time.
    let steps: Vec<usize> = (1..expected as usize)
        .map(|p| p * PER_PAGE as usize)
        .collect();
    assert_eq!(counters, steps);
    assert_eq!(live.app.files.view.len(), COUNT);
    sandbox.shutdown().await;
}

#[test]
fn fifty_queued_uploads_run_two_at_a_time_without_buffering_files() {
    let Some(_serial) = alone("fifty_queued_uploads_run_two_at_a_time_without_buffering_files")
    else {
        return;
    };
    on_tokio(fifty_queued_uploads_run_two_at_a_time_without_buffering_files_run());
}

async fn fifty_queued_uploads_run_two_at_a_time_without_buffering_files_run() {
    const UPLOADS: usize = 50;
    /// Larger than what the transfers hold in buffers, so that a file held whole would show.
    const SIZE: usize = 8 << 20;
    let store = tempfile::tempdir().expect("store");
    let sandbox = Sandbox::start(SandboxConfig {
        store_dir: Some(store.path().to_path_buf()),
        // About 0.12 s per file: uploads overlap for long enough to be counted.
        ..slow_uploads(64 << 20)
    })
    .await
    .expect("sandbox");
    let dir = tempfile::tempdir().expect("tempdir");
    let video = dir.path().join("episode.mp4");
    let mut bytes = vec![0u8; SIZE];
    fastrand::Rng::with_seed(5).fill(&mut bytes);
    std::fs::write(&video, &bytes).expect("write");
    drop(bytes);

    let mut live = Live::start(&sandbox, 2, dir.path()).await;
    // Let the start's calls settle.
    while live.app.account.is_none() {
        live.step().await;
    }

    // The sandbox's side: files being received have a `.part` in the store.
    let parts = Arc::new(AtomicUsize::new(0));
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let sampler = {
        let (parts, stop, path) = (parts.clone(), stop.clone(), store.path().to_path_buf());
        std::thread::spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                let n = std::fs::read_dir(&path)
                    .map(|d| {
                        d.filter_map(Result::ok)
                            .filter(|e| e.file_name().to_string_lossy().ends_with(".part"))
                            .count()
                    })
                    .unwrap_or(0);
                parts.fetch_max(n, Ordering::Relaxed);
                std::thread::sleep(Duration::from_millis(5));
            }
        })
    };

    let base = LIVE.load(Ordering::Relaxed);
    PEAK.store(base, Ordering::Relaxed);
    // Fifty names for the one file (the queue keeps one entry per file and folder).
    let accepted: Vec<CheckedFile> = (0..UPLOADS)
        .map(|i| {
            let path = dir.path().join(format!("episode {i:02}.mp4"));
            std::os::unix::fs::symlink(&video, &path).expect("symlink");
            CheckedFile {
                path,
                size: SIZE as u64,
                warning: None,
            }
        })
        .collect();
    let commands = live.app.update(Event::Outcome(Outcome::UploadsChecked {
        accepted,
        refused: vec![],
    }));
    assert!(
        matches!(commands.as_slice(), [Command::PrepareUploads { .. }]),
        "written to the queue file before anything starts: {commands:?}"
    );
    live.run(commands);
    while !matches!(
        live.step().await,
        Event::Outcome(Outcome::UploadsPrepared { .. })
    ) {}
    let running = |app: &App| {
        app.uploads
            .items
            .iter()
            .filter(|u| u.state == UploadState::Running)
            .count()
    };
    assert_eq!(
        running(&live.app),
        2,
        "the first two are started; the rest start as slots free, in order"
    );

    let (mut started, mut finished) = (HashSet::new(), HashSet::new());
    let mut most = 0;
    while finished.len() < UPLOADS {
        match live.step().await {
            Event::Outcome(Outcome::UploadProgress { id, .. }) => {
                started.insert(id);
            }
            Event::Outcome(Outcome::UploadFinished { id, result }) => {
                assert!(result.is_ok(), "{result:?}");
                finished.insert(id);
            }
            _ => {}
        }
        most = most.max(started.len() - finished.len());
    }
    let peak = PEAK.load(Ordering::Relaxed).saturating_sub(base);
    stop.store(true, Ordering::Relaxed);
    sampler.join().expect("sampler");

    assert_eq!(most, 2, "two uploads at a time (parallel_uploads = 2)");
    let server_side = parts.load(Ordering::Relaxed);
    assert!(
        (1..=2).contains(&server_side),
        "{server_side} uploads received at once"
    );
    assert!(
        live.app
            .uploads
            .items
            .iter()
            .all(|u| matches!(u.state, UploadState::Done { .. })),
        "every upload is done"
    );
    assert_eq!(sandbox.state().file_count(), UPLOADS);
    let kept = LIVE.load(Ordering::Relaxed).saturating_sub(base);
    println!(
        "{UPLOADS} uploads of {} MiB: peak heap growth {} KiB, at most {most} at once \
         ({server_side} seen by the sandbox), {} KiB still held after",
        SIZE >> 20,
        peak >> 10,
        kept >> 10
    );
    // Flat: the buffers of the two transfers (client and sandbox both count here), not the
    // files: two files held whole would be 16 MiB, fifty 400 MiB.
    assert!(peak < 2 * SIZE, "peak heap growth {peak} bytes");
    // What stays (idle connections' buffers, the queue's rows) is not the files either.
    assert!(kept < SIZE, "{kept} bytes still held after the uploads");
    sandbox.shutdown().await;
}
