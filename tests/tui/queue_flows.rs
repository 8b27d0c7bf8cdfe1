//! The upload queue file through the state machine: what an earlier run left unfinished is
//! offered at start (Enter resumes, Esc keeps it paused), paused rows resume one (`R`) or all
//! (`A`) or are given up (`x`), an upload another mp4u sends is never taken, finished ones are
//! cleared (`C`); files already on the account are skipped or sent anyway; a marked directory
//! uploads its tree after a confirmation. Keys and fake outcomes in, commands and state out.

use std::path::PathBuf;

use mp4u::api::{LostUpload, Placement, UploadedFile};
use mp4u::app::command::Claim;
use mp4u::app::popups::CheckedFile;
use mp4u::app::popups::Popup;
use mp4u::app::popups::TreePlan;
use mp4u::app::uploads::UploadState;
use mp4u::app::views::View;
use mp4u::app::{App, AppOptions, Command, Event, Outcome};
use mp4u::queue::{Entry, KnownFiles, NewEntry, State};
use mp4u::sync::{FolderRef, LocalFile, NewFolder, Plan, PlannedUpload, Problem, Skip};
use ratatui::crossterm::event::KeyCode;

use crate::common::app::finished;
use crate::common::app::{
    BASE, ch, entry, feed, file, key, loaded_app, prepared, prepared_with, queue_entry, uploads_app,
};

/// An entry an earlier run left in `state`, for /Anime (folder 1); its owner is gone.
fn left(id: u64, name: &str, state: State) -> Entry {
    Entry {
        id,
        path: PathBuf::from(format!("/videos/{name}")),
        name: name.into(),
        size: 1_000 + id,
        mtime: Some(1_699_999_000),
        folder: 1,
        folder_path: Some("/Anime".into()),
        account: "test".into(),
        server: BASE.into(),
        allow_duplicate: false,
        added_at: 1_700_000_000,
        changed_at: 1_700_000_050,
        owner: Some("4242-dead".into()),
        hook: None,
        state,
    }
}

/// Four entries: one queued, one that was being sent when its process died, one that failed,
/// and one another running mp4u sends.
fn loaded() -> Outcome {
    Outcome::QueueLoaded {
        notices: vec![],
        unfinished: vec![
            left(1, "Frieren - S01E01.mp4", State::Queued),
            left(
                2,
                "Frieren - S01E02.mp4",
                State::Sending {
                    started_at: 1_700_000_100,
                },
            ),
            left(
                3,
                "Frieren - S01E03.mp4",
                State::Failed {
                    reason: "the connection was reset".into(),
                    finished_at: 1_700_000_200,
                },
            ),
        ],
        busy: vec![Entry {
            owner: Some("5150-alive".into()),
            ..left(4, "Frieren - S01E04.mp4", State::Queued)
        }],
    }
}

/// The loaded app with what an earlier run left: the question is open.
pub(crate) fn resume_app() -> App {
    left_unfinished(loaded_app())
}

/// `app` once the queue file said what an earlier run left unfinished.
pub(crate) fn left_unfinished(mut app: App) -> App {
    app.update(Event::Outcome(loaded()));
    app
}

fn row(app: &App, name: &str) -> mp4u::app::uploads::Upload {
    app.uploads
        .items
        .iter()
        .find(|u| u.name == name)
        .unwrap_or_else(|| panic!("no row {name}"))
        .clone()
}

/// The one command expected: the uploads to write to the queue file, and the folders to list.
fn prepare_of(commands: &[Command]) -> (&[(u64, NewEntry)], &[u64]) {
    match commands {
        [
            Command::PrepareUploads {
                enqueue,
                list_folders,
            },
        ] => (enqueue, list_folders),
        _ => panic!("{commands:?}"),
    }
}

/// The one command a resume asks for: the rows' entries to take over by their ids, and the
/// folders to list.
fn take_of(commands: &[Command]) -> (&[(u64, u64)], &[u64]) {
    match commands {
        [Command::TakeUploads { take, list_folders }] => (take, list_folders),
        _ => panic!("{commands:?}"),
    }
}

/// The entry of the unfinished upload named `name` in [`loaded`].
fn entry_named(name: &str) -> u64 {
    let Outcome::QueueLoaded { unfinished, .. } = loaded() else {
        unreachable!()
    };
    unfinished
        .iter()
        .chain(match &loaded() {
            Outcome::QueueLoaded { busy, .. } => busy.as_slice(),
            _ => &[],
        })
        .find(|e| e.name == name)
        .map(|e| e.id)
        .unwrap_or_else(|| panic!("no entry {name}"))
}

