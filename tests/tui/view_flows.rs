//! The views over the browser through the state machine: statistics, deleted files, link
//! checker, search, sort, export. Keys and fake outcomes in; commands and state out.

use std::path::PathBuf;

use mp4u::api::{FileInfo, FileList, Folder};
use mp4u::app::popups::{FormatChoice, Popup};
use mp4u::app::views::ViewFocus;
use mp4u::app::{App, AppOptions, Command, Event, Focus, Outcome, PER_PAGE};
use ratatui::crossterm::event::KeyCode;

use crate::common::app::{app_on_root, ch, ctrl, feed, key, names, typed};

const BASE: &str = "http://127.0.0.1:4242";

/// A file with a name, a folder and a size, and nothing else (no downloads, no date).
fn file(code: &str, name: &str, fld: u64, size: u64) -> FileInfo {
    let mut f = FileInfo::missing(code);
    f.status = 200;
    f.name = Some(name.into());
    f.fld_id = Some(fld);
    f.size = Some(size);
    f
}

/// The root with folder Anime (1) holding Season 1 (3); the root holds three files.
fn app() -> App {
    app_on_root(
        AppOptions {
            base_url: BASE.into(),
            cwd: PathBuf::from("/work"),
            sort: Some("size-desc".into()),
            ..Default::default()
        },
        vec![
            file("aaaa00000001", "small.mp4", 0, 10),
            file("aaaa00000002", "big.mp4", 0, 900),
            file("aaaa00000003", "mid.mp4", 0, 50),
        ],
    )
}

#[test]
fn the_remembered_sort_applies_and_the_menu_changes_and_saves_it() {
    let mut app = app();
    assert_eq!(
        names(&app),
        ["big.mp4", "mid.mp4", "small.mp4"],
        "size-desc from the config"
    );
    feed(&mut app, [ch('S')]);
    assert!(matches!(app.popup, Some(Popup::Sort(_))));
    // Up to "name, A to Z" (the first entry), Enter.
    let commands = feed(
        &mut app,
        [
            key(KeyCode::Home),
            key(KeyCode::Up),
            key(KeyCode::Up),
            key(KeyCode::Enter),
        ],
    );
    assert_eq!(
        commands,
        [Command::Remember {
            key: "sort",
            value: "name".into()
        }]
    );
    assert_eq!(names(&app), ["big.mp4", "mid.mp4", "small.mp4"]);
    feed(&mut app, [ch('S'), key(KeyCode::Esc)]);
    assert!(app.popup.is_none(), "Esc leaves the order as it is");
}

#[test]
fn stats_switch_period_and_chart() {
    let mut app = app();
    let commands = feed(&mut app, [ch('s')]);
    assert!(commands.contains(&Command::LoadStats { days: 7 }));
    assert_eq!(
        feed(&mut app, [key(KeyCode::Right)]),
        [Command::LoadStats { days: 30 }]
    );
    assert_eq!(
        feed(&mut app, [key(KeyCode::Right)]),
        [Command::LoadStats { days: 90 }]
    );
    assert_eq!(
        feed(&mut app, [key(KeyCode::Left)]),
        [Command::LoadStats { days: 30 }]
    );
    // A late answer for another period is not shown as this one.
    feed(
        &mut app,
        [Event::Outcome(Outcome::Stats {
            days: 90,
            result: Ok(vec![]),
        })],
    );
    assert_eq!(app.view, Some(mp4u::app::views::View::Stats));
    let view = &app.views.stats;
    assert!(view.fetch.data.is_none() && view.fetch.loading);
    feed(&mut app, [key(KeyCode::Tab)]);
    assert_eq!(app.view, Some(mp4u::app::views::View::Stats));
    let view = &app.views.stats;
    assert_eq!(view.metric, mp4u::app::views::stats::Metric::Downloads);
    feed(&mut app, [key(KeyCode::Esc)]);
    assert!(app.popup.is_none());
    assert_eq!(
        names(&app),
        ["big.mp4", "mid.mp4", "small.mp4"],
        "the browser is unchanged"
    );
}

#[test]
fn deleted_shows_more_or_fewer() {
    let mut app = app();
    assert_eq!(
        feed(&mut app, [ch('d')]),
        [Command::LoadDeleted { last: 20 }]
    );
    assert_eq!(
        feed(&mut app, [ch('+')]),
        [Command::LoadDeleted { last: 50 }]
    );
    assert_eq!(
        feed(&mut app, [ch('-'), ch('-')]),
        [
            Command::LoadDeleted { last: 20 },
            Command::LoadDeleted { last: 20 }
        ]
    );
}

