//! The state machine against the live service's ways: listings on a server whose page size is
//! not known, a server that sends a page again, search results whose listing names no folder,
//! uploads whose reply was lost or whose move failed, the order uploads start in, and how often
//! the account is asked for while uploads finish.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use mp4u::api::{
    ApiError, FileInfo, FileList, FilePlace, FolderIndex, LostUpload, PageSize, Placement,
    UploadedFile,
};
use mp4u::app::popups::CheckedFile;
use mp4u::app::uploads::UploadState;
use mp4u::app::{App, AppOptions, Command, Event, Focus, Outcome};
use ratatui::crossterm::event::KeyCode;

use crate::common::app::finished;
use crate::common::app::{
    BASE, ch, feed, file, folder, folders_outcome, key, listing_req, loaded_app, typed,
};

/// A page of folder `fld_id`'s listing `req`.
fn page(fld_id: u64, req: u64, page: u64, per_page: u64, files: Vec<FileInfo>) -> Event {
    Event::Outcome(Outcome::Files {
        fld_id,
        page,
        per_page,
        req,
        result: Ok(FileList {
            files,
            results_total: None,
            total_pages: None,
        }),
    })
}

fn files(prefix: &str, range: std::ops::Range<usize>, fld: u64) -> Vec<FileInfo> {
    range
        .map(|i| {
            file(
                &format!("{prefix}{i:06}"),
                &format!("{prefix} {i}.mp4"),
                fld,
            )
        })
        .collect()
}

/// The page asked for next by `commands` (page, per_page), for folder `fld`.
fn next_page(commands: &[Command], fld: u64) -> Option<(u64, u64)> {
    commands.iter().find_map(|c| match c {
        Command::ListFiles {
            fld_id,
            page,
            per_page,
            ..
        } if *fld_id == fld => Some((*page, *per_page)),
        _ => None,
    })
}

/// An app on a server it knows nothing about yet.
fn fresh_app() -> (App, u64) {
    let mut app = App::new(AppOptions {
        base_url: BASE.into(),
        ..Default::default()
    });
    app.update(Event::Resize(120, 35));
    let start = app.start();
    assert_eq!(next_page(&start, 0), Some((1, 500)), "500 asked at first");
    let req = listing_req(&start, 0);
    feed(&mut app, [folders_outcome(0, vec![folder(1, "Anime")])]);
    (app, req)
}

#[test]
fn a_short_page_from_an_unknown_server_is_followed_until_the_listing_ends() {
    let (mut app, req) = fresh_app();
    // 25 files where 500 were asked: the cap, or the end? Asked again with 25 to know.
    let commands = feed(&mut app, [page(0, req, 1, 500, files("a", 0..25, 0))]);
    assert_eq!(next_page(&commands, 0), Some((2, 25)));
    assert!(
        app.files
            .listing()
            .is_some_and(|l| l.loading && !l.complete)
    );
    // 25 again: a cap of 25 it was.
    let commands = feed(&mut app, [page(0, req, 2, 25, files("a", 25..50, 0))]);
    assert_eq!(next_page(&commands, 0), Some((3, 25)));
    assert_eq!(app.page_size.cap, Some(25));
    let commands = feed(&mut app, [page(0, req, 3, 25, files("a", 50..53, 0))]);
    assert_eq!(next_page(&commands, 0), None, "3 < 25: the last page");
    let listing = app.files.listing().expect("listed");
    assert!(listing.complete && listing.incomplete.is_none());
    assert_eq!(listing.files.len(), 53);
    // The next folder is asked 25 at a time, and a shorter page ends it at once.
    let commands = feed(&mut app, [ch('j')]);
    assert_eq!(next_page(&commands, 1), Some((1, 25)));
    let req = listing_req(&commands, 1);
    let commands = feed(&mut app, [page(1, req, 1, 25, files("b", 0..7, 1))]);
    assert_eq!(next_page(&commands, 1), None);
    assert!(app.files.listing().is_some_and(|l| l.complete));
}

#[test]
fn a_page_sent_again_ends_the_listing_and_says_it_may_be_incomplete() {
    let (mut app, req) = fresh_app();
    feed(&mut app, [page(0, req, 1, 500, files("a", 0..25, 0))]);
    let commands = feed(&mut app, [page(0, req, 2, 25, files("a", 0..25, 0))]);
    assert_eq!(next_page(&commands, 0), None);
    let listing = app.files.listing().expect("listed");
    assert!(listing.complete);
    assert!(
        listing
            .incomplete
            .as_deref()
            .is_some_and(|why| why.contains("again")),
        "{:?}",
        listing.incomplete
    );
    let notice = app.notice.as_ref().expect("said").text.clone();
    assert!(notice.contains("may be incomplete"), "{notice}");
}