/// The queue file's answer to a resume: each entry (taken by its id) as it was left, now
/// this process's.
fn claimed(commands: &[Command], listing: Vec<mp4u::api::FileInfo>) -> Event {
    let [Command::TakeUploads { take, list_folders }] = commands else {
        panic!("{commands:?}")
    };
    let by_id = |entry: u64| {
        let Outcome::QueueLoaded { unfinished, .. } = loaded() else {
            unreachable!()
        };
        unfinished
            .into_iter()
            .find(|e| e.id == entry)
            .expect("an entry left")
    };
    Event::Outcome(Outcome::UploadsPrepared {
        queued: take
            .iter()
            .map(|(row, entry)| (*row, Claim::Mine(Box::new(by_id(*entry)))))
            .collect(),
        listings: list_folders
            .iter()
            .map(|f| (*f, KnownFiles::Listed(listing.clone())))
            .collect(),
    })
}

#[test]
fn the_queue_is_read_at_start_and_what_was_left_is_offered_at_once() {
    let mut app = App::new(AppOptions {
        base_url: BASE.into(),
        ..Default::default()
    });
    assert!(app.start().contains(&Command::LoadQueue));
    let app = resume_app();
    let Some(Popup::Resume(p)) = &app.popup else {
        panic!("no question: {:?}", app.popup)
    };
    assert_eq!(p.ids.len(), 3, "the three left unfinished");
    assert_eq!(p.busy, 1, "and one another mp4u sends");
    for name in ["Frieren - S01E01.mp4", "Frieren - S01E02.mp4"] {
        assert!(matches!(row(&app, name).state, UploadState::Paused { .. }));
    }
    assert_eq!(
        row(&app, "Frieren - S01E04.mp4").state,
        UploadState::Elsewhere { pid: Some(5150) }
    );
    assert!(!app.uploads.any_active(), "nothing runs before the answer");
}

#[test]
fn enter_resumes_them_and_one_that_was_being_sent_is_looked_for_first() {
    let mut app = resume_app();
    let commands = feed(&mut app, [key(KeyCode::Enter)]);
    assert!(app.popup.is_none());
    assert_eq!(app.view, Some(View::Transfers));
    let (take, list_folders) = take_of(&commands);
    let entries: Vec<u64> = take.iter().map(|(_, entry)| *entry).collect();
    assert_eq!(
        entries,
        [
            entry_named("Frieren - S01E01.mp4"),
            entry_named("Frieren - S01E02.mp4"),
            entry_named("Frieren - S01E03.mp4")
        ],
        "taken over in the queue file by their entries; the one another mp4u sends is not"
    );
    assert_eq!(list_folders, &[1], "the folder is checked for duplicates");
    let (e1, e2) = (
        row(&app, "Frieren - S01E01.mp4"),
        row(&app, "Frieren - S01E02.mp4"),
    );
    let commands = feed(&mut app, [claimed(&commands, vec![])]);
    // The one being sent when mp4u died: looked for, not sent; it holds a slot meanwhile.
    assert_eq!(
        commands,
        [
            Command::LookupUpload {
                id: e2.id,
                lookup: LostUpload {
                    name: "Frieren - S01E02.mp4".into(),
                    size: 1_002,
                    since: None,
                    asked_at: 1_700_000_100,
                },
                fld_id: 1,
                entry: 2,
            },
            Command::StartUpload {
                id: e1.id,
                path: PathBuf::from("/videos/Frieren - S01E01.mp4"),
                fld_id: 1,
                entry: 1,
            }
        ]
    );
    // Not on the account: only now is it sent, before the one queued after it.
    let commands = feed(
        &mut app,
        [Event::Outcome(Outcome::UploadLookedUp {
            id: e2.id,
            result: Ok(None),
        })],
    );
    assert_eq!(
        commands,
        [Command::StartUpload {
            id: e2.id,
            path: PathBuf::from("/videos/Frieren - S01E02.mp4"),
            fld_id: 1,
            entry: 2,
        }]
    );
}

#[test]
fn a_resumed_upload_found_on_the_account_is_done_without_sending() {
    let mut app = resume_app();
    let commands = feed(&mut app, [key(KeyCode::Enter)]);
    feed(&mut app, [claimed(&commands, vec![])]);
    let e2 = row(&app, "Frieren - S01E02.mp4");
    let commands = feed(
        &mut app,
        [Event::Outcome(Outcome::UploadLookedUp {
            id: e2.id,
            result: Ok(Some(UploadedFile {
                file_code: "found0000002".into(),
                name: e2.name.clone(),
                size: e2.size,
                url: format!("{BASE}/found0000002"),
                placement: Placement::InFolder { fld_id: 1 },
                uploaded: None,
                recovered: true,
            })),
        })],
    );
    assert!(
        !commands
            .iter()
            .any(|c| matches!(c, Command::StartUpload { id, .. } if *id == e2.id)),
        "never sent again: {commands:?}"
    );
    assert!(matches!(
        row(&app, "Frieren - S01E02.mp4").state,
        UploadState::Done { .. }
    ));
}

