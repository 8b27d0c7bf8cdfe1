//! The user's keys through the state machine: a config file's `[keys]` table read as the
//! program reads it at start (`Look`), then keys pressed, the key bar and the help drawn.

use std::sync::Arc;

use mp4u::app::App;
use mp4u::app::popups::Popup;
use mp4u::app::views::View;
use mp4u::config::ConfigFile;
use mp4u::look::Look;
use mp4u::theme::{Depth, Terminal};
use ratatui::crossterm::event::KeyCode;

use crate::common::app::{ch, feed, key, loaded_app};
use crate::snapshots::render;

/// A config file with `text`, read as the file manager reads it at start.
fn look(text: &str) -> Look {
    let dir = tempfile::tempdir().expect("a directory");
    let path = dir.path().join("config.toml");
    std::fs::write(&path, text).expect("write the config");
    let file = ConfigFile::load(&path).expect("a valid config");
    let terminal = Terminal {
        no_color: false,
        depth: Depth::Ansi256,
        light: None,
    };
    Look::new(&file, &terminal)
}

/// The loaded app with the keys of `config`, the file list focused; and what was wrong.
fn app_with(config: &str) -> (App, Vec<String>) {
    let look = look(config);
    let mut app = loaded_app();
    app.keymap = Arc::new(look.keymap);
    app.report_config(&look.problems);
    feed(&mut app, [key(KeyCode::Tab)]);
    (app, look.problems)
}

fn bar_line(app: &App) -> String {
    render(app).lines().last().unwrap_or_default().to_string()
}

#[test]
fn rename_moved_to_capital_r() {
    let (mut app, problems) = app_with("[keys]\nrename = \"R\"\n");
    assert!(problems.is_empty(), "{problems:?}");
    assert!(app.notice.is_none());

    // R opens the rename popup.
    feed(&mut app, [ch('R')]);
    assert!(
        matches!(app.popup, Some(Popup::Rename(_))),
        "{:?}",
        app.popup
    );
    feed(&mut app, [key(KeyCode::Esc)]);
    assert!(app.popup.is_none());

    // r and F2 no longer do: the binding replaced the defaults.
    feed(&mut app, [ch('r'), key(KeyCode::F(2))]);
    assert!(app.popup.is_none(), "{:?}", app.popup);

    // The key bar and the help say R.
    let bar: Vec<(String, &str)> = app.bar_entries();
    assert!(bar.contains(&("R".into(), "Rename")), "{bar:?}");
    assert!(!bar.iter().any(|(k, _)| k == "F2"), "{bar:?}");
    let line = bar_line(&app);
    assert!(line.contains("R Rename"), "{line}");
    assert!(!line.contains("F2"), "{line}");
    feed(&mut app, [key(KeyCode::F(1))]);
    assert_eq!(app.view, Some(View::Help));
    let help = render(&app);
    let rename = help
        .lines()
        .find(|l| l.contains("rename the highlighted folder or file"))
        .expect("the rename line in the help");
    assert!(
        rename.contains(" R  rename the highlighted"),
        "the help shows the user's key: {rename}"
    );
    assert!(!rename.contains("F2"), "{rename}");

    // Everything else keeps its keys: F7 still makes a folder.
    feed(&mut app, [key(KeyCode::Esc), key(KeyCode::F(7))]);
    assert!(matches!(app.popup, Some(Popup::NewFolder(_))));
}

#[test]
fn a_list_of_keys_and_r_freed_for_another_action() {
    let (mut app, problems) = app_with("[keys]\nrename = [\"R\", \"F2\"]\nrefresh = \"r\"\n");
    assert!(problems.is_empty(), "{problems:?}");
    feed(&mut app, [key(KeyCode::F(2))]);
    assert!(matches!(app.popup, Some(Popup::Rename(_))));
    feed(&mut app, [key(KeyCode::Esc)]);
    // r refreshes now: the listing is asked for again, and nothing opens.
    let commands = feed(&mut app, [ch('r')]);
    assert!(app.popup.is_none());
    assert!(
        commands
            .iter()
            .any(|c| matches!(c, mp4u::app::Command::ListFiles { .. })),
        "{commands:?}"
    );
    assert!(bar_line(&app).contains("R Rename"));
}

#[test]
fn letters_still_type_in_the_rename_popup() {
    // `y` confirms questions now; in the rename popup it is a letter of the name.
    let (mut app, problems) = app_with("[keys]\nrename = \"R\"\nconfirm = \"y\"\n");
    assert!(problems.is_empty(), "{problems:?}");
    feed(&mut app, [ch('R'), ctrl_u(), ch('y'), ch('o')]);
    let Some(Popup::Rename(p)) = &app.popup else {
        panic!("the rename popup: {:?}", app.popup);
    };
    assert_eq!(p.input.value(), "yo");
}

fn ctrl_u() -> mp4u::app::Event {
    crate::common::app::ctrl('u')
}

#[test]
fn a_key_bound_twice_is_said_at_start() {
    let (mut app, problems) = app_with("[keys]\nrename = \"n\"\n");
    let said = "n is bound to both rename and new_folder in Browser: rename keeps it";
    assert_eq!(problems.len(), 1);
    assert!(problems[0].contains(said), "{problems:?}");
    let notice = app.notice.as_ref().expect("a notice at start");
    assert!(notice.text.contains(said), "{}", notice.text);
    assert!(app.messages.iter().any(|m| m.text.contains(said)));
    // The user's binding wins; new folder keeps F7.
    feed(&mut app, [ch('n')]);
    assert!(matches!(app.popup, Some(Popup::Rename(_))));
}

#[test]
fn several_problems_are_in_the_message_log() {
    let (app, problems) =
        app_with("[keys]\nrenmae = \"R\"\nclone = \"ctrl-\"\n[theme]\naccent = \"orang\"\n");
    assert_eq!(problems.len(), 4, "{problems:#?}");
    let notice = app.notice.as_ref().expect("a notice at start");
    assert_eq!(notice.text, "The config file has 4 problems: M lists them");
    for problem in &problems {
        assert!(app.messages.iter().any(|m| m.text == *problem), "{problem}");
    }
}

#[test]
fn the_queue_questions_name_the_users_keys() {
    let (app, problems) = app_with("[keys]\nconfirm = [\"y\", \"Enter\"]\nsend_anyway = \"s\"\n");
    assert!(problems.is_empty(), "{problems:?}");
    let app = crate::queue_flows::left_unfinished(app);
    let (head, _) = match &app.popup {
        Some(Popup::Resume(p)) => app.resume_question(p),
        other => panic!("{other:?}"),
    };
    assert!(head.contains(": y resumes them, Esc keeps them"), "{head}");
    let (head, _) = app.duplicates_question();
    assert!(
        head.contains("y skips them") && head.contains("s sends them anyway"),
        "{head}"
    );
}
