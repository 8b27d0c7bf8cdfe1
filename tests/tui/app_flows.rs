//! The state machine driven by key events and fake outcomes: keys in, commands out, state
//! asserted. No terminal, no network.

use std::time::{Duration, Instant};

use mp4u::api::{AccountInfo, ApiError, ClonedFile, FileInfo, FileList, StorageLeft};
use mp4u::app::popups::RenamePlan;
use mp4u::app::popups::{Popup, RenameTarget};
use mp4u::app::{App, Command, Event, Focus, Outcome, PER_PAGE};
use ratatui::crossterm::event::{
    KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};

use crate::common::app::renamed_bbb;
use crate::common::app::{
    BASE, ch, change_req, ctrl, feed, file, files_outcome, folder, key, listing_req, loaded_app,
    names, typed,
};

#[test]
fn start_asks_for_account_root_folders_and_files() {
    let mut app = App::new(crate::common::app::options(BASE));
    let commands = app.start();
    assert!(commands.contains(&Command::LoadAccount));
    assert!(commands.contains(&Command::ListFolder { fld_id: 0 }));
    assert!(matches!(
        commands.last(),
        Some(Command::ListFiles {
            fld_id: 0,
            page: 1,
            debounce: false,
            ..
        })
    ));
}

#[test]
fn files_show_sorted_by_name_and_the_tree_sorted_too() {
    let app = loaded_app();
    assert_eq!(names(&app), ["a.mp4", "b.mp4", "c 10.mp4"]);
    let rows: Vec<u64> = app.tree.rows().iter().map(|r| r.id).collect();
    assert_eq!(rows, [0, 1, 2], "Anime before Movies");
}

#[test]
fn moving_in_the_tree_debounces_and_drops_stale_listings() {
    let mut app = loaded_app();
    let first = feed(&mut app, [ch('j')]);
    assert_eq!(app.tree.selected, 1);
    let req1 = listing_req(&first, 1);
    assert!(matches!(
        first[0],
        Command::ListFiles { debounce: true, .. }
    ));
    let second = feed(&mut app, [ch('j')]);
    assert_eq!(app.tree.selected, 2);
    let req2 = listing_req(&second, 2);
    assert_ne!(req1, req2);
    // The answer for folder 1 arrives late: it is cached but not shown.
    feed(
        &mut app,
        [files_outcome(1, req1, vec![file("x1", "anime.mp4", 1)])],
    );
    assert_eq!(app.files.folder, 2);
    assert!(app.files.view.is_empty());
    feed(
        &mut app,
        [files_outcome(2, req2, vec![file("m1", "movie.mp4", 2)])],
    );
    assert_eq!(names(&app), ["movie.mp4"]);
    // An answer to an older request for the same folder is dropped.
    feed(
        &mut app,
        [files_outcome(2, req1, vec![file("zz", "stale.mp4", 2)])],
    );
    assert_eq!(names(&app), ["movie.mp4"]);
}

#[test]
fn long_folders_load_page_by_page() {
    let mut app = loaded_app();
    let commands = feed(&mut app, [ch('j')]);
    let req = listing_req(&commands, 1);
    let page1: Vec<FileInfo> = (0..PER_PAGE)
        .map(|i| file(&format!("p1c{i}"), &format!("f{i}"), 1))
        .collect();
    let next = feed(&mut app, [files_outcome(1, req, page1)]);
    assert!(
        next.iter().any(|c| matches!(
            c,
            Command::ListFiles {
                fld_id: 1,
                page: 2,
                ..
            }
        )),
        "{next:?}"
    );
    assert!(app.files.listing().unwrap().loading);
    let next = feed(
        &mut app,
        [Event::Outcome(Outcome::Files {
            fld_id: 1,
            page: 2,
            per_page: PER_PAGE,
            req,
            result: Ok(FileList {
                files: vec![file("last", "last", 1)],
                results_total: None,
                total_pages: None,
            }),
        })],
    );
    assert!(!next.iter().any(|c| matches!(c, Command::ListFiles { .. })));
    let listing = app.files.listing().unwrap();
    assert!(listing.complete && !listing.loading);
    assert_eq!(listing.files.len(), PER_PAGE as usize + 1);
}

