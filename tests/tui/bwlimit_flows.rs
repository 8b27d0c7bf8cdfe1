//! The upload limit in the transfers view: `b` opens a popup with the limit in force, Enter sets
//! a new one for the running uploads (a command to the worker), a rate that is not one is
//! refused in the popup, Esc keeps the old one; the view shows the limit. Keys in, commands,
//! state and screens out.

use mp4u::app::popups::Popup;
use mp4u::app::views::View;
use mp4u::app::{App, AppOptions, Command, Event};
use ratatui::crossterm::event::KeyCode;

use crate::common::app::progress;
use crate::common::app::{BASE, ch, ctrl, feed, key, typed};
use crate::snapshots::{render, transfers_app};

/// The transfers view of [`transfers_app`] (one upload running) with a limit in force.
pub(crate) fn limited_app(bwlimit: Option<u64>) -> App {
    let mut app = transfers_app();
    // As `--bwlimit` starts it (through AppOptions: the test below).
    app.uploads.bwlimit = bwlimit;
    assert_eq!(app.view, Some(View::Transfers));
    app
}

#[test]
fn the_app_starts_with_the_limit_of_the_flag_or_the_config() {
    let start = |bwlimit| {
        App::new(AppOptions {
            base_url: BASE.into(),
            bwlimit,
            ..Default::default()
        })
        .uploads
        .bwlimit
    };
    assert_eq!(start(Some(1_000_000)), Some(1_000_000));
    assert_eq!(start(Some(0)), None);
    assert_eq!(start(None), None);
}

/// The running upload went on at the limit for ten seconds (the speed shows it).
fn at_one_megabyte_a_second(app: &mut App) {
    let id = app.uploads.items[1].id;
    let start = std::time::Instant::now() + std::time::Duration::from_secs(4);
    for s in 0..=10u64 {
        app.update(progress(
            id,
            130_000_000 + s * 1_000_000,
            start + std::time::Duration::from_secs(s),
        ));
    }
}

fn popup_text(app: &App) -> (String, Option<String>) {
    match &app.popup {
        Some(Popup::BwLimit(p)) => (p.input.value().to_string(), p.error.clone()),
        other => panic!("no limit popup: {other:?}"),
    }
}

#[test]
fn b_opens_the_limit_in_force_and_enter_sets_a_new_one_for_running_uploads() {
    let mut app = limited_app(Some(1_000_000));
    assert!(feed(&mut app, [ch('b')]).is_empty());
    assert_eq!(popup_text(&app), ("1M".into(), None));
    let bar: Vec<&str> = app.bar_entries().iter().map(|(_, word)| *word).collect();
    assert_eq!(bar, ["Set", "Cancel", "Clear"]);

    let commands = feed(&mut app, [ctrl('u')].into_iter().chain(typed("2.5M")));
    assert!(commands.is_empty(), "nothing changes while typing");
    assert_eq!(app.uploads.bwlimit, Some(1_000_000));
    let commands = feed(&mut app, [key(KeyCode::Enter)]);
    assert_eq!(commands, [Command::SetBwLimit(Some(2_500_000))]);
    assert!(app.popup.is_none());
    assert_eq!(app.view, Some(View::Transfers), "back in the view");
    assert_eq!(app.uploads.bwlimit, Some(2_500_000));
    let notice = app.notice.as_ref().expect("a notice").text.clone();
    assert_eq!(
        notice,
        "Upload limit: 2.5 MB/s for this session (running uploads follow now)"
    );
    // Opened again, it shows the new one.
    feed(&mut app, [ch('b')]);
    assert_eq!(popup_text(&app).0, "2.5M");
}

#[test]
fn empty_or_zero_lifts_the_limit() {
    for text in ["", "0", "off"] {
        let mut app = limited_app(Some(1_000_000));
        feed(&mut app, [ch('b'), ctrl('u')]);
        feed(&mut app, typed(text));
        let commands = feed(&mut app, [key(KeyCode::Enter)]);
        assert_eq!(commands, [Command::SetBwLimit(None)], "{text:?}");
        assert_eq!(app.uploads.bwlimit, None);
        assert!(
            app.notice
                .as_ref()
                .is_some_and(|n| n.text.starts_with("No upload limit for this session")),
            "{:?}",
            app.notice
        );
    }
}

