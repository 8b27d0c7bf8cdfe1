//! Uploads through the state machine: the picker, the checks, the queue, progress, cancel,
//! retry, and quitting while uploads run. Keys and fake outcomes in, commands and state out.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use mp4u::api::{ApiError, TransportKind, UploadedFile};
use mp4u::app::popups::CheckedFile;
use mp4u::app::popups::Popup;
use mp4u::app::uploads::UploadState;
use mp4u::app::{App, Command, Event, Outcome};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::common::app::finished;
use crate::common::app::progress;
use crate::common::app::{ch, entry, feed, key, prepared, typed, uploads_app};

/// An app on the root with one folder (Anime, 1), the tree on Anime, and the picker's
/// directory /videos/ listed.
fn app_with_picker() -> App {
    let mut app = uploads_app();
    feed(&mut app, [ch('j')]);
    let commands = feed(&mut app, [ch('u')]);
    assert_eq!(
        commands,
        [Command::ReadDir {
            path: "/videos/".into()
        }]
    );
    feed(
        &mut app,
        [Event::Outcome(Outcome::DirListed {
            path: "/videos/".into(),
            result: Ok(vec![
                entry("season 2", true, None),
                entry("ep01.mp4", false, Some(30_000_000)),
                entry("ep02.mp4", false, Some(20_000_000)),
                entry("notes.txt", false, Some(3)),
            ]),
        })],
    );
    app
}

fn picker(app: &App) -> &mp4u::app::popups::UploadPicker {
    match &app.popup {
        Some(Popup::Upload(p)) => p,
        other => panic!("no picker: {other:?}"),
    }
}

fn checked(path: &str, size: u64) -> CheckedFile {
    CheckedFile {
        path: PathBuf::from(path),
        size,
        warning: None,
    }
}

/// Queues /videos/ep01.mp4 and returns the upload's id.
fn queue_one(app: &mut App) -> u64 {
    feed(app, typed("ep01"));
    let commands = feed(app, [key(KeyCode::Enter)]);
    assert_eq!(
        commands,
        [Command::CheckUploads {
            paths: vec![PathBuf::from("/videos/ep01.mp4")],
            max_bytes: 500_000_000
        }]
    );
    let commands = feed(
        app,
        [Event::Outcome(Outcome::UploadsChecked {
            accepted: vec![checked("/videos/ep01.mp4", 30_000_000)],
            refused: vec![],
        })],
    );
    // Written to the queue file, and the folder checked for the same file, before it starts.
    let [Command::PrepareUploads { list_folders, .. }] = commands.as_slice() else {
        panic!("{commands:?}")
    };
    assert_eq!(
        list_folders,
        &[1],
        "the folder's files are not all known: listed"
    );
    let commands = prepared(app, commands);
    let [
        Command::StartUpload {
            id, path, fld_id, ..
        },
    ] = commands.as_slice()
    else {
        panic!("{commands:?}")
    };
    assert_eq!(path, &PathBuf::from("/videos/ep01.mp4"));
    assert_eq!(*fld_id, 1, "into the folder highlighted in the tree");
    *id
}

#[test]
fn the_picker_starts_in_the_current_directory_with_directories_first() {
    let app = app_with_picker();
    let p = picker(&app);
    assert_eq!(p.input.value(), "/videos/");
    assert_eq!(p.folder_path, "/Anime");
    let names: Vec<String> = p.visible().iter().map(|e| e.name.clone()).collect();
    assert_eq!(
        names,
        ["..", "season 2", "ep01.mp4", "ep02.mp4", "notes.txt"]
    );
}

#[test]
fn typing_narrows_and_tab_completes() {
    let mut app = app_with_picker();
    feed(&mut app, typed("e"));
    assert_eq!(picker(&app).visible().len(), 2);
    feed(&mut app, [key(KeyCode::Tab)]);
    assert_eq!(picker(&app).input.value(), "/videos/ep0");
    feed(&mut app, typed("2"));
    feed(&mut app, [key(KeyCode::Tab)]);
    assert_eq!(picker(&app).input.value(), "/videos/ep02.mp4");
    // Completing a directory opens it.
    let mut app = app_with_picker();
    feed(&mut app, typed("sea"));
    let commands = feed(&mut app, [key(KeyCode::Tab)]);
    assert_eq!(
        commands,
        [Command::ReadDir {
            path: "/videos/season 2/".into()
        }]
    );
}