#[test]
fn expanding_a_folder_lists_its_subfolders_once() {
    let mut app = loaded_app();
    let commands = feed(&mut app, [ch('j'), key(KeyCode::Right)]);
    assert!(commands.contains(&Command::ListFolder { fld_id: 1 }));
    let again = feed(&mut app, [key(KeyCode::Left), key(KeyCode::Right)]);
    assert!(
        !again.contains(&Command::ListFolder { fld_id: 1 }),
        "asked once while loading"
    );
    feed(
        &mut app,
        [Event::Outcome(Outcome::Folder {
            fld_id: 1,
            result: Ok(mp4u::api::Subfolders {
                folders: vec![folder(3, "Season 1")],
                files: Default::default(),
            }),
        })],
    );
    assert_eq!(app.tree.rows().len(), 4);
    feed(&mut app, [key(KeyCode::Right)]);
    assert_eq!(app.tree.selected, 3, "→ on an open folder enters it");
    assert_eq!(app.tree.path(3), "/Anime/Season 1");
    feed(&mut app, [key(KeyCode::Backspace)]);
    assert_eq!(app.tree.selected, 1, "Backspace goes to the parent");
}

#[test]
fn rename_a_file_with_the_current_name_prefilled() {
    let mut app = loaded_app();
    feed(&mut app, [key(KeyCode::Tab)]);
    assert_eq!(app.focus, Focus::Files);
    feed(&mut app, [key(KeyCode::F(2))]);
    let Some(Popup::Rename(p)) = &app.popup else {
        panic!("no rename popup")
    };
    assert_eq!(p.input.value(), "a.mp4");
    assert_eq!(
        p.target,
        RenameTarget::Files {
            codes: vec!["bbb222".into()],
            names: vec!["a.mp4".into()]
        }
    );
    let mut events = vec![ctrl('u')];
    events.extend(typed("new name.mp4"));
    events.push(key(KeyCode::Enter));
    let commands = feed(&mut app, events);
    let req = change_req(&commands);
    assert_eq!(
        commands,
        [Command::RenameFiles {
            req,
            codes: vec!["bbb222".into()],
            name: "new name.mp4".into()
        }]
    );
    feed(&mut app, [renamed_bbb(req, "new name.mp4")]);
    assert!(app.popup.is_none());
    assert!(names(&app).contains(&"new name.mp4".to_string()));
    assert!(app.notice.as_ref().unwrap().text.contains("Renamed"));
}

#[test]
fn marked_files_are_renamed_together() {
    let mut app = loaded_app();
    // Several files start from the template that changes nothing; a plain name is for all.
    feed(&mut app, [key(KeyCode::Tab), ch(' '), ch(' '), ch('r')]);
    let Some(Popup::Rename(p)) = &app.popup else {
        panic!("no rename popup")
    };
    assert_eq!(p.input.value(), "{name}{ext}");
    assert_eq!(p.plan(), RenamePlan::Each(Vec::new()));
    assert!(
        feed(&mut app, [key(KeyCode::Enter)]).is_empty(),
        "nothing would change"
    );
    let mut events = vec![ctrl('u')];
    events.extend(typed("same.mp4"));
    events.push(key(KeyCode::Enter));
    let commands = feed(&mut app, events);
    assert_eq!(
        commands,
        [Command::RenameFiles {
            req: change_req(&commands),
            codes: vec!["bbb222".into(), "aaa111".into()],
            name: "same.mp4".into()
        }]
    );
}

