//! No panic at any size: every view and popup, in every state worth drawing (empty, loading,
//! failed, full, busy, with uploads running and failed), drawn at every size from 1x1 to 200x60
//! into the test backend. And on a terminal too small to draw, keys other than quit do nothing.

use std::time::Instant;

use mp4u::api::{ApiError, FileInfo, FileList, LostUpload, Placement, UploadedFile};
use mp4u::app::popups::CheckedFile;
use mp4u::app::{App, Command, Event, Outcome};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::KeyCode;

use super::snapshots::{app, days, file, picker_app, stats_app, transfers_app};
use crate::common::app::finished;
use crate::common::app::key_refused;
use crate::common::app::{change_req, feed, key, typed};

fn ch(c: char) -> Event {
    key(KeyCode::Char(c))
}

fn failure() -> ApiError {
    ApiError::Api {
        status: 500,
        msg: "Internal server error, and a sentence long enough to need more than one line \
              in any popup of the program, so that it has to wrap"
            .into(),
    }
}

/// Every state worth drawing, by name.
fn states() -> Vec<(&'static str, App)> {
    let base = || {
        let mut a = app(120, 35);
        a.focus = mp4u::app::Focus::Files;
        a
    };
    let mut states: Vec<(&'static str, App)> = Vec::new();
    states.push(("browser", base()));
    states.push(("empty account", {
        let mut a = mp4u::app::App::new(mp4u::app::AppOptions {
            base_url: crate::common::app::BASE.into(),
            ..Default::default()
        });
        a.update(Event::Resize(120, 35));
        a.start();
        a
    }));
    states.push(("filter line", {
        let mut a = base();
        feed(&mut a, [ch('/')]);
        feed(&mut a, typed("s01"));
        a
    }));
    states.push(("listing failed", {
        let mut a = base();
        let commands = a.update(key(KeyCode::Down));
        if let Some(req) = commands.iter().find_map(|c| match c {
            Command::ListFiles { req, fld_id, .. } => Some((*req, *fld_id)),
            _ => None,
        }) {
            a.update(Event::Outcome(Outcome::Files {
                fld_id: req.1,
                page: 1,
                per_page: 500,
                req: req.0,
                result: Err(failure()),
            }));
        }
        a
    }));
    states.push(("rename", {
        let mut a = base();
        feed(&mut a, [ch('r')]);
        a
    }));
    states.push(("rename busy", {
        let mut a = base();
        feed(&mut a, [ch('r'), key(KeyCode::Enter)]);
        a
    }));
    states.push(("rename failed", {
        let mut a = base();
        let commands = feed(&mut a, [ch('r'), key(KeyCode::Enter)]);
        a.update(Event::Outcome(Outcome::FilesRenamed {
            req: change_req(&commands),
            codes: vec![],
            name: "x".into(),
            result: Err(failure()),
        }));
        a
    }));
    states.push(("new folder", {
        let mut a = base();
        feed(&mut a, [ch('n')]);
        feed(&mut a, typed("Season 2"));
        a
    }));
    states.push(("move", {
        let mut a = base();
        feed(&mut a, [ch(' '), ch(' '), ch('m')]);
        a
    }));
    states.push(("move failed", {
        let mut a = base();
        feed(&mut a, [ch('m')]);
        feed(&mut a, typed("Movies"));
        let commands = feed(&mut a, [key(KeyCode::Enter)]);
        if let Ok(req) = std::panic::catch_unwind(|| change_req(&commands)) {
            a.update(Event::Outcome(Outcome::Moved {
                req,
                codes: vec![],
                from: 0,
                to: 2,
                result: Err(failure()),
            }));
        }
        a
    }));
    states.push(("details", {
        let mut a = base();
        feed(&mut a, [key(KeyCode::Enter)]);
        a
    }));
    states.push(("details failed", {
        let mut a = base();
        let commands = feed(&mut a, [key(KeyCode::Enter)]);
        if let Some(Command::FileInfo { code }) = commands.first().cloned() {
            a.update(Event::Outcome(Outcome::FileInfo {
                code,
                result: Err(failure()),
            }));
        }
        a
    }));
    states.push(("clone question", {
        let mut a = base();
        feed(&mut a, [ch('c')]);
        a
    }));
    states.push(("clones", {
        let mut a = base();
        feed(&mut a, [ch(' '), ch(' '), ch('c')]);
        let commands = feed(&mut a, [key(KeyCode::Enter)]);
        let req = change_req(&commands);
        if let Some(Command::CloneFile { file, .. }) = commands.first().cloned() {
            a.update(Event::Outcome(Outcome::Cloned {
                req,
                source: Box::new(file),
                result: Err(failure()),
            }));
        }
        a
    }));
    states.push(("error", {
        let mut a = base();
        a.update(key_refused());
        a
    }));
    states.push(("first run", {
        let mut a = mp4u::app::App::new(mp4u::app::AppOptions {
            base_url: crate::common::app::BASE.into(),
            needs_key: true,
            ..Default::default()
        });
        a.update(Event::Resize(120, 35));
        feed(&mut a, typed("short"));
        feed(&mut a, [key(KeyCode::Enter)]);
        a
    }));
    states.push(("upload picker", picker_app(120, 35)));
    states.push(("upload picker refusing", {
        let mut a = picker_app(120, 35);
        a.update(Event::Outcome(Outcome::UploadsChecked {
            accepted: vec![],
            refused: vec![("/home/me/videos/notes.txt".into(), failure().to_string())],
        }));
        a
    }));
    states.push(("formats menu", {
        let mut a = base();
        feed(&mut a, [ch(' '), ch(' '), ch('e')]);
        a
    }));
    states.push(("rename with a template", {
        let mut a = base();
        feed(&mut a, [ch(' '), ch(' '), ch(' '), ch('r')]);
        feed(&mut a, typed("{n:03} {name}{ext}"));
        a
    }));
    states.push(("sort menu", {
        let mut a = base();
        feed(&mut a, [ch('S')]);
        a
    }));
    states.push(("quit question", {
        let mut a = transfers_app();
        feed(&mut a, [key(KeyCode::Esc), ch('q')]);
        a
    }));
    states.push(("help", {
        let mut a = base();
        feed(&mut a, [ch('?')]);
        for _ in 0..40 {
            feed(&mut a, [ch('j')]);
        }
        a
    }));
    states.push(("transfers empty", {
        let mut a = base();
        feed(&mut a, [ch('t')]);
        a
    }));
    states.push(("transfers", transfers_app()));
    states.push((
        "resume prompt",
        super::snapshots::resume_prompt_app(120, 35),
    ));
    states.push((
        "duplicates question",
        super::snapshots::duplicates_app(120, 35),
    ));
    states.push((
        "tree confirmation",
        super::snapshots::tree_confirmation_app(120, 35),
    ));
    states.push(("picker reading a tree", {
        let mut a = picker_app(120, 35);
        feed(
            &mut a,
            [key(KeyCode::Up), key(KeyCode::Up), key(KeyCode::Insert)],
        );
        feed(&mut a, [key(KeyCode::Enter)]);
        a
    }));
    states.push((
        "transfers paused, elsewhere, skipped",
        super::snapshots::transfers_paused_app(),
    ));
    states.push(("upload limit", {
        let mut a = super::bwlimit_flows::limited_app(Some(1_500_000));
        feed(&mut a, [ch('b')]);
        a
    }));
    states.push(("upload limit refusing", {
        let mut a = super::bwlimit_flows::limited_app(None);
        feed(&mut a, [ch('b')]);
        feed(&mut a, typed("2 Mbit"));
        feed(&mut a, [key(KeyCode::Enter)]);
        a
    }));
    states.push(("transfers every state", {
        let mut a = base();
        let commands = a.update(Event::Outcome(Outcome::UploadsChecked {
            accepted: (0..8)
                .map(|i| CheckedFile {
                    path: format!("/v/a rather long file name, episode {i:02} [1080p].mkv").into(),
                    size: 1_000_000 * (i + 1),
                    warning: (i == 7).then(|| "does not look like a video".into()),
                })
                .collect(),
            refused: vec![("/v/empty.mp4".into(), "is empty".into())],
        }));
        crate::common::app::prepared(&mut a, commands);
        let ids: Vec<u64> = a.uploads.items.iter().map(|u| u.id).collect();
        a.update(finished(ids[0], Err(failure())));
        a.update(finished(
            ids[1],
            Err(ApiError::UploadUnconfirmed {
                reason: "timeout".into(),
                lookup: Box::new(LostUpload {
                    name: "x".into(),
                    size: 1,
                    since: None,
                    asked_at: 0,
                }),
            }),
        ));
        a.update(finished(
            ids[2],
            Ok(UploadedFile {
                file_code: "code00000003".into(),
                name: "c".into(),
                size: 3_000_000,
                url: "https://www.mp4upload.com/code00000003".into(),
                placement: Placement::LeftInRoot {
                    wanted: 11,
                    reason: failure().to_string(),
                },
                uploaded: None,
                recovered: false,
            }),
        ));
        a
    }));
    states.push(("stats loading", {
        let mut a = base();
        feed(&mut a, [ch('s')]);
        a
    }));
    states.push(("stats failed", {
        let mut a = base();
        feed(&mut a, [ch('s')]);
        a.update(Event::Outcome(Outcome::Stats {
            days: 7,
            result: Err(failure()),
        }));
        a
    }));
    states.push(("stats 7 days", stats_app(120, 35, 7)));
    states.push(("stats 90 days", stats_app(120, 35, 90)));
    states.push(("stats empty", {
        let mut a = base();
        feed(&mut a, [ch('s')]);
        a.update(Event::Outcome(Outcome::Stats {
            days: 7,
            result: Ok(vec![]),
        }));
        a
    }));
    states.push(("deleted", {
        let mut a = base();
        feed(&mut a, [ch('d')]);
        a.update(Event::Outcome(Outcome::Deleted {
            last: 20,
            result: Ok((0..40)
                .map(|i| mp4u::api::DeletedFile {
                    file_code: format!("del{i:09}"),
                    name: Some(format!("old cut {i}.mp4")),
                    deleted: Some("2026-11-01 10:00:00".into()),
                    deleted_ago_sec: Some(86_400 * i),
                })
                .collect()),
        }));
        a
    }));
    states.push(("deleted failed", {
        let mut a = base();
        feed(&mut a, [ch('d')]);
        a.update(Event::Outcome(Outcome::Deleted {
            last: 20,
            result: Err(failure()),
        }));
        a
    }));
    states.push(("checker", {
        let mut a = base();
        feed(&mut a, [ch('L')]);
        a.update(Event::Paste("code00000001 code00000002 junk".into()));
        let commands = feed(&mut a, [key(KeyCode::Enter)]);
        if let Some(Command::CheckLinks { req, .. }) = commands.first().cloned() {
            a.update(Event::Outcome(Outcome::LinksChecked {
                req,
                result: Ok(vec![
                    file("code00000001", "a.mp4", 1, 2, "2024-01-01 00:00:00"),
                    FileInfo::missing("code00000002"),
                ]),
            }));
        }
        a
    }));
    states.push(("search", {
        let mut a = base();
        feed(&mut a, [ch('f')]);
        feed(&mut a, typed("ep"));
        let commands = feed(&mut a, [key(KeyCode::Enter)]);
        if let Some(Command::Search { req, .. }) = commands.first().cloned() {
            let mut unplaced = file("code00000009", "ep 9.mp4", 1, 2, "2024-01-01 00:00:00");
            unplaced.fld_id = None;
            a.update(Event::Outcome(Outcome::SearchResults {
                req,
                page: 1,
                per_page: 500,
                result: Ok(FileList {
                    files: vec![
                        file("code00000001", "ep 1.mp4", 1, 2, "2024-01-01 00:00:00"),
                        unplaced,
                    ],
                    results_total: None,
                    total_pages: None,
                }),
            }));
        }
        a
    }));
    states.push(("search failed", {
        let mut a = base();
        feed(&mut a, [ch('f')]);
        feed(&mut a, typed("ep"));
        let commands = feed(&mut a, [key(KeyCode::Enter)]);
        if let Some(Command::Search { req, .. }) = commands.first().cloned() {
            a.update(Event::Outcome(Outcome::SearchResults {
                req,
                page: 1,
                per_page: 500,
                result: Err(failure()),
            }));
        }
        a
    }));
    states.push(("messages", {
        let mut a = base();
        for i in 0..30 {
            a.notify(
                mp4u::app::Level::Error,
                format!("message {i}: {}", failure()),
            );
        }
        feed(&mut a, [ch('M')]);
        a
    }));
    states.push(("message log empty", {
        let mut a = base();
        a.messages.clear();
        feed(&mut a, [ch('M')]);
        a
    }));
    states.push(("view under an error", {
        let mut a = stats_app(120, 35, 7);
        a.popup = Some(mp4u::app::popups::Popup::Error(
            mp4u::app::popups::ErrorPopup {
                title: "An error".into(),
                message: failure().to_string(),
            },
        ));
        a
    }));
    let _ = days;
    states
}

/// Draws `app` at every size from 1x1 to 200x60; the first size that panics, if any.
fn sweep(name: &str, app: &App) -> Result<u64, String> {
    let mut app = app.clone();
    let mut terminal = Terminal::new(TestBackend::new(1, 1)).expect("terminal");
    let mut draws = 0;
    for w in 1..=200u16 {
        for h in 1..=60u16 {
            // The state machine learns the size as the event loop tells it, then draws.
            app.update(Event::Resize(w, h));
            terminal.backend_mut().resize(w, h);
            terminal
                .resize(ratatui::layout::Rect::new(0, 0, w, h))
                .expect("resize");
            // Drawn into the frame alone: what reaches a terminal is not in question here.
            let drawn = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                let mut frame = terminal.get_frame();
                mp4u::ui::draw(&mut frame, &app, &mp4u::theme::Theme::default());
            }));
            if drawn.is_err() {
                return Err(format!("{name}: panicked at {w}x{h}"));
            }
            draws += 1;
        }
    }
    Ok(draws)
}