#[test]
fn esc_keeps_them_paused_r_resumes_one_a_the_rest_x_gives_one_up() {
    let mut app = resume_app();
    assert!(
        feed(&mut app, [key(KeyCode::Esc)]).is_empty(),
        "nothing taken"
    );
    assert!(app.popup.is_none());
    let notice = &app.notice.as_ref().expect("said").text;
    assert!(notice.contains("3 uploads paused"), "{notice}");
    feed(&mut app, [ch('t')]);
    assert_eq!(app.view, Some(View::Transfers));
    // The first row: E01, paused.
    let commands = feed(&mut app, [key(KeyCode::Home), ch('R')]);
    let (take, _) = take_of(&commands);
    assert_eq!(take.len(), 1);
    assert_eq!(take[0].1, entry_named("Frieren - S01E01.mp4"));
    feed(&mut app, [claimed(&commands, vec![])]);
    assert_eq!(
        row(&app, "Frieren - S01E01.mp4").state,
        UploadState::Running
    );
    // x on a paused one gives it up: out of the queue file.
    let e3 = row(&app, "Frieren - S01E03.mp4");
    app.views.transfers.cursor = app
        .uploads
        .items
        .iter()
        .position(|u| u.id == e3.id)
        .unwrap();
    assert_eq!(
        feed(&mut app, [ch('x')]),
        [Command::ForgetUploads { entries: vec![3] }]
    );
    assert_eq!(
        row(&app, "Frieren - S01E03.mp4").state,
        UploadState::Cancelled
    );
    // A: the rest, and the one another mp4u had (it may be gone by now).
    let commands = feed(&mut app, [ch('A')]);
    let (take, _) = take_of(&commands);
    let entries: Vec<u64> = take.iter().map(|(_, entry)| *entry).collect();
    assert_eq!(
        entries,
        [
            entry_named("Frieren - S01E02.mp4"),
            entry_named("Frieren - S01E04.mp4")
        ]
    );
    // Still sent by the other mp4u: left to it, never started here.
    let e4 = row(&app, "Frieren - S01E04.mp4");
    let e2 = row(&app, "Frieren - S01E02.mp4");
    let busy = |entry: Entry, owner: &str| {
        Claim::Busy(Box::new(Entry {
            owner: Some(owner.into()),
            ..entry
        }))
    };
    let (Outcome::QueueLoaded { unfinished, .. }, Outcome::QueueLoaded { busy: other, .. }) =
        (loaded(), loaded())
    else {
        unreachable!()
    };
    let commands = feed(
        &mut app,
        [Event::Outcome(Outcome::UploadsPrepared {
            queued: vec![
                (e2.id, busy(unfinished[1].clone(), "7-alive")),
                (e4.id, busy(other[0].clone(), "5150-alive")),
            ],
            listings: vec![],
        })],
    );
    assert!(
        !commands
            .iter()
            .any(|c| matches!(c, Command::StartUpload { .. })),
        "{commands:?}"
    );
    assert_eq!(
        row(&app, "Frieren - S01E04.mp4").state,
        UploadState::Elsewhere { pid: Some(5150) }
    );
    // Asked again later (the other mp4u may be gone by then): claimed again.
    let commands = feed(&mut app, [ch('A')]);
    let (take, _) = take_of(&commands);
    assert_eq!(take.len(), 2, "both asked for again: {commands:?}");
}

#[test]
fn the_question_waits_while_another_popup_is_open() {
    let mut app = loaded_app();
    feed(&mut app, [ch('n')]);
    assert!(matches!(app.popup, Some(Popup::NewFolder(_))));
    app.update(Event::Outcome(loaded()));
    assert!(
        matches!(app.popup, Some(Popup::NewFolder(_))),
        "what the user has open stays"
    );
    feed(&mut app, [key(KeyCode::Esc)]);
    assert!(
        matches!(app.popup, Some(Popup::Resume(_))),
        "then it is asked"
    );
    feed(&mut app, [key(KeyCode::Esc)]);
    assert!(app.popup.is_none(), "once");
}

fn done(id: u64, code: &str) -> Event {
    finished(
        id,
        Ok(UploadedFile {
            file_code: code.into(),
            name: "x.mp4".into(),
            size: 1,
            url: format!("{BASE}/{code}"),
            placement: Placement::InFolder { fld_id: 1 },
            uploaded: None,
            recovered: false,
        }),
    )
}

fn checked(path: &str, size: u64) -> CheckedFile {
    CheckedFile {
        path: PathBuf::from(path),
        size,
        warning: None,
    }
}