#[test]
fn enter_opens_directories_and_goes_up_with_dotdot() {
    let mut app = app_with_picker();
    let commands = feed(&mut app, [key(KeyCode::Down), key(KeyCode::Enter)]);
    assert_eq!(
        commands,
        [Command::ReadDir {
            path: "/videos/season 2/".into()
        }]
    );
    // While the new directory is read, ".." is already there to go back.
    let commands = feed(&mut app, [key(KeyCode::Enter)]);
    assert_eq!(
        commands,
        [Command::ReadDir {
            path: "/videos/".into()
        }]
    );
    let mut app = app_with_picker();
    let commands = feed(&mut app, [key(KeyCode::Enter)]); // the first entry is ".."
    assert_eq!(commands, [Command::ReadDir { path: "/".into() }]);
}

#[test]
fn space_marks_on_an_empty_name_and_types_a_space_otherwise() {
    let mut app = app_with_picker();
    feed(
        &mut app,
        [key(KeyCode::Down), key(KeyCode::Down), ch(' '), ch(' ')],
    );
    assert_eq!(
        picker(&app).marked,
        [
            PathBuf::from("/videos/ep01.mp4"),
            PathBuf::from("/videos/ep02.mp4")
        ]
    );
    let commands = feed(&mut app, [key(KeyCode::Enter)]);
    assert_eq!(
        commands,
        [Command::CheckUploads {
            paths: vec![
                PathBuf::from("/videos/ep01.mp4"),
                PathBuf::from("/videos/ep02.mp4")
            ],
            max_bytes: 500_000_000
        }]
    );
    let mut app = app_with_picker();
    feed(&mut app, typed("sea"));
    feed(&mut app, [ch(' ')]);
    assert_eq!(picker(&app).input.value(), "/videos/sea ");
    assert!(picker(&app).marked.is_empty());
}

#[test]
fn refused_files_keep_the_picker_open_with_the_reason() {
    let mut app = app_with_picker();
    feed(&mut app, typed("nothing-here.mp4"));
    let commands = feed(&mut app, [key(KeyCode::Enter)]);
    assert!(matches!(
        commands.as_slice(),
        [Command::CheckUploads { .. }]
    ));
    let commands = feed(
        &mut app,
        [Event::Outcome(Outcome::UploadsChecked {
            accepted: vec![],
            refused: vec![("/videos/nothing-here.mp4".into(), "no such file".into())],
        })],
    );
    assert!(commands.is_empty(), "nothing is sent");
    let p = picker(&app);
    assert!(!p.checking);
    assert_eq!(
        p.error.as_deref(),
        Some("/videos/nothing-here.mp4: no such file")
    );
}

#[test]
fn queued_files_open_the_transfers_view_and_report_progress() {
    let mut app = app_with_picker();
    let id = queue_one(&mut app);
    assert!(app.view == Some(mp4u::app::views::View::Transfers));
    // A slot was free: it started at once.
    assert_eq!(app.uploads.get(id).unwrap().state, UploadState::Running);
    let t0 = Instant::now();
    feed(
        &mut app,
        [
            progress(id, 0, t0),
            progress(id, 10_000_000, t0 + Duration::from_secs(1)),
        ],
    );
    let upload = app.uploads.get(id).unwrap();
    assert_eq!(upload.state, UploadState::Running);
    assert_eq!(upload.speed().map(|s| s as u64), Some(10_000_000));
    assert_eq!(upload.eta(), Some(2));
    // With the view closed, the account line has the summary.
    feed(&mut app, [key(KeyCode::Esc)]);
    assert_eq!(app.uploads.summary().as_deref(), Some("1 sending, 33%"));
}

#[test]
fn a_finished_upload_shows_in_its_folder_and_updates_storage() {
    let mut app = app_with_picker();
    let id = queue_one(&mut app);
    // The folder was listed before (the tree highlight asked for it).
    let commands = feed(
        &mut app,
        [finished(
            id,
            Ok(UploadedFile {
                file_code: "new123".into(),
                name: "ep01.mp4".into(),
                size: 30_000_000,
                url: "https://www.mp4upload.com/new123".into(),
                placement: mp4u::api::Placement::InFolder { fld_id: 1 },
                uploaded: None,
                recovered: false,
            }),
        )],
    );
    // The last upload over: the account once; the folder is not listed again, the new file
    // joins its rows from what is known.
    assert_eq!(commands, [Command::LoadAccount]);
    assert!(
        app.files.cache[&1]
            .files
            .iter()
            .any(|f| f.file_code == "new123" && f.size == Some(30_000_000))
    );
    assert!(matches!(
        app.uploads.get(id).unwrap().state,
        UploadState::Done { .. }
    ));
    assert_eq!(
        feed(&mut app, [ch('y'), key(KeyCode::Enter)]),
        [Command::Copy("https://www.mp4upload.com/new123".into())]
    );
}