#[test]
fn link_checker_parses_checks_copies_and_exports() {
    let mut app = app();
    feed(&mut app, [ch('L')]);
    feed(
        &mut app,
        [Event::Paste(format!(
            "aaaa00000001\n{BASE}/aaaa00000002.html junk aaaa00000001 https://www.mp4upload.com/zzzz00000000"
        ))],
    );
    let commands = feed(&mut app, [key(KeyCode::Enter)]);
    let [Command::CheckLinks { codes, req }] = commands.as_slice() else {
        panic!("{commands:?}")
    };
    assert_eq!(codes, &["aaaa00000001", "aaaa00000002", "zzzz00000000"]);
    let req = *req;
    feed(
        &mut app,
        [Event::Outcome(Outcome::LinksChecked {
            req,
            result: Ok(vec![
                file("aaaa00000001", "small.mp4", 0, 10),
                file("aaaa00000002", "big.mp4", 0, 900),
                FileInfo::missing("zzzz00000000"),
            ]),
        })],
    );
    assert_eq!(app.view, Some(mp4u::app::views::View::Checker));
    let view = &app.views.checker;
    assert_eq!(view.focus, ViewFocus::List, "keys go to the results now");
    assert_eq!(view.parsed.duplicates, 1);
    assert_eq!(view.parsed.ignored, ["junk"]);
    // y offers the formats, the remembered one (plain) first; Enter copies the alive links.
    assert!(feed(&mut app, [ch('y')]).is_empty());
    assert!(matches!(app.popup, Some(Popup::Formats(_))));
    assert_eq!(
        feed(&mut app, [key(KeyCode::Enter)]),
        [Command::Copy(format!(
            "{BASE}/aaaa00000001\n{BASE}/aaaa00000002"
        ))]
    );
    assert!(app.popup.is_none());
    // e offers the checker's table first, then the link formats.
    assert!(feed(&mut app, [ch('e')]).is_empty());
    let Some(Popup::Formats(menu)) = &app.popup else {
        panic!("{:?}", app.popup)
    };
    assert!(matches!(menu.choices[0], FormatChoice::CheckTable(_)));
    let commands = feed(&mut app, [key(KeyCode::Home), key(KeyCode::Enter)]);
    let [
        Command::Export {
            dir,
            prefix,
            extension,
            contents,
        },
    ] = commands.as_slice()
    else {
        panic!("{commands:?}")
    };
    assert_eq!(
        (dir, prefix.as_str(), *extension),
        (&PathBuf::from("/work"), "mp4u-check", "tsv")
    );
    assert!(contents.contains("missing\tzzzz00000000"));
    assert!(contents.contains(&format!(
        "alive\taaaa00000002\tbig.mp4\t900\t\t{BASE}/aaaa00000002"
    )));
    // Or the alive files' links as BBCode, remembered for next time.
    feed(&mut app, [ch('e')]);
    let bbcode = 1 + mp4u::links::LinkFormat::ALL
        .iter()
        .position(|f| *f == mp4u::links::LinkFormat::Bbcode)
        .unwrap();
    feed(&mut app, [key(KeyCode::Home)]);
    for _ in 0..bbcode {
        feed(&mut app, [key(KeyCode::Down)]);
    }
    let commands = feed(&mut app, [key(KeyCode::Enter)]);
    assert_eq!(
        commands[0],
        Command::Remember {
            key: "link_format",
            value: "bbcode".into()
        }
    );
    let Command::Export {
        extension,
        contents,
        ..
    } = &commands[1]
    else {
        panic!("{commands:?}")
    };
    assert_eq!(*extension, "txt");
    assert_eq!(
        contents,
        &format!(
            "[url={BASE}/aaaa00000001]small.mp4[/url]\n[url={BASE}/aaaa00000002]big.mp4[/url]\n"
        )
    );
    assert_eq!(app.link_format, mp4u::links::LinkFormat::Bbcode);
    // Back in the input, y and e are letters again.
    feed(&mut app, [key(KeyCode::Tab), ch('y'), ch('e')]);
    assert_eq!(app.view, Some(mp4u::app::views::View::Checker));
    let view = &app.views.checker;
    assert!(view.input.value().ends_with("ye"));
}