/// The app with a search for "ep" answered by `results`, none naming its folder.
fn searched(results: Vec<FileInfo>) -> App {
    let mut app = loaded_app();
    feed(&mut app, [ch('f')]);
    feed(&mut app, typed("ep"));
    let commands = feed(&mut app, [key(KeyCode::Enter)]);
    let [Command::Search { req, .. }] = commands.as_slice() else {
        panic!("{commands:?}")
    };
    let req = *req;
    let commands = feed(
        &mut app,
        [Event::Outcome(Outcome::SearchResults {
            req,
            page: 1,
            per_page: 500,
            result: Ok(FileList {
                files: results,
                results_total: None,
                total_pages: None,
            }),
        })],
    );
    assert_eq!(
        commands,
        [Command::IndexFolder { fld_id: 0 }],
        "unplaced results: the folders are asked where their files live"
    );
    app
}

fn unplaced(code: &str, name: &str) -> FileInfo {
    let mut f = file(code, name, 0);
    f.fld_id = None;
    f
}

fn index(folders: Vec<mp4u::api::Folder>, files: &[(&str, u64)]) -> FolderIndex {
    FolderIndex {
        folders,
        files: files
            .iter()
            .map(|(code, fld)| FilePlace {
                file_code: code.to_string(),
                fld_id: Some(*fld),
            })
            .collect(),
    }
}

#[test]
fn search_results_without_a_folder_are_placed_by_the_folder_walk_and_enter_goes_there() {
    let mut app = searched(vec![unplaced("ep0000000001", "ep 1.mp4")]);
    // The root holds Anime (1) and Movies (2), and not the file.
    let commands = feed(
        &mut app,
        [Event::Outcome(Outcome::FolderIndexed {
            fld_id: 0,
            result: Ok(index(vec![folder(1, "Anime"), folder(2, "Movies")], &[])),
        })],
    );
    assert!(
        commands.contains(&Command::IndexFolder { fld_id: 1 })
            && commands.contains(&Command::IndexFolder { fld_id: 2 }),
        "{commands:?}"
    );
    // Enter before the folder is known: nothing opens, the walk goes on.
    feed(&mut app, [key(KeyCode::Enter)]);
    assert!(app.view == Some(mp4u::app::views::View::Search));
    // Anime holds Season 1 (3), which holds the file.
    feed(
        &mut app,
        [Event::Outcome(Outcome::FolderIndexed {
            fld_id: 1,
            result: Ok(index(vec![folder(3, "Season 1")], &[])),
        })],
    );
    let commands = feed(
        &mut app,
        [Event::Outcome(Outcome::FolderIndexed {
            fld_id: 3,
            result: Ok(index(vec![], &[("ep0000000001", 3)])),
        })],
    );
    assert!(
        app.popup.is_none(),
        "the jump happened once the folder was known"
    );
    assert_eq!(app.tree.selected, 3);
    assert_eq!(app.focus, Focus::Files);
    assert!(
        commands
            .iter()
            .any(|c| matches!(c, Command::ListFiles { fld_id: 3, .. })),
        "{commands:?}"
    );
}

#[test]
fn a_result_no_folder_holds_is_unknown_never_the_root() {
    let mut app = searched(vec![unplaced("ep0000000009", "ep 9.mp4")]);
    feed(
        &mut app,
        [Event::Outcome(Outcome::FolderIndexed {
            fld_id: 0,
            result: Ok(index(vec![], &[])),
        })],
    );
    assert!(app.walk.finished());
    assert_eq!(app.view, Some(mp4u::app::views::View::Search));
    let view = &app.views.search;
    assert_eq!(view.results[0].fld_id, None, "not put in the root");
    feed(&mut app, [key(KeyCode::Enter)]);
    assert!(
        app.view == Some(mp4u::app::views::View::Search),
        "nothing opened"
    );
    let notice = app.notice.as_ref().expect("said").text.clone();
    assert!(notice.contains("could not be found"), "{notice}");
}