#[test]
fn a_template_previews_each_new_name_then_lists_each_result() {
    let mut app = loaded_app();
    feed(
        &mut app,
        [
            key(KeyCode::Tab),
            ch(' '),
            ch(' '),
            ch(' '),
            ch('r'),
            ctrl('u'),
        ],
    );
    feed(&mut app, typed("Show - S01E{n:02}{ext}"));
    let Some(Popup::Rename(p)) = &app.popup else {
        panic!("no rename popup")
    };
    let preview: Vec<(String, String)> = p.preview().into_iter().map(|(o, n, _)| (o, n)).collect();
    assert_eq!(
        preview,
        [
            ("a.mp4".to_string(), "Show - S01E01.mp4".to_string()),
            ("b.mp4".into(), "Show - S01E02.mp4".into()),
            ("c 10.mp4".into(), "Show - S01E03.mp4".into()),
        ],
        "numbered in the list's order"
    );
    // A template that makes a bad name for any file sends nothing.
    feed(&mut app, [ctrl('u')]);
    feed(&mut app, typed("{title}"));
    assert!(feed(&mut app, [key(KeyCode::Enter)]).is_empty());
    let Some(Popup::Rename(p)) = &app.popup else {
        panic!("closed")
    };
    assert!(
        p.error.as_deref().unwrap().contains("title"),
        "{:?}",
        p.error
    );
    feed(&mut app, [ctrl('u')]);
    feed(&mut app, typed("Show - S01E{n:02}{ext}"));
    let commands = feed(&mut app, [key(KeyCode::Enter)]);
    let [Command::RenameEach { req, renames }] = commands.as_slice() else {
        panic!("{commands:?}")
    };
    assert_eq!(renames.len(), 3);
    assert_eq!(renames[1], ("aaa111".into(), "Show - S01E02.mp4".into()));
    let req = *req;
    // While it runs, typing changes nothing.
    feed(&mut app, typed("zz"));
    feed(
        &mut app,
        [Event::Outcome(Outcome::FilesRenamedEach {
            req,
            results: vec![
                ("bbb222".into(), "Show - S01E01.mp4".into(), Ok(true)),
                ("aaa111".into(), "Show - S01E02.mp4".into(), Ok(false)),
                (
                    "ccc333".into(),
                    "Show - S01E03.mp4".into(),
                    Err(ApiError::Api {
                        status: 403,
                        msg: "not yours".into(),
                    }),
                ),
            ],
        })],
    );
    let Some(Popup::Rename(p)) = &app.popup else {
        panic!("the results stay on screen")
    };
    let results = p.results.as_ref().unwrap();
    assert_eq!(results[0].2, None);
    assert_eq!(results[1].2.as_deref(), Some("no such file"));
    assert!(results[2].2.as_deref().unwrap().contains("not yours"));
    assert!(names(&app).contains(&"Show - S01E01.mp4".to_string()));
    assert!(
        names(&app).contains(&"b.mp4".to_string()),
        "a failure keeps its name"
    );
    assert!(app.messages.iter().any(|m| m.text.contains("not yours")));
    feed(&mut app, [key(KeyCode::Enter)]);
    assert!(app.popup.is_none());
}

#[test]
fn a_templates_answer_after_esc_is_a_notice_and_opens_nothing() {
    let mut app = loaded_app();
    feed(
        &mut app,
        [key(KeyCode::Tab), ch(' '), ch(' '), ch('r'), ctrl('u')],
    );
    feed(&mut app, typed("{n} {name}{ext}"));
    let commands = feed(&mut app, [key(KeyCode::Enter)]);
    let [Command::RenameEach { req, renames }] = commands.as_slice() else {
        panic!("{commands:?}")
    };
    let (req, renames) = (*req, renames.clone());
    feed(&mut app, [key(KeyCode::Esc), ch('n')]);
    assert!(matches!(app.popup, Some(Popup::NewFolder(_))));
    feed(
        &mut app,
        [Event::Outcome(Outcome::FilesRenamedEach {
            req,
            results: renames.into_iter().map(|(c, n)| (c, n, Ok(true))).collect(),
        })],
    );
    assert!(
        matches!(app.popup, Some(Popup::NewFolder(_))),
        "the new-folder popup stays"
    );
    assert!(
        app.notice
            .as_ref()
            .unwrap()
            .text
            .contains("Renamed 2 files")
    );
    assert!(names(&app).contains(&"1 a.mp4".to_string()));
}