/// The loaded app with the tree on Anime (1) and `files` checked for upload there.
fn queue_files(app: &mut App, files: &[(&str, u64)]) -> Vec<Command> {
    if app.tree.selected == 0 {
        feed(app, [ch('j')]);
    }
    app.update(Event::Outcome(Outcome::UploadsChecked {
        accepted: files.iter().map(|(p, s)| checked(p, *s)).collect(),
        refused: vec![],
    }))
}

#[test]
fn c_clears_the_finished_uploads_and_keeps_the_rest() {
    let mut app = loaded_app();
    let commands = queue_files(
        &mut app,
        &[("/v/a.mp4", 1), ("/v/b.mp4", 1), ("/v/c.mp4", 1)],
    );
    prepared(&mut app, commands);
    let ids: Vec<u64> = app.uploads.items.iter().map(|u| u.id).collect();
    feed(&mut app, [done(ids[0], "aaaaaaaaaaaa")]);
    app.uploads
        .push_refused("/v/empty.mp4".into(), 1, "/Anime".into(), "is empty".into());
    assert_eq!(
        app.view,
        Some(View::Transfers),
        "opened when the files were queued"
    );
    assert!(app.available(mp4u::app::keys::Action::ClearFinished));
    assert_eq!(feed(&mut app, [ch('C')]), [Command::ClearFinished]);
    let left: Vec<&str> = app.uploads.items.iter().map(|u| u.name.as_str()).collect();
    assert_eq!(left, ["b.mp4", "c.mp4"], "the running and queued ones stay");
    assert!(!app.available(mp4u::app::keys::Action::ClearFinished));
}

#[test]
fn a_file_already_in_the_folder_is_skipped_and_said_unless_sent_anyway() {
    let mut app = loaded_app();
    let commands = queue_files(
        &mut app,
        &[
            ("/v/holiday.mp4", 100),
            ("/v/other.mp4", 200),
            ("/v/third.mp4", 300),
        ],
    );
    // The folder lists holiday without its extension (as the live service may), and a file
    // named like "other" of another size.
    let listing = vec![
        mp4u::api::FileInfo {
            size: Some(100),
            ..file("hol000000001", "holiday", 1)
        },
        mp4u::api::FileInfo {
            size: Some(999),
            ..file("oth000000002", "other.mp4", 1)
        },
    ];
    let commands = prepared_with(&mut app, commands, &listing);
    let started: Vec<String> = commands
        .iter()
        .filter_map(|c| match c {
            Command::StartUpload { path, .. } => Some(path.display().to_string()),
            _ => None,
        })
        .collect();
    assert_eq!(
        started,
        ["/v/other.mp4", "/v/third.mp4"],
        "the rest is sent"
    );
    let holiday = row(&app, "holiday.mp4");
    assert_eq!(
        holiday.state,
        UploadState::Duplicate {
            code: "hol000000001".into(),
            url: format!("{BASE}/hol000000001")
        }
    );
    assert!(
        matches!(app.popup, Some(Popup::Duplicates(_))),
        "asked at once"
    );
    // Enter: not sent; its entry is done in the queue file, and it is said with its link.
    let commands = feed(&mut app, [key(KeyCode::Enter)]);
    assert_eq!(
        commands,
        [Command::RecordSkipped {
            items: vec![(
                holiday.id + 1000,
                "hol000000001".into(),
                format!("{BASE}/hol000000001")
            )]
        }]
    );
    assert!(matches!(
        row(&app, "holiday.mp4").state,
        UploadState::Skipped { .. }
    ));
    let notice = &app.notice.as_ref().expect("said").text;
    assert!(
        notice.contains(
            "Already on the account: holiday.mp4 → https://www.mp4upload.com/hol000000001"
        ),
        "{notice}"
    );
    // R on the skipped row in the transfers view sends it anyway, as a new entry.
    app.views.transfers.cursor = 0;
    let commands = feed(&mut app, [ch('R')]);
    let (enqueue, list_folders) = prepare_of(&commands);
    assert!(enqueue[0].1.allow_duplicate && list_folders.is_empty());
    let commands = prepared(&mut app, commands);
    assert!(commands.is_empty(), "two run already: it waits for a slot");
    assert_eq!(row(&app, "holiday.mp4").state, UploadState::Queued);
}

#[test]
fn a_sends_the_files_already_there_anyway() {
    let mut app = loaded_app();
    let commands = queue_files(&mut app, &[("/v/holiday.mp4", 100)]);
    let listing = vec![mp4u::api::FileInfo {
        size: Some(100),
        ..file("hol000000001", "HOLIDAY.MP4", 1)
    }];
    assert!(prepared_with(&mut app, commands, &listing).is_empty());
    let commands = feed(&mut app, [ch('a')]);
    assert!(
        matches!(commands.as_slice(), [Command::StartUpload { .. }]),
        "{commands:?}"
    );
    assert!(app.popup.is_none());
}