#[test]
fn cancel_stops_at_once_and_a_late_answer_changes_nothing() {
    let mut app = app_with_picker();
    let id = queue_one(&mut app);
    feed(&mut app, [progress(id, 5, Instant::now())]);
    let commands = feed(&mut app, [ch('x')]);
    assert_eq!(
        commands,
        [
            Command::CancelUpload { id },
            Command::ForgetUploads {
                entries: vec![id + 1000]
            }
        ],
        "stopped, and out of the queue file"
    );
    assert_eq!(app.uploads.get(id).unwrap().state, UploadState::Cancelled);
    feed(
        &mut app,
        [
            progress(id, 99, Instant::now()),
            finished(
                id,
                Err(ApiError::Transport {
                    kind: TransportKind::Interrupted,
                    host: "h".into(),
                    detail: String::new(),
                }),
            ),
        ],
    );
    assert_eq!(app.uploads.get(id).unwrap().state, UploadState::Cancelled);
    assert!(
        feed(&mut app, [ch('x')]).is_empty(),
        "cancelling twice sends nothing"
    );
}

#[test]
fn a_failure_shows_the_reason_and_retry_starts_again_from_zero() {
    let mut app = app_with_picker();
    let id = queue_one(&mut app);
    feed(&mut app, [progress(id, 1_000, Instant::now())]);
    feed(
        &mut app,
        [finished(
            id,
            Err(ApiError::UploadRefused {
                reason: "uploads are not enabled for your account type".into(),
            }),
        )],
    );
    let UploadState::Failed(reason) = &app.uploads.get(id).unwrap().state else {
        panic!()
    };
    assert!(reason.contains("uploads are not enabled"));
    // Nothing was retried by itself.
    let commands = feed(&mut app, [ch('R')]);
    assert_eq!(
        commands,
        [Command::StartUpload {
            id,
            path: PathBuf::from("/videos/ep01.mp4"),
            fld_id: 1,
            entry: id + 1000,
        }]
    );
    let upload = app.uploads.get(id).unwrap();
    assert_eq!(
        (upload.state.clone(), upload.sent),
        (UploadState::Running, 0)
    );
    assert!(
        feed(&mut app, [ch('R')]).is_empty(),
        "a running upload is not retried twice"
    );
}

#[test]
fn quitting_while_uploads_run_asks_first() {
    let mut app = app_with_picker();
    queue_one(&mut app);
    feed(&mut app, [key(KeyCode::Esc), ch('q')]);
    assert!(!app.quit);
    assert!(matches!(app.popup, Some(Popup::Confirm(_))));
    feed(&mut app, [ch('n')]);
    assert!(!app.quit && app.popup.is_none());
    feed(&mut app, [key(KeyCode::F(10)), ch('y')]);
    assert!(app.quit);
    // Ctrl-C asks too, and a second Ctrl-C quits.
    let mut app = app_with_picker();
    queue_one(&mut app);
    let ctrl_c = Event::Key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL));
    feed(&mut app, [ctrl_c.clone()]);
    assert!(!app.quit);
    feed(&mut app, [ctrl_c]);
    assert!(app.quit);
}

#[test]
fn non_video_files_are_queued_with_a_warning() {
    let mut app = app_with_picker();
    feed(&mut app, typed("notes"));
    feed(&mut app, [key(KeyCode::Enter)]);
    let mut file = checked("/videos/notes.txt", 3);
    file.warning = Some("notes.txt does not look like a video; mp4upload may refuse it".into());
    let commands = feed(
        &mut app,
        [Event::Outcome(Outcome::UploadsChecked {
            accepted: vec![file],
            refused: vec![],
        })],
    );
    assert_eq!(commands.len(), 1);
    assert!(
        app.notice
            .as_ref()
            .unwrap()
            .text
            .contains("does not look like a video")
    );
}