#[test]
fn bad_names_are_refused_in_the_popup_and_nothing_is_sent() {
    let long = "x".repeat(256);
    for (text, reason) in [
        ("", "empty"),
        ("   ", "empty"),
        (long.as_str(), "255"),
        ("a\u{7}b", "control"),
    ] {
        let mut app = loaded_app();
        feed(&mut app, [key(KeyCode::Tab), ch('r'), ctrl('u')]);
        if let Some(Popup::Rename(p)) = &mut app.popup {
            p.input = tui_input::Input::new(text.to_string());
        }
        let commands = feed(&mut app, [key(KeyCode::Enter)]);
        assert!(commands.is_empty(), "{text:?} sent {commands:?}");
        let Some(Popup::Rename(p)) = &app.popup else {
            panic!("popup closed")
        };
        let error = p.error.as_deref().unwrap_or_default();
        assert!(error.contains(reason), "{text:?}: {error}");
    }
}

#[test]
fn a_failed_rename_keeps_the_popup_with_the_reason() {
    let mut app = loaded_app();
    let commands = feed(&mut app, [key(KeyCode::Tab), ch('r'), key(KeyCode::Enter)]);
    feed(
        &mut app,
        [Event::Outcome(Outcome::FilesRenamed {
            req: change_req(&commands),
            codes: vec!["bbb222".into()],
            name: "a.mp4".into(),
            result: Err(ApiError::Api {
                status: 500,
                msg: "Internal error".into(),
            }),
        })],
    );
    let Some(Popup::Rename(p)) = &app.popup else {
        panic!("popup closed")
    };
    assert!(p.pending.is_none());
    assert!(p.error.as_deref().unwrap().contains("500"));
}

#[test]
fn esc_closes_any_popup_and_loses_nothing() {
    let mut app = loaded_app();
    let before = names(&app);
    for open in [ch('r'), ch('n'), ch('?'), key(KeyCode::F(1))] {
        feed(&mut app, [key(KeyCode::Tab)]);
        let commands = feed(&mut app, [open, ch('z'), key(KeyCode::Esc)]);
        assert!(commands.iter().all(|c| !matches!(
            c,
            Command::RenameFiles { .. } | Command::CreateFolder { .. }
        )));
        assert!(app.popup.is_none());
        assert_eq!(names(&app), before);
    }
}

#[test]
fn the_root_cannot_be_renamed_and_folders_rename_in_the_tree() {
    let mut app = loaded_app();
    let commands = feed(&mut app, [ch('r')]);
    assert!(commands.is_empty() && app.popup.is_none());
    assert!(app.notice.as_ref().unwrap().text.contains("root"));
    let commands = feed(
        &mut app,
        [ch('j'), ch('r'), ctrl('u')]
            .into_iter()
            .chain(typed("Manga"))
            .chain([key(KeyCode::Enter)]),
    );
    let req = change_req(&commands);
    assert!(commands.contains(&Command::RenameFolder {
        req,
        fld_id: 1,
        name: "Manga".into()
    }));
    feed(
        &mut app,
        [Event::Outcome(Outcome::FolderRenamed {
            req,
            fld_id: 1,
            name: "Manga".into(),
            result: Ok(()),
        })],
    );
    assert_eq!(app.tree.path(1), "/Manga");
    assert_eq!(
        app.tree.rows().iter().map(|r| r.id).collect::<Vec<_>>(),
        [0, 1, 2]
    );
}

#[test]
fn new_folder_goes_inside_the_highlighted_folder_and_shows_at_once() {
    let mut app = loaded_app();
    let mut events = vec![ch('j'), key(KeyCode::F(7))];
    events.extend(typed("Season 2"));
    events.push(key(KeyCode::Enter));
    let commands = feed(&mut app, events);
    let req = change_req(&commands);
    assert!(commands.contains(&Command::CreateFolder {
        req,
        parent: 1,
        name: "Season 2".into()
    }));
    feed(
        &mut app,
        [Event::Outcome(Outcome::FolderCreated {
            req,
            parent: 1,
            name: "Season 2".into(),
            result: Ok(77),
        })],
    );
    assert!(app.popup.is_none());
    assert_eq!(app.tree.selected, 77);
    assert_eq!(app.tree.path(77), "/Anime/Season 2");
    assert!(app.tree.node(1).unwrap().expanded);
    assert!(
        app.files.listing().unwrap().complete,
        "a new folder is known to be empty"
    );
}