#[test]
fn a_folder_whose_files_are_all_known_is_not_listed_again() {
    // The root's three files are listed: the one of the same name and size is found there.
    let mut app = loaded_app();
    let commands = app.update(Event::Outcome(Outcome::UploadsChecked {
        accepted: vec![
            checked("/v/b.mp4", 1_000_000),
            checked("/v/new.mp4", 1_000_000),
        ],
        refused: vec![],
    }));
    let (_, list_folders) = prepare_of(&commands);
    assert!(list_folders.is_empty(), "{list_folders:?}");
    let commands = prepared(&mut app, commands);
    assert_eq!(commands.len(), 1, "new.mp4 starts: {commands:?}");
    assert!(matches!(
        row(&app, "b.mp4").state,
        UploadState::Duplicate { ref code, .. } if code == "aaa111"
    ));
}

#[test]
fn a_folder_that_cannot_be_listed_sends_nothing_unchecked() {
    let mut app = loaded_app();
    let commands = queue_files(&mut app, &[("/v/a.mp4", 100)]);
    let (enqueue, _) = prepare_of(&commands);
    let id = enqueue[0].0;
    let commands = feed(
        &mut app,
        [Event::Outcome(Outcome::UploadsPrepared {
            queued: vec![(id, Claim::Mine(Box::new(queue_entry(id, &enqueue[0].1))))],
            listings: vec![(1, KnownFiles::Unlisted("the server had an error".into()))],
        })],
    );
    assert!(commands.is_empty(), "{commands:?}");
    let UploadState::Failed(why) = row(&app, "a.mp4").state else {
        panic!()
    };
    assert!(why.contains("could not be checked") && why.contains("server had an error"));
    // R checks again (the folder listed again), still without sending.
    assert_eq!(app.view, Some(View::Transfers));
    let commands = feed(&mut app, [ch('R')]);
    assert_eq!(
        commands,
        [Command::PrepareUploads {
            enqueue: vec![],
            list_folders: vec![1]
        }]
    );
}

#[test]
fn the_same_file_queued_twice_for_a_folder_is_sent_once() {
    let mut app = loaded_app();
    let commands = queue_files(&mut app, &[("/v/a.mp4", 100), ("/v/a.mp4", 100)]);
    let (enqueue, _) = prepare_of(&commands);
    let (first, second) = (enqueue[0].0, enqueue[1].0);
    feed(
        &mut app,
        [Event::Outcome(Outcome::UploadsPrepared {
            queued: vec![
                (
                    first,
                    Claim::Mine(Box::new(queue_entry(first, &enqueue[0].1))),
                ),
                (second, Claim::Twice),
            ],
            listings: vec![(1, KnownFiles::Listed(vec![]))],
        })],
    );
    assert_eq!(app.uploads.get(first).unwrap().state, UploadState::Running);
    assert!(matches!(
        app.uploads.get(second).unwrap().state,
        UploadState::Refused(_)
    ));
}

/// The picker on /videos/ for Anime (1), with a directory "season 2" and the file ep01.mp4
/// marked, and Enter pressed: the plan asked for. Returns the app and the command.
fn marked_tree() -> (App, Command) {
    let mut app = uploads_app();
    feed(
        &mut app,
        [
            ch('j'),
            ch('u'),
            Event::Outcome(Outcome::DirListed {
                path: "/videos/".into(),
                result: Ok(vec![
                    entry("season 2", true, None),
                    entry("ep01.mp4", false, Some(30_000_000)),
                ]),
            }),
            key(KeyCode::Down),
            key(KeyCode::Insert),
            key(KeyCode::Insert),
        ],
    );
    let mut commands = feed(&mut app, [key(KeyCode::Enter)]);
    assert_eq!(commands.len(), 1, "{commands:?}");
    (app, commands.remove(0))
}

fn local(path: &str, size: u64) -> LocalFile {
    let name = path.rsplit('/').next().unwrap().to_string();
    LocalFile {
        path: PathBuf::from(path),
        rel: path.trim_start_matches("/videos/").into(),
        name,
        size,
        mtime: None,
    }
}

/// A plan: season 2 is a new folder with two episodes; ep01 goes into Anime, where ep00 is
/// already; one file is left out and one hidden.
pub(crate) fn tree_plan() -> TreePlan {
    tree_plan_into(1, "/Anime")
}