/// `n` uploads queued into the folder highlighted in the tree (Anime, 1, after one `j` from
/// the root), through the checks; returns the commands.
/// Upload `id` (`ep00.mp4`, 1,000 bytes, begun `since`) ended without a word of whether
/// the server has it (`reason`): what the look-up will look for.
fn unconfirmed(app: &mut App, id: u64, since: Option<String>, reason: &str) -> LostUpload {
    let lookup = LostUpload {
        name: "ep00.mp4".into(),
        size: 1_000,
        since,
        asked_at: 0,
    };
    feed(
        app,
        [finished(
            id,
            Err(ApiError::UploadUnconfirmed {
                reason: reason.into(),
                lookup: Box::new(lookup.clone()),
            }),
        )],
    );
    lookup
}

/// A loaded app with one upload queued (`/videos/ep00.mp4`): it and the upload's row id.
fn one_queued() -> (App, u64) {
    let mut app = loaded_app();
    queue(&mut app, 1);
    let id = app.uploads.items[0].id;
    (app, id)
}

fn queue(app: &mut App, n: usize) -> Vec<Command> {
    if app.tree.selected == 0 {
        feed(app, [ch('j')]);
    }
    let commands = app.update(Event::Outcome(Outcome::UploadsChecked {
        accepted: (0..n)
            .map(|i| CheckedFile {
                path: PathBuf::from(format!("/videos/ep{i:02}.mp4")),
                size: 1_000,
                warning: None,
            })
            .collect(),
        refused: vec![],
    }));
    crate::common::app::prepared(app, commands)
}

fn started(commands: &[Command]) -> Vec<u64> {
    commands
        .iter()
        .filter_map(|c| match c {
            Command::StartUpload { id, .. } => Some(*id),
            _ => None,
        })
        .collect()
}

fn done(id: u64, code: &str, placement: Placement) -> Event {
    finished(
        id,
        Ok(UploadedFile {
            file_code: code.into(),
            name: format!("ep{:02}.mp4", id - 1),
            size: 1_000,
            url: format!("{BASE}/{code}"),
            placement,
            uploaded: None,
            recovered: false,
        }),
    )
}

#[test]
fn uploads_start_in_the_order_they_were_queued_two_at_a_time() {
    let mut app = loaded_app();
    let commands = queue(&mut app, 5);
    let ids: Vec<u64> = app.uploads.items.iter().map(|u| u.id).collect();
    assert_eq!(started(&commands), ids[..2]);
    let commands = feed(
        &mut app,
        [done(ids[1], "c2", Placement::InFolder { fld_id: 1 })],
    );
    assert_eq!(started(&commands), [ids[2]]);
    let commands = feed(
        &mut app,
        [done(ids[0], "c1", Placement::InFolder { fld_id: 1 })],
    );
    assert_eq!(started(&commands), [ids[3]]);
}

#[test]
fn finished_uploads_join_their_folder_and_the_account_is_asked_every_few_seconds() {
    let mut app = loaded_app();
    // Anime (1) listed: 1,500 files.
    let commands = feed(&mut app, [ch('j')]);
    let req = listing_req(&commands, 1);
    feed(&mut app, [page(1, req, 1, 500, files("old", 0..500, 1))]);
    app.page_size = PageSize {
        cap: Some(500),
        floor: 500,
    };
    feed(&mut app, [page(1, req, 2, 500, files("old", 500..1000, 1))]);
    feed(
        &mut app,
        [page(1, req, 3, 500, files("old", 1000..1500, 1))],
    );
    feed(&mut app, [page(1, req, 4, 500, vec![])]);
    assert_eq!(app.files.listing().expect("listed").files.len(), 1_500);

    let commands = queue(&mut app, 30);
    let mut lists = 0;
    let mut accounts = 0;
    let mut pending = started(&commands);
    let mut finished = 0;
    let t0 = Instant::now();
    while let Some(id) = pending.first().copied() {
        pending.remove(0);
        finished += 1;
        // 30 uploads over 15 seconds, with ticks between.
        let at = t0 + Duration::from_millis(500 * finished);
        let mut commands = feed(&mut app, [Event::Tick(at)]);
        commands.extend(feed(
            &mut app,
            [done(
                id,
                &format!("new{id:03}"),
                Placement::InFolder { fld_id: 1 },
            )],
        ));
        lists += commands
            .iter()
            .filter(|c| matches!(c, Command::ListFiles { .. }))
            .count();
        accounts += commands
            .iter()
            .filter(|c| matches!(c, Command::LoadAccount))
            .count();
        pending.extend(started(&commands));
    }
    assert_eq!(finished, 30);
    assert_eq!(lists, 0, "no folder listed again");
    assert!(
        (2..=5).contains(&accounts),
        "{accounts} account calls: every 5 s while uploads run, and once at the end"
    );
    assert_eq!(app.files.cache[&1].files.len(), 1_530);
    let used = app.account.as_ref().and_then(|a| a.storage_used);
    assert_eq!(
        used,
        Some(1_000 + 30 * 1_000),
        "the account line follows at once"
    );
}

