//! Every answer belongs to the request that asked for it. A change's answer acts only on the
//! popup that sent it; once that popup is gone, a success is a notice and a failure goes to the
//! message log, never into another popup, never over an open view. And what the user sees
//! stays theirs: typing, views' work across Esc, marks the filter hides, one way of moving in
//! every list.

use mp4u::api::{ApiError, ClonedFile};
use mp4u::app::popups::Popup;
use mp4u::app::views::View;
use mp4u::app::{App, Command, Event, Level, Outcome};
use ratatui::crossterm::event::KeyCode;

use crate::common::app::finished;
use crate::common::app::{
    ch, change_req, ctrl, feed, key, key_refused, loaded_app, names, renamed_bbb, typed,
};

fn failure() -> ApiError {
    ApiError::Api {
        status: 500,
        msg: "Internal server error".into(),
    }
}

fn last_message(app: &App) -> (String, Level) {
    let m = app.messages.back().expect("something was said");
    (m.text.clone(), m.level)
}

/// `r` on the first file, Enter (the rename goes), Esc (the popup goes; the rename goes on).
fn rename_sent_then_closed(app: &mut App) -> u64 {
    let commands = feed(app, [key(KeyCode::Tab), ch('r'), key(KeyCode::Enter)]);
    let req = change_req(&commands);
    feed(app, [key(KeyCode::Esc)]);
    assert!(app.popup.is_none());
    let (said, _) = last_message(app);
    assert!(said.contains("goes on"), "{said}");
    req
}

#[test]
fn a_late_rename_never_closes_the_new_folder_popup_being_typed() {
    let mut app = loaded_app();
    let req = rename_sent_then_closed(&mut app);
    feed(&mut app, [key(KeyCode::Tab), ch('n')]);
    feed(&mut app, typed("Season 2"));
    feed(&mut app, [renamed_bbb(req, "a.mp4")]);
    let Some(Popup::NewFolder(p)) = &app.popup else {
        panic!("the new folder popup was closed by another request's answer")
    };
    assert_eq!(p.input.value(), "Season 2", "what was typed is kept");
    assert!(p.pending.is_none() && p.error.is_none());
    // The success is a notice.
    let (said, level) = last_message(&app);
    assert!(said.contains("Renamed") && level == Level::Info, "{said}");
}

#[test]
fn a_late_failure_never_reports_into_another_popup() {
    let mut app = loaded_app();
    // The first new folder is sent, then its popup closed.
    let first = new_folder_sent(&mut app, "first");
    feed(&mut app, [key(KeyCode::Esc)]);
    // A second one is being typed, never sent.
    feed(&mut app, [ch('n')]);
    feed(&mut app, typed("second"));
    feed(
        &mut app,
        [Event::Outcome(Outcome::FolderCreated {
            req: first,
            parent: 0,
            name: "first".into(),
            result: Err(failure()),
        })],
    );
    let Some(Popup::NewFolder(p)) = &app.popup else {
        panic!("the second popup was closed")
    };
    assert_eq!(p.error, None, "the first one's failure is not the second's");
    assert_eq!(p.input.value(), "second");
    let (said, level) = last_message(&app);
    assert!(said.contains("first") && said.contains("500"), "{said}");
    assert_eq!(level, Level::Error);
}

#[test]
fn a_late_new_folder_does_not_move_the_user_who_went_on() {
    let mut app = loaded_app();
    let req = new_folder_sent(&mut app, "Later");
    feed(&mut app, [key(KeyCode::Esc), ch('j'), ch('j')]);
    let where_before = app.tree.selected;
    feed(
        &mut app,
        [Event::Outcome(Outcome::FolderCreated {
            req,
            parent: 0,
            name: "Later".into(),
            result: Ok(55),
        })],
    );
    assert_eq!(app.tree.selected, where_before, "the cursor stays");
    assert_eq!(app.tree.path(55), "/Later", "the folder is in the tree");
}

#[test]
fn a_late_move_keeps_the_marks_of_where_the_user_is() {
    let mut app = loaded_app();
    let commands = feed(
        &mut app,
        [key(KeyCode::Tab), ch(' '), ch('m')]
            .into_iter()
            .chain(typed("movies"))
            .chain([key(KeyCode::Enter)]),
    );
    let req = change_req(&commands);
    feed(&mut app, [key(KeyCode::Esc)]);
    // The user marks another file in the same folder meanwhile.
    feed(&mut app, [ch(' ')]);
    let marked_before = app.files.marked.clone();
    feed(
        &mut app,
        [Event::Outcome(Outcome::Moved {
            req,
            codes: vec!["bbb222".into()],
            from: 0,
            to: 2,
            result: Ok(()),
        })],
    );
    assert!(!names(&app).contains(&"a.mp4".to_string()), "the file left");
    let kept: Vec<&String> = marked_before.iter().filter(|c| *c != "bbb222").collect();
    for code in kept {
        assert!(app.files.marked.contains(code), "{code} stays marked");
    }
    assert!(app.popup.is_none());
}