#[test]
fn every_view_and_popup_draws_at_every_size_from_1x1_to_200x60() {
    let states = states();
    assert!(states.len() >= 46, "{} states", states.len());
    let started = Instant::now();
    // The states shared out among the cores.
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    let next = std::sync::atomic::AtomicUsize::new(0);
    let results: Vec<Result<u64, String>> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut out = Vec::new();
                    loop {
                        let at = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some((name, app)) = states.get(at) else {
                            return out;
                        };
                        out.push(sweep(name, app));
                    }
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().expect("a sweep thread"))
            .collect()
    });
    let failures: Vec<&String> = results.iter().filter_map(|r| r.as_ref().err()).collect();
    assert!(failures.is_empty(), "{failures:#?}");
    let draws: u64 = results.iter().filter_map(|r| r.as_ref().ok()).sum();
    assert_eq!(draws, states.len() as u64 * 200 * 60);
    println!(
        "{draws} draws of {} states in {:.1} s",
        states.len(),
        started.elapsed().as_secs_f64()
    );
}

#[test]
fn on_a_terminal_too_small_to_draw_only_quit_works() {
    for (name, state) in states() {
        let mut app = state.clone();
        app.update(Event::Resize(20, 6));
        let before = format!("{:?}", (&app.popup, app.view, app.focus, &app.files.marked));
        for key in [
            key(KeyCode::Tab),
            ch('c'),
            ch('r'),
            ch('u'),
            key(KeyCode::Enter),
            key(KeyCode::Esc),
            ch(' '),
            key(KeyCode::F(5)),
            key(KeyCode::Down),
            ch('y'),
        ] {
            let commands = app.update(key);
            assert!(commands.is_empty(), "{name}: {commands:?}");
        }
        let after = format!("{:?}", (&app.popup, app.view, app.focus, &app.files.marked));
        assert_eq!(before, after, "{name}: nothing changed");
        if !matches!(app.popup, Some(mp4u::app::popups::Popup::Login(_))) {
            app.update(ch('q'));
            assert!(
                app.quit || matches!(app.popup, Some(mp4u::app::popups::Popup::Confirm(_))),
                "{name}: q quits (or asks, while uploads run)"
            );
        }
    }
}