#[test]
fn a_rate_that_is_not_one_is_refused_in_the_popup_and_esc_keeps_the_old_limit() {
    let mut app = limited_app(None);
    feed(&mut app, [ch('b')]);
    assert_eq!(popup_text(&app), (String::new(), None), "no limit: empty");
    feed(&mut app, typed("fast"));
    let commands = feed(&mut app, [key(KeyCode::Enter)]);
    assert!(commands.is_empty(), "nothing sent: {commands:?}");
    let (text, error) = popup_text(&app);
    assert_eq!(text, "fast", "the text stays to be corrected");
    assert!(
        error.as_deref().is_some_and(|e| e.contains("500K")),
        "{error:?}"
    );
    // Typing clears the complaint; Esc closes and changes nothing.
    feed(&mut app, [key(KeyCode::Backspace)]);
    assert_eq!(popup_text(&app).1, None);
    let commands = feed(&mut app, [key(KeyCode::Esc)]);
    assert!(commands.is_empty());
    assert!(app.popup.is_none());
    assert_eq!(app.view, Some(View::Transfers), "Esc closes the popup only");
    assert_eq!(app.uploads.bwlimit, None);
}

#[test]
fn a_pasted_rate_goes_into_the_input() {
    let mut app = limited_app(None);
    feed(&mut app, [ch('b'), Event::Paste("750K\n".into())]);
    assert_eq!(popup_text(&app).0, "750K ");
    let commands = feed(&mut app, [key(KeyCode::Enter)]);
    assert_eq!(commands, [Command::SetBwLimit(Some(750_000))]);
}

#[test]
fn the_key_is_in_the_key_bar_the_help_and_the_transfers_table() {
    let app = limited_app(None);
    assert!(
        app.bar_entries().contains(&("b".to_string(), "Limit")),
        "{:?}",
        app.bar_entries()
    );
    let transfers = mp4u::app::keys::CONTEXTS
        .iter()
        .find(|c| c.title == "Transfers view")
        .expect("transfers context");
    assert!(
        transfers
            .table
            .iter()
            .any(|b| b.action == mp4u::app::keys::Action::UploadLimit && b.help.contains("limit"))
    );
    let help = mp4u::app::views::help::help_lines(&app.keymap, &mp4u::theme::Theme::default())
        .iter()
        .map(|l| l.to_string())
        .collect::<Vec<_>>()
        .join("\n");
    assert!(help.contains("Upload limit"), "{help}");
    assert!(help.contains("change the upload limit"), "{help}");
}

#[test]
fn transfers_view_with_a_limit() {
    let mut app = limited_app(None);
    feed(&mut app, [ch('b')]);
    feed(&mut app, typed("1M"));
    feed(&mut app, [key(KeyCode::Enter)]);
    at_one_megabyte_a_second(&mut app);
    app.notice = None;
    insta::assert_snapshot!(render(&app));
}

#[test]
fn limit_popup_refusing_a_rate() {
    let mut app = limited_app(Some(1_000_000));
    feed(&mut app, [ch('b'), ctrl('u')]);
    feed(&mut app, typed("2 Mbit"));
    feed(&mut app, [key(KeyCode::Enter)]);
    insta::assert_snapshot!(render(&app));
}

#[test]
fn limit_popup_80x24() {
    let mut app = limited_app(Some(1_500_000));
    app.update(Event::Resize(80, 24));
    at_one_megabyte_a_second(&mut app);
    feed(&mut app, [ch('b')]);
    insta::assert_snapshot!(render(&app));
}

#[test]
fn empty_transfers_view_with_a_limit() {
    let mut app = crate::snapshots::app(80, 24);
    app.uploads.bwlimit = Some(512_000);
    feed(&mut app, [ch('t')]);
    assert_eq!(app.view, Some(View::Transfers));
    insta::assert_snapshot!(render(&app));
}

#[test]
fn empty_transfers_view_without_a_limit() {
    let mut app = crate::snapshots::app(80, 24);
    feed(&mut app, [ch('t')]);
    insta::assert_snapshot!(render(&app));
}
