//! Screens as text, kept as reviewed insta snapshots: the main screen at two sizes, each popup,
//! help, the first-run prompt and the too-small message.

use mp4u::api::{AccountInfo, ApiError, ClonedFile, FileInfo, FileList, StorageLeft};
use mp4u::app::{App, Command, Event, Outcome};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::common::app::finished;
use crate::common::app::{
    BASE, ctrl, entry, feed, files_outcome, folder, folders_outcome, key, key_refused, progress,
    typed,
};

/// A playable file of folder 11 (Season 1), three views started per download.
pub(crate) fn file(code: &str, name: &str, size: u64, downloads: u64, uploaded: &str) -> FileInfo {
    FileInfo {
        name: Some(name.into()),
        size: Some(size),
        downloads: Some(downloads),
        uploaded: Some(uploaded.into()),
        fld_id: Some(11),
        public: Some(true),
        canplay: Some(true),
        views_started: Some(downloads * 3),
        ..FileInfo::new(code)
    }
}

/// An account with a tree three levels deep and the files of /Anime/Frieren/Season 1 shown.
pub(crate) fn app(width: u16, height: u16) -> App {
    let mut app = App::new(crate::common::app::options(BASE));
    app.update(Event::Resize(width, height));
    let mut commands = app.start();
    let folders = |id: u64, list: &[(u64, &str)]| {
        folders_outcome(id, list.iter().map(|(i, n)| folder(*i, n)).collect())
    };
    app.update(Event::Outcome(Outcome::Account(Ok(AccountInfo {
        email: Some("[email protected]".into()),
        balance: Some(12.5),
        storage_used: Some(24_186_265_000),
        storage_left: StorageLeft::Bytes(104_000_000_000),
        premium_expire: Some("2027-10-24 21:00:00".into()),
    }))));
    app.update(folders(0, &[(1, "Anime"), (2, "Movies"), (3, "Tutorials")]));
    // Open Anime → Frieren → Season 1.
    commands.extend(app.update(key(KeyCode::Down)));
    commands.extend(app.update(key(KeyCode::Right)));
    app.update(folders(1, &[(10, "Frieren"), (12, "Dungeon Meshi")]));
    commands.extend(app.update(key(KeyCode::Right)));
    commands.extend(app.update(key(KeyCode::Down)));
    commands.extend(app.update(key(KeyCode::Right)));
    app.update(folders(12, &[]));
    app.update(folders(10, &[(11, "Season 1")]));
    commands.extend(app.update(key(KeyCode::Right)));
    commands.extend(app.update(key(KeyCode::Right)));
    assert_eq!(app.tree.path(app.tree.selected), "/Anime/Frieren/Season 1");
    let req = commands
        .iter()
        .rev()
        .find_map(|c| match c {
            Command::ListFiles {
                fld_id: 11, req, ..
            } => Some(*req),
            _ => None,
        })
        .expect("listing asked");
    let files: Vec<FileInfo> = (1..=14)
        .map(|n| {
            file(
                &format!("code{n:08}"),
                &format!("Frieren - S01E{n:02} [1080p].mp4"),
                300_000_000 + n * 17_000_000,
                100 + n * 37,
                &format!("2024-06-{:02} 10:00:00", n + 1),
            )
        })
        .collect();
    app.update(files_outcome(11, req, files));
    app.update(folders(11, &[]));
    app.update(key(KeyCode::Tab));
    app.update(key(KeyCode::Down));
    app.update(key(KeyCode::Down));
    app
}