#[test]
fn a_late_error_never_replaces_an_open_view() {
    let mut app = loaded_app();
    feed(&mut app, [ch('s')]);
    assert_eq!(app.view, Some(View::Stats));
    feed(&mut app, [key_refused()]);
    assert_eq!(app.view, Some(View::Stats), "the view stays");
    assert!(app.popup.is_none(), "no error popup over it");
    let (said, level) = last_message(&app);
    assert!(
        said.contains("Wrong auth") && level == Level::Error,
        "{said}"
    );
    // With nothing open, it needs attention: a popup (and the log).
    let mut app = loaded_app();
    feed(&mut app, [key_refused()]);
    assert!(matches!(app.popup, Some(Popup::Error(_))));
    assert!(last_message(&app).0.contains("Wrong auth"));
}

#[test]
fn while_a_change_is_on_its_way_only_esc_is_offered() {
    let mut app = loaded_app();
    feed(&mut app, [key(KeyCode::Tab), ch('r')]);
    let idle: Vec<&str> = app.bar_entries().iter().map(|(_, w)| *w).collect();
    assert!(idle.contains(&"OK") && idle.contains(&"Clear"), "{idle:?}");
    feed(&mut app, [key(KeyCode::Enter)]);
    let busy: Vec<(String, &str)> = app.bar_entries();
    assert_eq!(busy, [("Esc".to_string(), "Cancel")]);
    // Typing and Ctrl-U do nothing while it is on its way.
    feed(&mut app, [ch('x'), ctrl('u')]);
    let Some(Popup::Rename(p)) = &app.popup else {
        panic!()
    };
    assert_eq!(p.input.value(), "a.mp4");
}

#[test]
fn clones_answered_after_their_popup_closed_are_notices() {
    let mut app = loaded_app();
    feed(&mut app, [key(KeyCode::Tab), ch('c')]);
    let commands = feed(&mut app, [key(KeyCode::Enter)]);
    let [Command::CloneFile { req, file }] = commands.as_slice() else {
        panic!("{commands:?}")
    };
    feed(&mut app, [key(KeyCode::Esc)]);
    assert!(last_message(&app).0.contains("goes on"));
    // Another popup opens; the clone's answer does not touch it.
    feed(&mut app, [ch('n')]);
    feed(
        &mut app,
        [Event::Outcome(Outcome::Cloned {
            req: *req,
            source: Box::new(file.clone()),
            result: Ok(ClonedFile {
                file_code: "copy00000001".into(),
                url: None,
            }),
        })],
    );
    assert!(matches!(app.popup, Some(Popup::NewFolder(_))));
    let (said, _) = last_message(&app);
    assert!(
        said.contains("Cloned") && said.contains("copy00000001"),
        "{said}"
    );
}

#[test]
fn marks_the_filter_hides_still_count_and_are_said() {
    let mut app = loaded_app();
    // Mark a.mp4 and b.mp4, then filter to c 10.mp4 only.
    feed(&mut app, [key(KeyCode::Tab), ch(' '), ch(' '), ch('/')]);
    feed(&mut app, typed("c 10"));
    feed(&mut app, [key(KeyCode::Enter), key(KeyCode::Home), ch(' ')]);
    assert_eq!(app.files.marked.len(), 3);
    assert_eq!(app.files.hidden_marks(), 2);
    feed(&mut app, [ch('m')]);
    let Some(Popup::Move(p)) = &app.popup else {
        panic!()
    };
    assert_eq!(p.files.len(), 3, "every marked file moves");
    assert_eq!(p.hidden, 2);
    feed(&mut app, [key(KeyCode::Esc)]);
    feed(&mut app, [ch('y')]);
    let Some(Popup::Formats(menu)) = &app.popup else {
        panic!("{:?}", app.popup)
    };
    assert_eq!((menu.files.len(), menu.hidden), (3, 2));
    let commands = feed(&mut app, [key(KeyCode::Enter)]);
    let [Command::Copy(text)] = commands.as_slice() else {
        panic!("{commands:?}")
    };
    assert_eq!(text.lines().count(), 3);
    let said = &app.notice.as_ref().expect("said").text;
    assert!(said.contains("2 hidden by the filter"), "{said}");
}