#[test]
fn clone_asks_first_then_shows_the_link_and_the_copy() {
    let mut app = loaded_app();
    // F5 asks first (there is no delete call: a stray copy stays); Esc sends nothing.
    let commands = feed(&mut app, [key(KeyCode::Tab), key(KeyCode::F(5))]);
    assert!(commands.is_empty());
    assert!(matches!(app.popup, Some(Popup::Confirm(_))));
    assert!(feed(&mut app, [key(KeyCode::Esc)]).is_empty());
    assert!(app.popup.is_none());
    feed(&mut app, [key(KeyCode::F(5))]);
    let commands = feed(&mut app, [key(KeyCode::Enter)]);
    let [Command::CloneFile { req, file: source }] = commands.as_slice() else {
        panic!("{commands:?}")
    };
    assert_eq!(source.file_code, "bbb222");
    let after = feed(
        &mut app,
        [Event::Outcome(Outcome::Cloned {
            req: *req,
            source: Box::new(source.clone()),
            result: Ok(ClonedFile {
                file_code: "new999".into(),
                url: Some(format!("{BASE}/new999")),
            }),
        })],
    );
    assert!(
        after.contains(&Command::LoadAccount),
        "storage is refreshed"
    );
    let Some(Popup::Cloned(p)) = &app.popup else {
        panic!("no clone popup")
    };
    assert_eq!(p.links(BASE), [format!("{BASE}/new999")]);
    assert_eq!(
        app.files
            .files()
            .iter()
            .filter(|f| f.name.as_deref() == Some("a.mp4"))
            .count(),
        2
    );
    let copy = feed(&mut app, [ch('y')]);
    assert_eq!(copy, [Command::Copy(format!("{BASE}/new999"))]);
}

#[test]
fn move_marked_files_through_the_filtered_picker() {
    let mut app = loaded_app();
    let commands = feed(
        &mut app,
        [
            key(KeyCode::Tab),
            key(KeyCode::Insert),
            key(KeyCode::Insert),
            ch('m'),
        ],
    );
    assert!(
        commands.contains(&Command::ListFolder { fld_id: 1 }),
        "the picker lists every folder"
    );
    feed(&mut app, typed("movie"));
    let Some(Popup::Move(picker)) = &app.popup else {
        panic!("the move picker is open");
    };
    assert_eq!(picker.choices(&app.tree), [(2, "/Movies".to_string())]);
    let commands = feed(&mut app, [key(KeyCode::Enter)]);
    let req = change_req(&commands);
    assert_eq!(
        commands,
        [Command::MoveFiles {
            req,
            codes: vec!["bbb222".into(), "aaa111".into()],
            from: 0,
            to: 2
        }]
    );
    feed(
        &mut app,
        [Event::Outcome(Outcome::Moved {
            req,
            codes: vec!["bbb222".into(), "aaa111".into()],
            from: 0,
            to: 2,
            result: Ok(()),
        })],
    );
    assert!(app.popup.is_none());
    assert_eq!(names(&app), ["c 10.mp4"]);
    assert!(app.files.marked.is_empty());
}

#[test]
fn moving_into_the_current_folder_is_refused() {
    let mut app = loaded_app();
    feed(&mut app, [key(KeyCode::Tab), ch('m')]);
    feed(&mut app, typed("/"));
    // "/" matches every path; the root sorts first and is the current folder.
    let commands = feed(&mut app, [key(KeyCode::Enter)]);
    assert!(commands.is_empty());
    let Some(Popup::Move(p)) = &app.popup else {
        panic!()
    };
    assert!(p.error.as_deref().unwrap().contains("already"));
}