#[test]
fn link_checker_with_nothing_recognisable_says_so() {
    let mut app = app();
    feed(&mut app, [ch('L')]);
    feed(&mut app, typed("hello world"));
    assert!(feed(&mut app, [key(KeyCode::Enter)]).is_empty());
    assert_eq!(app.view, Some(mp4u::app::views::View::Checker));
    let view = &app.views.checker;
    assert!(
        view.fetch
            .error
            .as_deref()
            .unwrap()
            .contains("No file code or link")
    );
}

#[test]
fn search_pages_and_jumps_to_the_file_in_its_folder() {
    let mut app = app();
    // A server known to send 100 files a page.
    app.page_size = mp4u::api::PageSize {
        cap: Some(100),
        floor: 100,
    };
    let commands = feed(&mut app, [ch('f')]);
    assert!(
        commands.contains(&Command::ListFolder { fld_id: 1 }),
        "the search learns the tree"
    );
    feed(&mut app, typed("ep"));
    feed(&mut app, [ctrl('p')]);
    let commands = feed(&mut app, [key(KeyCode::Enter)]);
    let [Command::Search { query, req }] = commands.as_slice() else {
        panic!("{commands:?}")
    };
    assert_eq!(
        (query.name.as_deref(), query.public, query.page),
        (Some("ep"), Some(true), Some(1))
    );
    let req = *req;
    let page: Vec<FileInfo> = (0..100)
        .map(|i| file(&format!("ep{i:010}"), &format!("ep {i}.mp4"), 3, 1))
        .collect();
    feed(
        &mut app,
        [Event::Outcome(Outcome::SearchResults {
            req,
            page: 1,
            per_page: 100,
            result: Ok(FileList {
                files: page,
                results_total: None,
                total_pages: None,
            }),
        })],
    );
    // PgDn at the end asks for the next page.
    let commands = feed(&mut app, [key(KeyCode::End), ctrl('n')]);
    assert!(
        matches!(commands.as_slice(), [Command::Search { query, .. }] if query.page == Some(2)),
        "{commands:?}"
    );
    // Enter on a result whose folder is not known yet waits for the folder, then goes.
    let commands = feed(&mut app, [key(KeyCode::Home), key(KeyCode::Enter)]);
    assert!(app.view == Some(mp4u::app::views::View::Search));
    assert!(
        commands.is_empty()
            || commands
                .iter()
                .all(|c| matches!(c, Command::ListFolder { .. }))
    );
    let commands = feed(
        &mut app,
        [Event::Outcome(Outcome::Folder {
            fld_id: 1,
            result: Ok(mp4u::api::Subfolders {
                folders: vec![Folder {
                    fld_id: 3,
                    name: "Season 1".into(),
                }],
                files: Default::default(),
            }),
        })],
    );
    assert!(
        app.popup.is_none(),
        "the jump happened once the folder was known"
    );
    assert_eq!(app.tree.selected, 3);
    assert_eq!(app.focus, Focus::Files);
    let req = commands
        .iter()
        .find_map(|c| match c {
            Command::ListFiles { fld_id: 3, req, .. } => Some(*req),
            _ => None,
        })
        .expect("the folder's files are asked for");
    feed(
        &mut app,
        [Event::Outcome(Outcome::Files {
            fld_id: 3,
            page: 1,
            per_page: PER_PAGE,
            req,
            result: Ok(FileList {
                files: vec![
                    file("ep0000000000", "ep 0.mp4", 3, 1),
                    file("ep0000000001", "ep 1.mp4", 3, 1),
                    file("ep0000000002", "ep 2.mp4", 3, 1),
                ],
                results_total: None,
                total_pages: None,
            }),
        })],
    );
    assert_eq!(app.files.current().unwrap().file_code, "ep0000000000");
}

#[test]
fn export_in_the_browser_takes_marked_files_or_the_whole_folder() {
    let mut app = app();
    let commands = feed(&mut app, [ch('e'), key(KeyCode::Enter)]);
    let [
        Command::Export {
            contents, prefix, ..
        },
    ] = commands.as_slice()
    else {
        panic!("{commands:?}")
    };
    assert_eq!(prefix, "mp4u-links");
    assert_eq!(contents.lines().count(), 3);
    let commands = feed(
        &mut app,
        [key(KeyCode::Tab), ch(' '), ch('e'), key(KeyCode::Enter)],
    );
    let [Command::Export { contents, .. }] = commands.as_slice() else {
        panic!("{commands:?}")
    };
    assert_eq!(contents, &format!("{BASE}/aaaa00000002\n"));
}