pub(crate) fn render(app: &App) -> String {
    let (w, h) = app.size;
    let mut terminal = Terminal::new(TestBackend::new(w, h)).expect("terminal");
    terminal
        .draw(|frame| mp4u::ui::draw(frame, app, &mp4u::theme::Theme::default()))
        .expect("draw");
    let buffer = terminal.backend().buffer();
    let mut out = String::new();
    for y in 0..h {
        let mut line = String::new();
        let mut x = 0;
        while x < w {
            // A wide character covers two cells; the second holds nothing of its own.
            let symbol = buffer[(x, y)].symbol();
            line.push_str(symbol);
            x += unicode_width::UnicodeWidthStr::width(symbol).max(1) as u16;
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

#[test]
fn main_screen_120x35() {
    let mut app = app(120, 35);
    app.update(key(KeyCode::Char(' ')));
    insta::assert_snapshot!(render(&app));
}

#[test]
fn main_screen_80x24() {
    let app = app(80, 24);
    insta::assert_snapshot!(render(&app));
}

#[test]
fn rename_popup() {
    let mut app = app(120, 35);
    app.update(key(KeyCode::F(2)));
    insta::assert_snapshot!(render(&app));
}

#[test]
fn rename_popup_refusing_an_empty_name() {
    let mut app = app(80, 24);
    app.update(key(KeyCode::Char('r')));
    app.update(Event::Key(KeyEvent::new(
        KeyCode::Char('u'),
        KeyModifiers::CONTROL,
    )));
    app.update(key(KeyCode::Enter));
    insta::assert_snapshot!(render(&app));
}

#[test]
fn new_folder_popup() {
    let mut app = app(120, 35);
    app.update(key(KeyCode::F(7)));
    feed(&mut app, typed("Season 2"));
    insta::assert_snapshot!(render(&app));
}

#[test]
fn move_popup_filtered() {
    let mut app = app(120, 35);
    app.update(key(KeyCode::Char(' ')));
    app.update(key(KeyCode::Char(' ')));
    app.update(key(KeyCode::F(6)));
    app.update(folders_outcome(2, vec![folder(20, "2023")]));
    app.update(Event::Outcome(Outcome::Folder {
        fld_id: 3,
        result: Ok(Default::default()),
    }));
    app.update(Event::Outcome(Outcome::Folder {
        fld_id: 20,
        result: Ok(Default::default()),
    }));
    feed(&mut app, typed("mo"));
    insta::assert_snapshot!(render(&app));
}

#[test]
fn details_popup() {
    let mut app = app(120, 35);
    app.update(key(KeyCode::Enter));
    let info = file(
        "code00000003",
        "Frieren - S01E03 [1080p].mp4",
        351_000_000,
        211,
        "2024-06-04 10:00:00",
    );
    app.update(Event::Outcome(Outcome::FileInfo {
        code: "code00000003".into(),
        result: Ok(info),
    }));
    insta::assert_snapshot!(render(&app));
}

#[test]
fn clone_popup() {
    let mut app = app(120, 35);
    app.update(key(KeyCode::F(5)));
    let commands = app.update(key(KeyCode::Enter));
    let Some(Command::CloneFile { req, file }) = commands.first().cloned() else {
        panic!("{commands:?}")
    };
    app.update(Event::Outcome(Outcome::Cloned {
        req,
        source: Box::new(file),
        result: Ok(ClonedFile {
            file_code: "gtl2mhgw4is7".into(),
            url: Some(format!("{BASE}/gtl2mhgw4is7")),
        }),
    }));
    insta::assert_snapshot!(render(&app));
}

#[test]
fn error_popup() {
    let mut app = app(80, 24);
    app.update(key_refused());
    insta::assert_snapshot!(render(&app));
}

#[test]
fn help_popup() {
    let mut app = app(120, 35);
    app.update(key(KeyCode::F(1)));
    insta::assert_snapshot!(render(&app));
}

#[test]
fn filter_line() {
    let mut app = app(120, 35);
    app.update(key(KeyCode::Char('/')));
    feed(&mut app, typed("s01e13"));
    insta::assert_snapshot!(render(&app));
}

#[test]
fn first_run_key_prompt() {
    let mut app = crate::common::app::first_run_app();
    app.update(Event::Resize(80, 24));
    feed(&mut app, typed("abcdef"));
    insta::assert_snapshot!(render(&app));
}

#[test]
fn too_small() {
    let mut app = app(120, 35);
    app.update(Event::Resize(30, 8));
    insta::assert_snapshot!(render(&app));
}

#[test]
fn no_panic_at_any_small_size() {
    let mut app = app(120, 35);
    for (w, h) in [
        (1, 1),
        (2, 1),
        (1, 2),
        (10, 3),
        (49, 9),
        (50, 10),
        (51, 11),
        (60, 12),
        (200, 5),
        (5, 200),
    ] {
        app.update(Event::Resize(w, h));
        let _ = render(&app);
        app.update(key(KeyCode::F(6)));
        let _ = render(&app);
        app.update(key(KeyCode::Esc));
        app.update(key(KeyCode::F(1)));
        let _ = render(&app);
        app.update(key(KeyCode::Esc));
    }
}

/// The upload picker on a listed directory with one file marked.
pub(crate) fn picker_app(width: u16, height: u16) -> App {
    let mut app = app(width, height);
    app.cwd = std::path::PathBuf::from("/home/me/videos");
    app.update(key(KeyCode::Char('u')));
    app.update(Event::Outcome(Outcome::DirListed {
        path: "/home/me/videos/".into(),
        result: Ok(vec![
            entry("season 2", true, None),
            entry("Frieren - S01E15 [1080p].mkv", false, Some(512_300_000)),
            entry("Frieren - S01E16 [1080p].mkv", false, Some(498_000_000)),
            entry("notes.txt", false, Some(1_200)),
        ]),
    }));
    app.update(key(KeyCode::Down));
    app.update(key(KeyCode::Down));
    app.update(key(KeyCode::Insert));
    app
}

#[test]
fn upload_picker() {
    insta::assert_snapshot!(render(&picker_app(120, 35)));
}

#[test]
fn upload_picker_80x24() {
    insta::assert_snapshot!(render(&picker_app(80, 24)));
}

/// Three uploads: one done, one running at a steady 10 MB/s, one failed.
pub(crate) fn transfers_app() -> App {
    use mp4u::app::popups::CheckedFile;
    use std::time::{Duration, Instant};
    let mut app = picker_app(120, 35);
    let files = [
        ("ep15.mkv", 512_300_000),
        ("ep16.mkv", 498_000_000),
        ("ep17.mkv", 300_000_000),
    ];
    let commands = app.update(Event::Outcome(Outcome::UploadsChecked {
        accepted: files
            .iter()
            .map(|(n, s)| CheckedFile {
                path: format!("/home/me/videos/{n}").into(),
                size: *s,
                warning: None,
            })
            .collect(),
        refused: vec![],
    }));
    crate::common::app::prepared(&mut app, commands);
    // Two start at once; the third when the first is done.
    let ids: Vec<u64> = app.uploads.items.iter().map(|u| u.id).collect();
    let t0 = Instant::now();
    app.update(finished(
        ids[0],
        Ok(mp4u::api::UploadedFile {
            file_code: "gtl2mhgw4is7".into(),
            name: "ep15.mkv".into(),
            size: 512_300_000,
            url: format!("{BASE}/gtl2mhgw4is7"),
            placement: mp4u::api::Placement::InFolder { fld_id: 11 },
            uploaded: None,
            recovered: false,
        }),
    ));
    for s in 0..=3u64 {
        app.update(progress(
            ids[1],
            100_000_000 + s * 10_000_000,
            t0 + Duration::from_secs(s),
        ));
    }
    app.update(finished(
        ids[2],
        Err(ApiError::UploadRefused {
            reason: "uploads are not enabled for your account type".into(),
        }),
    ));
    app.notice = None;
    app
}

#[test]
fn transfers_view() {
    insta::assert_snapshot!(render(&transfers_app()));
}

#[test]
fn account_line_summary_and_quit_question() {
    let mut app = transfers_app();
    app.update(key(KeyCode::Esc));
    app.update(key(KeyCode::Char('q')));
    insta::assert_snapshot!(render(&app));
}

pub(crate) fn days(n: u32) -> Vec<mp4u::api::DayStats> {
    (0..n)
        .map(|i| {
            let d = u64::from(i);
            mp4u::api::DayStats {
                day: format!("2026-{:02}-{:02}", 9 + i / 30, 1 + i % 30),
                views: 3_000 + (d * 37 % 11) * 400 + if i % 7 == 5 { 2_000 } else { 0 },
                downloads: 500 + (d * 13 % 7) * 90,
                views_prem: 100,
                views_adb: 300,
                sales: 1,
                refs: 0,
                profit_views: 5.0,
                profit_sales: 1.0,
                profit_refs: 0.0,
                profit_site: 0.0,
                profit_total: 6.0 + (d % 5) as f64,
            }
        })
        .collect()
}

pub(crate) fn stats_app(width: u16, height: u16, period: u32) -> App {
    let mut app = app(width, height);
    app.update(key(KeyCode::Char('s')));
    let steps = [7, 30, 90].iter().position(|p| *p == period).unwrap();
    for _ in 0..steps {
        app.update(key(KeyCode::Right));
    }
    app.update(Event::Outcome(Outcome::Stats {
        days: period,
        result: Ok(days(period)),
    }));
    app
}

#[test]
fn stats_7_days() {
    insta::assert_snapshot!(render(&stats_app(120, 35, 7)));
}

#[test]
fn stats_7_days_80x24() {
    insta::assert_snapshot!(render(&stats_app(80, 24, 7)));
}

#[test]
fn stats_90_days_80x24() {
    let mut app = stats_app(80, 24, 90);
    app.update(key(KeyCode::Tab));
    insta::assert_snapshot!(render(&app));
}

#[test]
fn deleted_view() {
    let mut app = app(120, 35);
    app.update(key(KeyCode::Char('d')));
    let files = (0..6u64)
        .map(|i| mp4u::api::DeletedFile {
            file_code: format!("del{i:09}"),
            name: Some(format!("old cut {i}.mp4")),
            deleted: Some(format!("2026-11-{:02} 10:00:00", 26 - i * 3)),
            deleted_ago_sec: Some(86_400 * (1 + i * 3)),
        })
        .collect();
    app.update(Event::Outcome(Outcome::Deleted {
        last: 20,
        result: Ok(files),
    }));
    insta::assert_snapshot!(render(&app));
}

#[test]
fn link_checker_with_results() {
    let mut app = app(120, 35);
    app.update(key(KeyCode::Char('L')));
    app.update(Event::Paste(format!(
        "code00000001\n{BASE}/code00000002.html, {BASE}/embed-gone00000000.html junk code00000001"
    )));
    let commands = app.update(key(KeyCode::Enter));
    let Some(Command::CheckLinks { codes, req }) = commands.first().cloned() else {
        panic!("{commands:?}")
    };
    assert_eq!(codes, ["code00000001", "code00000002", "gone00000000"]);
    let mut results: Vec<FileInfo> = codes[..2]
        .iter()
        .enumerate()
        .map(|(i, c)| {
            file(
                c,
                &format!("Frieren - S01E0{} [1080p].mp4", i + 1),
                317_000_000,
                137,
                "2024-06-02 10:00:00",
            )
        })
        .collect();
    results.push(FileInfo::missing("gone00000000"));
    app.update(Event::Outcome(Outcome::LinksChecked {
        req,
        result: Ok(results),
    }));
    app.notice = None;
    insta::assert_snapshot!(render(&app));
}

#[test]
fn copy_formats_menu() {
    let mut app = app(120, 35);
    app.focus = mp4u::app::Focus::Files;
    feed(&mut app, [key(KeyCode::Char(' ')), key(KeyCode::Char(' '))]);
    feed(
        &mut app,
        [
            key(KeyCode::Char('y')),
            key(KeyCode::Down),
            key(KeyCode::Down),
        ],
    );
    app.notice = None;
    insta::assert_snapshot!(render(&app));
}

#[test]
fn rename_with_a_template() {
    let mut app = app(120, 35);
    app.focus = mp4u::app::Focus::Files;
    for _ in 0..12 {
        feed(&mut app, [key(KeyCode::Char(' '))]);
    }
    feed(&mut app, [key(KeyCode::Char('r')), ctrl('u')]);
    feed(&mut app, typed("Frieren - S01E{n:02} [1080p]{ext}"));
    app.notice = None;
    insta::assert_snapshot!(render(&app));
}

#[test]
fn search_with_results() {
    let mut app = app(120, 35);
    app.update(key(KeyCode::Char('f')));
    feed(&mut app, typed("S01E0"));
    let commands = app.update(key(KeyCode::Enter));
    let Some(Command::Search { req, query }) = commands.first().cloned() else {
        panic!("{commands:?}")
    };
    assert_eq!(query.name.as_deref(), Some("S01E0"));
    let files = (1..=4)
        .map(|n| {
            file(
                &format!("code{n:08}"),
                &format!("Frieren - S01E0{n} [1080p].mp4"),
                300_000_000,
                100 + n,
                "2024-06-02 10:00:00",
            )
        })
        .collect();
    app.update(Event::Outcome(Outcome::SearchResults {
        req,
        page: 1,
        per_page: 100,
        result: Ok(FileList {
            files,
            results_total: None,
            total_pages: None,
        }),
    }));
    insta::assert_snapshot!(render(&app));
}

#[test]
fn sort_menu() {
    let mut app = app(80, 24);
    app.update(key(KeyCode::Char('S')));
    app.update(key(KeyCode::Down));
    app.update(key(KeyCode::Down));
    insta::assert_snapshot!(render(&app));
}

#[test]
fn wide_right_to_left_and_control_characters_in_names() {
    let mut app = app(100, 16);
    let names = [
        "🎬 trailer final 🎥.mp4",
        "שלום עולם - פרק 1.mp4",
        "日本語のタイトル 第1話.mp4",
        "evil\u{1b}[2Jname\u{7}.mp4",
        "מעורב mixed עברית 12.mp4",
    ];
    // Replace the shown folder's files through a refresh answer.
    let commands = app.update(Event::Key(KeyEvent::new(
        KeyCode::Char('r'),
        KeyModifiers::CONTROL,
    )));
    let req = commands
        .iter()
        .find_map(|c| match c {
            Command::ListFiles { req, .. } => Some(*req),
            _ => None,
        })
        .expect("refresh lists again");
    let files = names
        .iter()
        .enumerate()
        .map(|(i, n)| {
            file(
                &format!("wide{i:08}"),
                n,
                1_000_000 * (i as u64 + 1),
                i as u64,
                "2024-06-02 10:00:00",
            )
        })
        .collect();
    app.update(files_outcome(11, req, files));
    app.notice = None;
    app.popup = None;
    let screen = render(&app);
    // Every row of the file pane ends at the same column: widths are counted in cells.
    for line in screen.lines().filter(|l| l.contains(".mp4")) {
        assert!(line.ends_with('│'), "{line}");
    }
    assert!(
        !screen.contains('\u{1b}'),
        "no escape sequence reaches the terminal"
    );
    insta::assert_snapshot!(screen);
}

/// What an earlier run left unfinished, offered at start over the browser.
pub(crate) fn resume_prompt_app(width: u16, height: u16) -> App {
    super::queue_flows::left_unfinished(app(width, height))
}

#[test]
fn resume_prompt() {
    insta::assert_snapshot!(render(&resume_prompt_app(120, 35)));
}

#[test]
fn resume_prompt_80x24() {
    insta::assert_snapshot!(render(&resume_prompt_app(80, 24)));
}

/// The picker with the directory "season 2" marked too, and its plan confirmed.
pub(crate) fn tree_confirmation_app(width: u16, height: u16) -> App {
    let mut app = picker_app(width, height);
    feed(
        &mut app,
        [key(KeyCode::Up), key(KeyCode::Up), key(KeyCode::Insert)],
    );
    let commands = feed(&mut app, [key(KeyCode::Enter)]);
    let Some(Command::PlanTree { req, .. }) = commands.first() else {
        panic!("{commands:?}")
    };
    app.update(Event::Outcome(Outcome::TreePlanned {
        req: *req,
        result: Ok(Box::new(super::queue_flows::tree_plan_into(
            11,
            "/Anime/Frieren/Season 1",
        ))),
    }));
    app
}

#[test]
fn tree_confirmation() {
    insta::assert_snapshot!(render(&tree_confirmation_app(120, 35)));
}

/// Two of three files checked for Season 1 are there already (same name and size).
pub(crate) fn duplicates_app(width: u16, height: u16) -> App {
    use mp4u::app::popups::CheckedFile;
    let mut app = app(width, height);
    let checked = |name: &str, size: u64| CheckedFile {
        path: format!("/home/me/videos/{name}").into(),
        size,
        warning: None,
    };
    let commands = app.update(Event::Outcome(Outcome::UploadsChecked {
        accepted: vec![
            checked("Frieren - S01E03 [1080p].mp4", 351_000_000),
            checked("Frieren - S01E04 [1080p].mp4", 368_000_000),
            checked("Frieren - S01E15 [1080p].mkv", 512_300_000),
        ],
        refused: vec![],
    }));
    crate::common::app::prepared(&mut app, commands);
    app.notice = None;
    app
}

#[test]
fn duplicates_question() {
    insta::assert_snapshot!(render(&duplicates_app(120, 35)));
}

/// The transfers view with uploads paused, one another mp4u sends, and files skipped as
/// already there.
pub(crate) fn transfers_paused_app() -> App {
    let mut app = duplicates_app(120, 35);
    feed(&mut app, [key(KeyCode::Enter)]);
    let mut app = super::queue_flows::left_unfinished(app);
    feed(&mut app, [key(KeyCode::Esc)]);
    app.notice = None;
    app
}

#[test]
fn transfers_with_paused_and_skipped_uploads() {
    insta::assert_snapshot!(render(&transfers_paused_app()));
}

#[test]
fn the_quit_question_counts_running_uploads_in_plain_words() {
    use mp4u::app::popups::Popup;
    let question = |app: &App| match &app.popup {
        Some(Popup::Confirm(c)) => c.question.clone(),
        other => panic!("{other:?}"),
    };
    // Three queued: two start, all three are not over.
    let mut app = picker_app(120, 35);
    let commands = app.update(Event::Outcome(Outcome::UploadsChecked {
        accepted: ["a.mp4", "b.mp4", "c.mp4"]
            .iter()
            .map(|n| mp4u::app::popups::CheckedFile {
                path: format!("/v/{n}").into(),
                size: 1_000,
                warning: None,
            })
            .collect(),
        refused: vec![],
    }));
    crate::common::app::prepared(&mut app, commands);
    app.update(key(KeyCode::Esc));
    app.update(key(KeyCode::Char('q')));
    assert_eq!(
        question(&app),
        "3 uploads are still running. Quit and stop them?"
    );
}