/// [`tree_plan`] into folder `target` at `target_path`.
pub(crate) fn tree_plan_into(target: u64, target_path: &str) -> TreePlan {
    let under = |p: &str| format!("{target_path}{p}");
    let upload = |path: &str, size, folder, folder_path: &str| PlannedUpload {
        file: local(path, size),
        folder,
        folder_path: folder_path.into(),
    };
    let create = vec![NewFolder {
        parent: FolderRef::Existing(target),
        name: "season 2".into(),
        path: under("/season 2"),
        rel: "season 2".into(),
    }];
    let season = under("/season 2");
    let uploads = vec![
        upload(
            "/videos/season 2/s02e01.mp4",
            341_000_000,
            FolderRef::New(0),
            &season,
        ),
        upload(
            "/videos/season 2/s02e02.mp4",
            338_000_000,
            FolderRef::New(0),
            &season,
        ),
        upload(
            "/videos/ep01.mp4",
            30_000_000,
            FolderRef::Existing(target),
            target_path,
        ),
    ];
    let old = upload(
        "/videos/ep00.mp4",
        29_000_000,
        FolderRef::Existing(target),
        target_path,
    );
    let plan = Plan {
        create: create.clone(),
        upload: uploads.clone(),
        skip: vec![Skip {
            file: old.file.clone(),
            file_code: "old000000000".into(),
            listed_name: "ep00.mp4".into(),
            folder_path: target_path.into(),
        }],
        problems: vec![],
    };
    let mut all = uploads;
    all.push(old);
    TreePlan {
        target,
        target_path: target_path.into(),
        names: vec!["season 2/".into(), "ep01.mp4".into()],
        plan,
        plan_all: Plan {
            create,
            upload: all,
            skip: vec![],
            problems: vec![],
        },
        left_out: vec![Problem {
            path: "season 2/broken.mp4".into(),
            reason: "a broken symbolic link".into(),
        }],
        hidden: vec!["season 2/.DS_Store".into()],
    }
}

/// The confirmation of [`tree_plan`], open over the picker.
pub(crate) fn tree_app() -> App {
    let (mut app, command) = marked_tree();
    let Command::PlanTree { req, .. } = command else {
        panic!("{command:?}")
    };
    app.update(Event::Outcome(Outcome::TreePlanned {
        req,
        result: Ok(Box::new(tree_plan())),
    }));
    app
}

#[test]
fn a_marked_directory_is_planned_by_the_worker_not_sent_file_by_file() {
    let (app, command) = marked_tree();
    let Command::PlanTree {
        paths,
        fld_id,
        folder_path,
        max_bytes,
        ..
    } = command
    else {
        panic!("{command:?}")
    };
    assert_eq!(
        paths,
        [
            PathBuf::from("/videos/season 2"),
            PathBuf::from("/videos/ep01.mp4")
        ]
    );
    assert_eq!(
        (fld_id, folder_path.as_str(), max_bytes),
        (1, "/Anime", 500_000_000)
    );
    let Some(Popup::Upload(p)) = &app.popup else {
        panic!()
    };
    assert!(
        p.checking,
        "the picker waits, and the screen with it does not"
    );
}

#[test]
fn the_tree_is_confirmed_first_and_esc_goes_back_to_the_picker_as_it_was() {
    let mut app = tree_app();
    assert!(matches!(app.popup, Some(Popup::Directory(_))));
    assert!(
        feed(&mut app, [key(KeyCode::Esc)]).is_empty(),
        "nothing sent"
    );
    let Some(Popup::Upload(p)) = &app.popup else {
        panic!("{:?}", app.popup)
    };
    assert!(!p.checking);
    assert_eq!(p.marked.len(), 2, "the marks kept");
}

#[test]
fn enter_creates_the_folders_then_queues_the_files_and_lists_those_already_there() {
    let mut app = tree_app();
    let commands = feed(&mut app, [key(KeyCode::Enter)]);
    let [
        Command::StartTree {
            req,
            tree,
            send_all: false,
        },
    ] = commands.as_slice()
    else {
        panic!("{commands:?}")
    };
    assert!(app.popup.is_none());
    let commands = feed(
        &mut app,
        [Event::Outcome(Outcome::TreeStarted {
            req: *req,
            tree: tree.clone(),
            send_all: false,
            created: vec![Ok(77)],
        })],
    );
    assert_eq!(app.view, Some(View::Transfers));
    let (enqueue, list_folders) = prepare_of(&commands);
    let into: Vec<(String, u64)> = enqueue
        .iter()
        .map(|(_, n)| (n.path.display().to_string(), n.folder))
        .collect();
    assert_eq!(
        into,
        [
            ("/videos/season 2/s02e01.mp4".to_string(), 77),
            ("/videos/season 2/s02e02.mp4".to_string(), 77),
            ("/videos/ep01.mp4".to_string(), 1)
        ],
        "into the folder just made"
    );
    assert!(list_folders.is_empty(), "the plan compared them already");
    assert_eq!(
        row(&app, "ep00.mp4").state,
        UploadState::Skipped {
            code: "old000000000".into(),
            url: format!("{BASE}/old000000000")
        }
    );
    let started = prepared(&mut app, commands);
    assert_eq!(started.len(), 2, "two at a time: {started:?}");
}