#[test]
fn details_ask_file_info_and_offer_the_link() {
    let mut app = loaded_app();
    let commands = feed(&mut app, [key(KeyCode::Tab), key(KeyCode::Enter)]);
    assert_eq!(
        commands,
        [Command::FileInfo {
            code: "bbb222".into()
        }]
    );
    let mut info = file("bbb222", "a.mp4", 0);
    info.views_started = Some(42);
    feed(
        &mut app,
        [Event::Outcome(Outcome::FileInfo {
            code: "bbb222".into(),
            result: Ok(info),
        })],
    );
    let Some(Popup::Details(p)) = &app.popup else {
        panic!()
    };
    assert!(!p.loading);
    assert_eq!(p.file.views_started, Some(42));
    assert_eq!(
        feed(&mut app, [ch('o')]),
        [Command::OpenUrl(format!("{BASE}/bbb222"))]
    );
    assert_eq!(
        feed(&mut app, [ch('y')]),
        [Command::Copy(format!("{BASE}/bbb222"))]
    );
}

#[test]
fn y_copies_the_links_of_marked_files_one_per_line() {
    let mut app = loaded_app();
    // y offers the formats (plain first, until another is chosen); Enter copies.
    let commands = feed(
        &mut app,
        [
            key(KeyCode::Tab),
            ch(' '),
            ch(' '),
            ch('y'),
            key(KeyCode::Enter),
        ],
    );
    assert_eq!(
        commands,
        [Command::Copy(format!("{BASE}/bbb222\n{BASE}/aaa111"))]
    );
}

#[test]
fn filter_narrows_as_you_type_and_esc_clears() {
    let mut app = loaded_app();
    feed(&mut app, [ch('/')]);
    feed(&mut app, typed("c 1"));
    assert_eq!(names(&app), ["c 10.mp4"]);
    feed(&mut app, [key(KeyCode::Enter)]);
    assert!(app.filter_input.is_none());
    assert_eq!(names(&app), ["c 10.mp4"], "Enter keeps the filter");
    feed(&mut app, [key(KeyCode::Esc)]);
    assert_eq!(names(&app).len(), 3);
}

#[test]
fn refresh_reloads_folder_files_and_account() {
    let mut app = loaded_app();
    let commands = feed(&mut app, [ctrl('r')]);
    assert!(commands.contains(&Command::LoadAccount));
    assert!(commands.contains(&Command::ListFolder { fld_id: 0 }));
    assert!(commands.iter().any(|c| matches!(
        c,
        Command::ListFiles {
            fld_id: 0,
            debounce: false,
            ..
        }
    )));
}

/// Ctrl-Z asks the terminal side to suspend, from the browser and from inside a popup whose
/// input would otherwise take the key; nothing else changes, so all is there after `fg`.
#[test]
fn ctrl_z_suspends_from_anywhere_and_changes_nothing() {
    let mut app = loaded_app();
    assert_eq!(feed(&mut app, [ctrl('z')]), [Command::Suspend]);
    assert!(app.popup.is_none() && !app.quit);
    feed(&mut app, [key(KeyCode::Tab), key(KeyCode::F(2))]);
    assert_eq!(feed(&mut app, [ctrl('z')]), [Command::Suspend]);
    let Some(Popup::Rename(p)) = &app.popup else {
        panic!("the rename popup stays open")
    };
    assert_eq!(p.input.value(), "a.mp4", "no z typed into the name");
}

#[test]
fn key_releases_are_ignored_and_q_quits() {
    let mut app = loaded_app();
    let mut release = KeyEvent::new(KeyCode::Char('j'), KeyModifiers::NONE);
    release.kind = KeyEventKind::Release;
    feed(&mut app, [Event::Key(release)]);
    assert_eq!(app.tree.selected, 0);
    feed(&mut app, [ch('q')]);
    assert!(app.quit);
    let mut app = loaded_app();
    feed(&mut app, [key(KeyCode::F(10))]);
    assert!(app.quit);
}