#[test]
fn views_keep_their_work_across_esc_until_cleared() {
    let mut app = loaded_app();
    // The link checker: what was typed stays.
    feed(&mut app, [ch('L')]);
    feed(&mut app, typed("abcdefgh1234"));
    feed(&mut app, [key(KeyCode::Esc)]);
    assert_eq!(app.view, None);
    feed(&mut app, [ch('L')]);
    assert_eq!(app.views.checker.input.value(), "abcdefgh1234");
    // Ctrl-L starts it over.
    feed(&mut app, [ctrl('l')]);
    assert_eq!(app.views.checker.input.value(), "");
    feed(&mut app, [key(KeyCode::Esc)]);
    // The search: the query stays.
    feed(&mut app, [ch('f')]);
    feed(&mut app, typed("frieren"));
    feed(&mut app, [key(KeyCode::Esc), ch('f')]);
    assert_eq!(app.views.search.name.value(), "frieren");
    feed(&mut app, [key(KeyCode::Esc)]);
    // The statistics: the period stays, and is asked again.
    feed(&mut app, [ch('s'), key(KeyCode::Right), key(KeyCode::Esc)]);
    let commands = feed(&mut app, [ch('s')]);
    assert!(
        commands.contains(&Command::LoadStats { days: 30 }),
        "{commands:?}"
    );
}

#[test]
fn every_list_moves_alike_and_stops_at_its_ends() {
    let mut app = loaded_app();
    // The help: more j than it has lines, then one k moves at once.
    feed(&mut app, [ch('?')]);
    for _ in 0..400 {
        feed(&mut app, [ch('j')]);
    }
    let bottom = app.views.help.offset;
    feed(&mut app, [ch('k')]);
    assert_eq!(app.views.help.offset, bottom - 1, "bounded at the end");
    feed(&mut app, [key(KeyCode::End)]);
    assert_eq!(app.views.help.offset, bottom);
    feed(&mut app, [key(KeyCode::Home)]);
    assert_eq!(app.views.help.offset, 0);
    feed(&mut app, [key(KeyCode::PageDown)]);
    assert!(app.views.help.offset > 1);
    feed(&mut app, [key(KeyCode::Esc)]);
    // The message log: the same keys.
    for i in 0..50 {
        app.notify(Level::Info, format!("note {i}"));
    }
    feed(&mut app, [ch('M')]);
    assert_eq!(app.view, Some(View::Messages));
    let last = app.messages.len() - 1;
    assert_eq!(app.views.messages.cursor, last, "opens at the newest");
    feed(&mut app, [key(KeyCode::Home)]);
    assert_eq!(app.views.messages.cursor, 0);
    for _ in 0..200 {
        feed(&mut app, [ch('j')]);
    }
    assert_eq!(app.views.messages.cursor, last);
    feed(&mut app, [ch('k')]);
    assert_eq!(app.views.messages.cursor, last - 1);
}

#[test]
fn the_message_log_keeps_what_notices_replaced() {
    let mut app = loaded_app();
    app.notify(Level::Warn, "notes.txt does not look like a video");
    app.notify(Level::Info, "Uploaded a.mp4");
    app.notify(Level::Info, "Uploaded a.mp4");
    let texts: Vec<(&str, u32)> = app
        .messages
        .iter()
        .map(|m| (m.text.as_str(), m.times))
        .collect();
    assert!(texts.contains(&("notes.txt does not look like a video", 1)));
    assert_eq!(
        texts.last(),
        Some(&("Uploaded a.mp4", 2)),
        "a repeat is counted"
    );
}

#[test]
fn refused_files_stay_in_the_transfers_view_and_the_total_is_never_whole_with_a_failure() {
    let mut app = loaded_app();
    feed(&mut app, [ch('j')]);
    let commands = app.update(Event::Outcome(Outcome::UploadsChecked {
        accepted: vec![
            mp4u::app::popups::CheckedFile {
                path: "/v/a.mp4".into(),
                size: 100,
                warning: None,
            },
            mp4u::app::popups::CheckedFile {
                path: "/v/b.mp4".into(),
                size: 100,
                warning: None,
            },
        ],
        refused: vec![("/v/empty.mp4".into(), "is empty".into())],
    }));
    crate::common::app::prepared(&mut app, commands);
    let refused = app
        .uploads
        .items
        .iter()
        .find(|u| u.name == "empty.mp4")
        .expect("listed");
    assert_eq!(
        refused.state,
        mp4u::app::uploads::UploadState::Refused("is empty".into())
    );
    let ids: Vec<u64> = app
        .uploads
        .items
        .iter()
        .filter(|u| u.name != "empty.mp4")
        .map(|u| u.id)
        .collect();
    app.update(finished(
        ids[0],
        Ok(mp4u::api::UploadedFile {
            file_code: "done00000001".into(),
            name: "a.mp4".into(),
            size: 100,
            url: "u".into(),
            placement: mp4u::api::Placement::InFolder { fld_id: 1 },
            uploaded: None,
            recovered: false,
        }),
    ));
    app.update(finished(ids[1], Err(failure())));
    let (sent, all) = app.uploads.totals();
    assert!(sent < all, "{sent} of {all}: not 100% with a failure");
}

/// `n`, the name, Enter: the new folder is asked for; the request's id.
fn new_folder_sent(app: &mut App, name: &str) -> u64 {
    feed(app, [ch('n')]);
    feed(app, typed(name));
    let commands = feed(app, [key(KeyCode::Enter)]);
    change_req(&commands)
}