#[test]
fn a_in_the_confirmation_sends_the_files_already_there_too() {
    let mut app = tree_app();
    let commands = feed(&mut app, [ch('a')]);
    let [Command::StartTree { tree, send_all, .. }] = commands.as_slice() else {
        panic!("{commands:?}")
    };
    assert!(*send_all);
    let commands = feed(
        &mut app,
        [Event::Outcome(Outcome::TreeStarted {
            req: 0,
            tree: tree.clone(),
            send_all: true,
            created: vec![Err(
                "the folder /Anime/season 2 could not be created: no".into()
            )],
        })],
    );
    let (enqueue, _) = prepare_of(&commands);
    let names: Vec<String> = enqueue
        .iter()
        .map(|(_, n)| n.path.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names,
        ["ep01.mp4", "ep00.mp4"],
        "the folder failed: its files do not go"
    );
    assert!(enqueue.iter().all(|(_, n)| n.allow_duplicate));
    assert!(matches!(
        row(&app, "s02e01.mp4").state,
        UploadState::Refused(_)
    ));
}

#[test]
fn paused_rows_and_the_queue_answers_do_not_count_in_the_total() {
    let app = resume_app();
    assert_eq!(app.uploads.totals(), (0, 0));
    assert!(app.uploads.summary().is_none());
}

#[test]
fn a_long_question_scrolls_bounded_at_both_ends() {
    let mut app = loaded_app();
    app.update(Event::Resize(80, 16));
    app.update(Event::Outcome(Outcome::QueueLoaded {
        notices: vec![],
        unfinished: (1..=30)
            .map(|i| left(i, &format!("Frieren - S01E{i:02}.mp4"), State::Queued))
            .collect(),
        busy: vec![],
    }));
    assert!(matches!(app.popup, Some(Popup::Resume(_))));
    let screen = |app: &App| crate::snapshots::render(app);
    let first = screen(&app);
    assert!(first.contains("S01E01"), "{first}");
    assert!(!first.contains("S01E30"), "{first}");
    let shown = |s: &str| {
        let at = s.find("lines ").expect("where the window is");
        s[at..].split_whitespace().nth(1).unwrap().to_string()
    };
    let top = shown(&first);
    assert!(top.starts_with("1–"), "{first}");
    // Up at the top does nothing; End shows the last row.
    feed(&mut app, [ch('k'), key(KeyCode::Home)]);
    assert_eq!(shown(&screen(&app)), top);
    feed(&mut app, [key(KeyCode::End)]);
    let bottom = screen(&app);
    assert!(
        bottom.contains("S01E30") && !bottom.contains("S01E01"),
        "{bottom}"
    );
    assert!(shown(&bottom).ends_with("30"), "{bottom}");
    // Past the end nothing moves, and one step back moves at once (bounded, not counted).
    feed(&mut app, std::iter::repeat_n(ch('j'), 50));
    assert_eq!(shown(&screen(&app)), shown(&bottom));
    feed(&mut app, [ch('k')]);
    assert_ne!(shown(&screen(&app)), shown(&bottom));
    // PgUp twice and Home: back at the top. The question is still open; Enter resumes all 30.
    feed(
        &mut app,
        [
            key(KeyCode::PageUp),
            key(KeyCode::PageUp),
            key(KeyCode::Home),
        ],
    );
    assert_eq!(shown(&screen(&app)), top);
    let commands = feed(&mut app, [key(KeyCode::Enter)]);
    let (take, _) = take_of(&commands);
    assert_eq!(take.len(), 30);
}

#[test]
fn a_long_list_of_files_already_there_scrolls_too() {
    let mut app = loaded_app();
    app.update(Event::Resize(80, 16));
    let paths: Vec<(String, u64)> = (1..=20)
        .map(|i| (format!("/v/ep{i:02}.mp4"), 100))
        .collect();
    let files: Vec<(&str, u64)> = paths.iter().map(|(p, s)| (p.as_str(), *s)).collect();
    let commands = queue_files(&mut app, &files);
    let listing: Vec<mp4u::api::FileInfo> = (1..=20)
        .map(|i| mp4u::api::FileInfo {
            size: Some(100),
            ..file(&format!("dup{i:09}"), &format!("ep{i:02}.mp4"), 1)
        })
        .collect();
    prepared_with(&mut app, commands, &listing);
    assert!(matches!(app.popup, Some(Popup::Duplicates(_))));
    let screen = crate::snapshots::render(&app);
    assert!(screen.contains("ep01.mp4") && !screen.contains("ep20.mp4"));
    assert!(screen.contains("lines 1–"), "{screen}");
    feed(&mut app, [key(KeyCode::End)]);
    let screen = crate::snapshots::render(&app);
    assert!(screen.contains("ep20.mp4") && !screen.contains("ep01.mp4"));
    assert!(screen.contains("of 20"), "{screen}");
    // Scrolling changes nothing else: Enter still skips all 20.
    feed(&mut app, [key(KeyCode::Enter)]);
    assert!(app.popup.is_none());
    let skipped = app
        .uploads
        .items
        .iter()
        .filter(|u| matches!(u.state, UploadState::Skipped { .. }))
        .count();
    assert_eq!(skipped, 20);
}