#[test]
fn mouse_click_selects_and_double_click_opens() {
    let mut app = loaded_app();
    let areas = mp4u::geometry::areas(120, 35);
    let click = |x: u16, y: u16, at: Instant| Event::Mouse {
        event: MouseEvent {
            kind: MouseEventKind::Down(MouseButton::Left),
            column: x,
            row: y,
            modifiers: KeyModifiers::NONE,
        },
        at,
    };
    let t0 = Instant::now();
    // Second file row: below the border and the header.
    feed(&mut app, [click(areas.files.x + 5, areas.files.y + 3, t0)]);
    assert_eq!(app.focus, Focus::Files);
    assert_eq!(app.files.cursor, 1);
    let commands = feed(
        &mut app,
        [click(
            areas.files.x + 5,
            areas.files.y + 3,
            t0 + Duration::from_millis(100),
        )],
    );
    assert_eq!(
        commands,
        [Command::FileInfo {
            code: "aaa111".into()
        }]
    );
    feed(&mut app, [key(KeyCode::Esc)]);
    // The wheel scrolls the pane under the pointer.
    let wheel = Event::Mouse {
        event: MouseEvent {
            kind: MouseEventKind::ScrollDown,
            column: areas.tree.x + 2,
            row: areas.tree.y + 2,
            modifiers: KeyModifiers::NONE,
        },
        at: t0,
    };
    feed(&mut app, [wheel]);
    assert_eq!(app.tree.selected, 2);
}

#[test]
fn first_run_asks_for_a_key_checks_its_form_then_the_server() {
    let mut app = crate::common::app::first_run_app();
    assert!(app.start().is_empty());
    assert!(matches!(app.popup, Some(Popup::Login(_))));
    let commands = feed(
        &mut app,
        typed("Bad-Key").into_iter().chain([key(KeyCode::Enter)]),
    );
    assert!(commands.is_empty());
    let Some(Popup::Login(p)) = &app.popup else {
        panic!()
    };
    assert!(p.error.as_deref().unwrap().contains("malformed"));
    let commands = feed(
        &mut app,
        [ctrl('u')]
            .into_iter()
            .chain(typed("abcdefabcdef0123"))
            .chain([key(KeyCode::Enter)]),
    );
    let [Command::CheckKey(k)] = commands.as_slice() else {
        panic!("{commands:?}")
    };
    assert_eq!(k.expose(), "abcdefabcdef0123");
    assert!(
        !format!("{commands:?}").contains("abcdefabcdef0123"),
        "a command's Debug hides the key"
    );
    let commands = feed(
        &mut app,
        [Event::Outcome(Outcome::KeyChecked(Err(
            "mp4upload rejected the API key (403 Wrong auth)".into(),
        )))],
    );
    assert!(commands.is_empty());
    let Some(Popup::Login(p)) = &app.popup else {
        panic!()
    };
    assert!(p.error.as_deref().unwrap().contains("403"));
    feed(&mut app, [key(KeyCode::Enter)]);
    let commands = feed(
        &mut app,
        [Event::Outcome(Outcome::KeyChecked(Ok(AccountInfo {
            email: Some("me@example.com".into()),
            balance: None,
            storage_used: None,
            storage_left: StorageLeft::Unknown,
            premium_expire: None,
        })))],
    );
    assert!(app.popup.is_none());
    assert!(commands.contains(&Command::ListFolder { fld_id: 0 }));
}

#[test]
fn notices_fade() {
    let mut app = loaded_app();
    feed(&mut app, [ch('r')]); // the root cannot be renamed: a notice
    let t0 = Instant::now();
    feed(&mut app, [Event::Tick(t0)]);
    assert!(app.notice.is_some());
    feed(&mut app, [Event::Tick(t0 + Duration::from_secs(5))]);
    assert!(app.notice.is_none());
}

#[test]
fn help_and_key_bar_come_from_the_same_table() {
    let keymap = mp4u::app::keys::Keymap::default();
    let lines: Vec<String> = mp4u::app::views::help::help_lines(&keymap, &Default::default())
        .iter()
        .map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect())
        .collect();
    for binding in mp4u::app::keys::BROWSER {
        assert!(
            lines
                .iter()
                .any(|l| l.contains(binding.help) && l.contains(&binding.keys_label())),
            "{}",
            binding.help
        );
    }
    let bar: Vec<&str> = keymap
        .bar_entries(mp4u::app::keys::Scope::Browser)
        .iter()
        .map(|(_, w, _)| *w)
        .collect();
    assert_eq!(
        bar,
        [
            "Help",
            "Rename",
            "Clone",
            "Move",
            "NewFolder",
            "Upload",
            "Filter",
            "Quit"
        ]
    );
}