#[test]
fn an_upload_left_in_the_root_says_so_and_m_moves_it() {
    let (mut app, id) = one_queued();
    feed(
        &mut app,
        [done(
            id,
            "new001",
            Placement::LeftInRoot {
                wanted: 1,
                reason: "500 Internal server error".into(),
            },
        )],
    );
    // In the root's rows, not in Anime's.
    assert!(
        app.files.cache[&0]
            .files
            .iter()
            .any(|f| f.file_code == "new001")
    );
    let notice = app.notice.as_ref().expect("said").text.clone();
    assert!(
        notice.contains("it is in /") && notice.contains("m in the transfers"),
        "{notice}"
    );
    let commands = feed(&mut app, [ch('m')]);
    assert_eq!(
        commands,
        [Command::MoveUpload {
            id,
            code: "new001".into(),
            fld_id: 1,
            entry: id + 1000,
        }]
    );
    assert!(feed(&mut app, [ch('m')]).is_empty(), "one move at a time");
    feed(
        &mut app,
        [Event::Outcome(Outcome::UploadMoved {
            id,
            code: "new001".into(),
            fld_id: 1,
            result: Ok(()),
        })],
    );
    assert!(matches!(
        &app.uploads.items[0].state,
        UploadState::Done {
            placement: Placement::InFolder { fld_id: 1 },
            ..
        }
    ));
    assert!(
        !app.files.cache[&0]
            .files
            .iter()
            .any(|f| f.file_code == "new001"),
        "out of the root's rows"
    );
}

#[test]
fn an_unknown_upload_is_looked_for_before_anything_is_sent_again() {
    let (mut app, id) = one_queued();
    let lookup = unconfirmed(
        &mut app,
        id,
        Some("2026-01-01 10:00:00".into()),
        "the server had an error",
    );
    assert!(matches!(
        app.uploads.items[0].state,
        UploadState::Unknown { .. }
    ));
    // R looks; it does not send.
    let commands = feed(&mut app, [ch('R')]);
    assert_eq!(
        commands,
        [Command::LookupUpload {
            id,
            lookup: lookup.clone(),
            fld_id: 1,
            entry: id + 1000,
        }]
    );
    assert!(feed(&mut app, [ch('R')]).is_empty(), "one look at a time");
    // The look-up fails again: still unknown, nothing sent.
    let commands = feed(
        &mut app,
        [Event::Outcome(Outcome::UploadLookedUp {
            id,
            result: Err(ApiError::Api {
                status: 500,
                msg: "x".into(),
            }),
        })],
    );
    assert!(started(&commands).is_empty());
    assert!(matches!(
        app.uploads.items[0].state,
        UploadState::Unknown { .. }
    ));
    // It looks again, and the file is not there: only now is it sent.
    feed(&mut app, [ch('R')]);
    let commands = feed(
        &mut app,
        [Event::Outcome(Outcome::UploadLookedUp {
            id,
            result: Ok(None),
        })],
    );
    assert_eq!(started(&commands), [id]);
}

#[test]
fn an_unknown_upload_found_on_the_account_is_done_without_sending() {
    let (mut app, id) = one_queued();
    unconfirmed(&mut app, id, None, "timeout");
    feed(&mut app, [ch('R')]);
    let mut found = match done(id, "found01", Placement::InFolder { fld_id: 1 }) {
        Event::Outcome(Outcome::UploadFinished { result: Ok(f), .. }) => f,
        _ => unreachable!(),
    };
    found.recovered = true;
    let commands = feed(
        &mut app,
        [Event::Outcome(Outcome::UploadLookedUp {
            id,
            result: Ok(Some(found)),
        })],
    );
    assert!(started(&commands).is_empty(), "nothing sent again");
    assert!(matches!(
        app.uploads.items[0].state,
        UploadState::Done { .. }
    ));
}