#[test]
fn a_resume_after_another_mp4u_finished_them_sends_nothing() {
    // Esc kept them paused; meanwhile `mp4u upload --resume` in another shell finished two
    // and gave one up. A takes the rows over by their entries: the file's word wins.
    let mut app = resume_app();
    feed(&mut app, [key(KeyCode::Esc), ch('t')]);
    let commands = feed(&mut app, [ch('A')]);
    let (take, list_folders) = take_of(&commands);
    let done = |id: u64| {
        let Outcome::QueueLoaded { unfinished, .. } = loaded() else {
            unreachable!()
        };
        let entry = unfinished.into_iter().find(|e| e.id == id).unwrap();
        Claim::Finished(Box::new(Entry {
            state: State::Done {
                file_code: format!("code{id}"),
                url: format!("https://www.mp4upload.com/code{id}"),
                finished_at: 1_700_000_900,
                note: None,
            },
            ..entry
        }))
    };
    let queued: Vec<(u64, Claim)> = take
        .iter()
        .map(|(row, entry)| match *entry {
            1 | 2 => (*row, done(*entry)),
            3 => (*row, Claim::Gone),
            _ => (*row, Claim::Busy(Box::new(left(4, "x", State::Queued)))),
        })
        .collect();
    let commands = feed(
        &mut app,
        [Event::Outcome(Outcome::UploadsPrepared {
            queued,
            listings: list_folders
                .iter()
                .map(|f| (*f, KnownFiles::Listed(vec![])))
                .collect(),
        })],
    );
    assert!(
        !commands.iter().any(|c| matches!(
            c,
            Command::StartUpload { .. } | Command::LookupUpload { .. }
        )),
        "nothing sent or looked up: {commands:?}"
    );
    for name in ["Frieren - S01E01.mp4", "Frieren - S01E02.mp4"] {
        assert!(
            matches!(row(&app, name).state, UploadState::Done { .. }),
            "{name}: {:?}",
            row(&app, name).state
        );
    }
    assert!(matches!(
        row(&app, "Frieren - S01E03.mp4").state,
        UploadState::Refused(_)
    ));
    let notice = &app.notice.as_ref().expect("said").text;
    assert!(notice.contains("finished by another mp4u"), "{notice}");
}

#[test]
fn a_resumed_upload_whose_move_is_owed_is_moved_not_sent() {
    let mut app = loaded_app();
    let owed = Entry {
        state: State::NotMoved {
            file_code: "owed00000001".into(),
            url: "https://www.mp4upload.com/owed00000001".into(),
            reason: Some("the server had an error".into()),
            finished_at: 1_700_000_300,
        },
        ..left(7, "Frieren - S01E07.mp4", State::Queued)
    };
    app.update(Event::Outcome(Outcome::QueueLoaded {
        notices: vec![],
        unfinished: vec![owed.clone()],
        busy: vec![],
    }));
    let commands = feed(&mut app, [key(KeyCode::Enter)]);
    let (take, _) = take_of(&commands);
    let commands = feed(
        &mut app,
        [Event::Outcome(Outcome::UploadsPrepared {
            queued: vec![(take[0].0, Claim::Mine(Box::new(owed)))],
            listings: vec![],
        })],
    );
    assert!(
        matches!(
            commands.as_slice(),
            [Command::LookupUpload { entry: 7, .. }]
        ),
        "to the account (the move), nothing sent: {commands:?}"
    );
}

#[test]
fn one_upload_left_is_spoken_of_as_one() {
    let mut app = loaded_app();
    app.update(Event::Outcome(Outcome::QueueLoaded {
        notices: vec![],
        unfinished: vec![left(1, "Frieren - S01E01.mp4", State::Queued)],
        busy: vec![],
    }));
    let Some(mp4u::app::popups::Popup::Resume(p)) = &app.popup else {
        panic!("{:?}", app.popup)
    };
    let (head, _) = app.resume_question(p);
    assert!(
        head.starts_with("1 upload left unfinished: Enter resumes it, Esc keeps it paused"),
        "{head}"
    );
}