#[test]
fn a_reloaded_listing_keeps_the_cursor_on_its_file() {
    let mut app = loaded_app();
    feed(&mut app, [key(KeyCode::Tab), ch('j')]);
    assert_eq!(app.files.current().unwrap().file_code, "aaa111");
    let commands = feed(&mut app, [ctrl('r')]);
    let req = listing_req(&commands, 0);
    // The server sends the files in another order, with one more.
    feed(
        &mut app,
        [files_outcome(
            0,
            req,
            vec![
                file("ccc333", "c 10.mp4", 0),
                file("new000", "0 first.mp4", 0),
                file("aaa111", "b.mp4", 0),
                file("bbb222", "a.mp4", 0),
            ],
        )],
    );
    assert_eq!(app.files.current().unwrap().file_code, "aaa111");
}

#[test]
fn a_huge_paste_is_taken_in_one_go_and_refused_with_the_reason() {
    let mut app = loaded_app();
    feed(&mut app, [key(KeyCode::Tab), ch('r'), ctrl('u')]);
    let paste: String = "ab\ncd\t".repeat(2_000); // 12,000 characters, lines and tabs
    feed(&mut app, [Event::Paste(paste)]);
    let Some(Popup::Rename(p)) = &app.popup else {
        panic!()
    };
    assert_eq!(p.input.value().chars().count(), 12_000);
    assert!(!p.input.value().contains('\n'), "lines become spaces");
    let commands = feed(&mut app, [key(KeyCode::Enter)]);
    assert!(commands.is_empty());
    let Some(Popup::Rename(p)) = &app.popup else {
        panic!()
    };
    assert!(p.error.as_deref().unwrap().contains("255"));
}

#[test]
fn rapid_resizes_keep_the_cursor_in_view() {
    let mut app = loaded_app();
    feed(&mut app, [key(KeyCode::Tab), key(KeyCode::End)]);
    for (w, h) in [(120, 35), (20, 5), (1, 1), (200, 60), (50, 10), (80, 24)]
        .into_iter()
        .cycle()
        .take(60)
    {
        feed(&mut app, [Event::Resize(w, h)]);
        let rows = app.files_height();
        assert!(app.files.cursor >= app.files.offset);
        assert!(rows == 0 || app.files.cursor < app.files.offset + rows.max(1));
    }
}

#[test]
fn typing_a_filter_after_a_rename_keeps_the_new_order() {
    let mut app = loaded_app();
    feed(&mut app, [ch('/')]);
    feed(&mut app, typed("mp"));
    assert_eq!(names(&app), ["a.mp4", "b.mp4", "c 10.mp4"]);
    // A rename arrives while the filter is open: "a.mp4" becomes "zz.mp4".
    feed(&mut app, [renamed_bbb(1_000, "zz.mp4")]);
    feed(&mut app, typed("4"));
    assert_eq!(names(&app), ["b.mp4", "c 10.mp4", "zz.mp4"]);
    feed(&mut app, [key(KeyCode::Esc)]);
    assert_eq!(names(&app), ["b.mp4", "c 10.mp4", "zz.mp4"]);
}

#[test]
fn a_file_the_listing_places_in_another_folder_is_not_shown_there() {
    // A server whose file/list ignores fld_id sends the account's files for every folder.
    let mut app = loaded_app();
    let commands = feed(&mut app, [ch('j')]);
    let req = listing_req(&commands, 1);
    feed(
        &mut app,
        [files_outcome(
            1,
            req,
            vec![
                file("aaa111", "mine.mp4", 1),
                file("bbb222", "elsewhere.mp4", 2),
                FileInfo {
                    fld_id: None,
                    ..file("ccc333", "unplaced.mp4", 1)
                },
            ],
        )],
    );
    let mut shown = names(&app);
    shown.sort();
    assert_eq!(shown, ["mine.mp4", "unplaced.mp4"]);
}
