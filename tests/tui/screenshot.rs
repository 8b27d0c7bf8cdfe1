//! Renders the real screen, fed by the demo sandbox through the real client, into
//! `assets/screenshot.svg` for the README. Regenerate with
//! `cargo test --test tui screenshot:: -- --ignored`.

use std::fmt::Write;

use mp4u::api::{ApiKey, Client, FileListQuery};
use mp4u::app::{App, AppOptions, Command, Event, Outcome};
use mp4u::sandbox::{Sandbox, SandboxConfig};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::KeyCode;
use ratatui::style::{Color, Modifier};

use crate::common::app::key;

const FG: &str = "#d4d4d4";
const BG: &str = "#1e1e1e";

fn hex(color: Color, default: &str) -> String {
    match color {
        Color::Reset => default.into(),
        Color::Black => "#1e1e1e".into(),
        Color::Red => "#f14c4c".into(),
        Color::Green => "#23d18b".into(),
        Color::Yellow => "#e5e510".into(),
        Color::Blue => "#3b8eea".into(),
        Color::Magenta => "#d670d6".into(),
        Color::Cyan => "#29b8db".into(),
        Color::Gray => "#cccccc".into(),
        Color::DarkGray => "#666666".into(),
        Color::White => "#ffffff".into(),
        Color::Indexed(236) => "#303030".into(),
        Color::Rgb(r, g, b) => format!("#{r:02x}{g:02x}{b:02x}"),
        _ => default.into(),
    }
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The buffer as an SVG: one rect per run of background, one text per run of style.
fn svg(buffer: &Buffer) -> String {
    let (cw, ch) = (8.4_f64, 18.0_f64);
    let area = buffer.area;
    let (w, h) = (area.width as f64 * cw, area.height as f64 * ch);
    let mut out = String::new();
    let _ = writeln!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{}" viewBox="0 0 {w} {}">"#,
        h + 16.0,
        h + 16.0
    );
    let _ = writeln!(
        out,
        r#"<rect width="100%" height="100%" rx="6" fill="{BG}"/>"#
    );
    let _ = writeln!(
        out,
        r#"<g transform="translate(0,8)" font-family="DejaVu Sans Mono, Menlo, Consolas, monospace" font-size="14" xml:space="preserve">"#
    );
    for y in 0..area.height {
        let mut x = 0;
        while x < area.width {
            let cell = &buffer[(x, y)];
            let style = (cell.fg, cell.bg, cell.modifier);
            let start = x;
            let mut text = String::new();
            while x < area.width {
                let c = &buffer[(x, y)];
                if (c.fg, c.bg, c.modifier) != style {
                    break;
                }
                text.push_str(c.symbol());
                x += 1;
            }
            let bg = hex(style.1, BG);
            if bg != BG {
                let _ = writeln!(
                    out,
                    r#"<rect x="{:.1}" y="{:.1}" width="{:.1}" height="{ch}" fill="{bg}"/>"#,
                    start as f64 * cw,
                    y as f64 * ch,
                    (x - start) as f64 * cw
                );
            }
            if text.trim().is_empty() {
                continue;
            }
            let weight = if style.2.contains(Modifier::BOLD) {
                r#" font-weight="bold""#
            } else {
                ""
            };
            let underline = if style.2.contains(Modifier::UNDERLINED) {
                r#" text-decoration="underline""#
            } else {
                ""
            };
            let _ = writeln!(
                out,
                r#"<text x="{:.1}" y="{:.1}" fill="{}" textLength="{:.1}" lengthAdjust="spacingAndGlyphs"{weight}{underline}>{}</text>"#,
                start as f64 * cw,
                y as f64 * ch + 13.5,
                hex(style.0, FG),
                (x - start) as f64 * cw,
                escape(&text)
            );
        }
    }
    out.push_str("</g>\n</svg>\n");
    out
}

/// Runs the app's commands against the real client until nothing is left to do.
async fn settle(app: &mut App, client: &Client, mut commands: Vec<Command>) {
    while let Some(command) = commands.pop() {
        let outcome = match command {
            Command::LoadAccount => Outcome::Account(client.account_info().await),
            Command::ListFolder { fld_id } => Outcome::Folder {
                fld_id,
                result: client.subfolders(fld_id).await,
            },
            Command::ListFiles {
                fld_id,
                page,
                per_page,
                req,
                ..
            } => Outcome::Files {
                fld_id,
                page,
                per_page,
                req,
                result: client
                    .file_list(&FileListQuery {
                        page: Some(page),
                        per_page: Some(per_page),
                        fld_id: Some(fld_id),
                        ..Default::default()
                    })
                    .await,
            },
            _ => continue,
        };
        commands.extend(app.update(Event::Outcome(outcome)));
    }
}

#[tokio::test]
#[ignore = "writes assets/screenshot.svg"]
async fn render_readme_screenshot() {
    let sandbox = Sandbox::start(SandboxConfig::default())
        .await
        .expect("sandbox");
    let client = Client::new(&sandbox.base_url(), ApiKey::parse(sandbox.key()).unwrap()).unwrap();
    let mut app = App::new(AppOptions {
        demo: true,
        ..crate::common::app::options(&sandbox.base_url())
    });
    app.update(Event::Resize(120, 32));
    let commands = app.start();
    settle(&mut app, &client, commands).await;
    // Open /Anime/Frieren/Season 1, mark two episodes.
    for code in [
        KeyCode::Down,
        KeyCode::Right,
        KeyCode::Right,
        KeyCode::Down,
        KeyCode::Right,
        KeyCode::Right,
        KeyCode::Right,
    ] {
        let commands = app.update(key(code));
        settle(&mut app, &client, commands).await;
    }
    for code in [
        KeyCode::Tab,
        KeyCode::Down,
        KeyCode::Down,
        KeyCode::Char(' '),
        KeyCode::Char(' '),
    ] {
        app.update(key(code));
    }
    let mut terminal = Terminal::new(TestBackend::new(120, 32)).unwrap();
    terminal
        .draw(|f| mp4u::ui::draw(f, &app, &mp4u::theme::Theme::default()))
        .unwrap();
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/screenshot.svg");
    std::fs::write(path, svg(terminal.backend().buffer())).unwrap();
    sandbox.shutdown().await;
}
