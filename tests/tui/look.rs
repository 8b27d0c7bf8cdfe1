//! The browser in each look the terminal may ask for: no colour at all (`NO_COLOR`), a
//! 16-colour terminal, a light background. The snapshots keep the styles as well as the text
//! (a grid of one letter per cell, with its legend), so they show that the cursor, the focus,
//! the marks and the errors stand out without colour; the tests below check the same on the
//! cells themselves.

use mp4u::app::{App, Level};
use mp4u::theme::{Depth, Terminal, Theme};
use ratatui::Terminal as Screen;
use ratatui::backend::TestBackend;
use ratatui::buffer::{Buffer, Cell};
use ratatui::crossterm::event::KeyCode;
use ratatui::style::{Color, Modifier};

use crate::common::app::key;
use crate::common::app::key_refused;

/// The theme `Theme::build` makes for this terminal, with no `[theme]` table.
fn theme(no_color: bool, depth: Depth, light: bool) -> Theme {
    let (theme, problems) = Theme::build(
        &Terminal {
            no_color,
            depth,
            light: Some(light),
        },
        None,
    );
    assert!(problems.is_empty());
    theme
}

pub(crate) fn no_color() -> Theme {
    theme(true, Depth::TrueColor, false)
}

fn sixteen_colours() -> Theme {
    theme(false, Depth::Ansi16, false)
}

fn light() -> Theme {
    theme(false, Depth::Ansi256, true)
}

/// The browser with the file list focused, two files marked, the cursor on the fifth file and
/// a notice; with `error`, the account's error popup over it.
fn browser(theme: Theme, error: bool) -> Shown {
    let mut app = crate::snapshots::app(100, 26);
    app.update(key(KeyCode::Char(' ')));
    app.update(key(KeyCode::Char(' ')));
    app.notify(Level::Info, "Copied 2 links");
    if error {
        app.notice = None;
        app.update(key_refused());
    }
    Shown { app, theme }
}

/// An app and the theme it is drawn in.
struct Shown {
    app: App,
    theme: Theme,
}

fn draw(shown: &Shown) -> Buffer {
    let (w, h) = shown.app.size;
    let mut screen = Screen::new(TestBackend::new(w, h)).expect("terminal");
    screen
        .draw(|frame| mp4u::ui::draw(frame, &shown.app, &shown.theme))
        .expect("draw");
    screen.backend().buffer().clone()
}

/// How a style reads in the legend: `fg Black, bg Cyan, BOLD | REVERSED`.
fn describe(fg: Color, bg: Color, modifier: Modifier) -> String {
    let mut parts = Vec::new();
    if fg != Color::Reset {
        parts.push(format!("fg {fg:?}"));
    }
    if bg != Color::Reset {
        parts.push(format!("bg {bg:?}"));
    }
    if !modifier.is_empty() {
        parts.push(format!("{modifier:?}"));
    }
    parts.join(", ")
}

/// The screen as text, then a grid of its styles (`.` the terminal's own, a letter for each
/// other style) and the legend of the letters.
fn render_styled(shown: &Shown) -> String {
    let buffer = draw(shown);
    let area = buffer.area;
    let letters: Vec<char> = ('a'..='z').chain('A'..='Z').collect();
    let mut legend: Vec<String> = Vec::new();
    let (mut text, mut grid) = (String::new(), String::new());
    for y in 0..area.height {
        let (mut line, mut styles) = (String::new(), String::new());
        let mut x = 0;
        while x < area.width {
            let cell = &buffer[(x, y)];
            line.push_str(cell.symbol());
            let style = describe(cell.fg, cell.bg, cell.modifier);
            styles.push(if style.is_empty() {
                '.'
            } else {
                let at = legend.iter().position(|s| *s == style).unwrap_or_else(|| {
                    legend.push(style);
                    legend.len() - 1
                });
                letters[at]
            });
            // A wide character covers two cells; the second holds nothing of its own.
            x += unicode_width::UnicodeWidthStr::width(cell.symbol()).max(1) as u16;
        }
        text.push_str(line.trim_end());
        text.push('\n');
        grid.push_str(styles.trim_end_matches('.'));
        grid.push('\n');
    }
    let mut out = text;
    out.push_str("\nstyles:\n");
    out.push_str(&grid);
    out.push_str("\nlegend:\n");
    for (letter, style) in letters.iter().zip(&legend) {
        out.push_str(&format!("{letter}  {style}\n"));
    }
    out
}

/// The cells of the first place on the screen that shows `text`.
fn cells_of<'a>(buffer: &'a Buffer, text: &str) -> Vec<&'a Cell> {
    let area = buffer.area;
    for y in 0..area.height {
        let line: String = (0..area.width).map(|x| buffer[(x, y)].symbol()).collect();
        if let Some(at) = line.find(text) {
            let start = line[..at].chars().count() as u16;
            return (start..start + text.chars().count() as u16)
                .map(|x| &buffer[(x, y)])
                .collect();
        }
    }
    panic!("{text:?} is not on the screen");
}

/// Whether every cell showing `text` has `modifier`.
fn all_have(buffer: &Buffer, text: &str, modifier: Modifier) -> bool {
    cells_of(buffer, text)
        .iter()
        .all(|c| c.modifier.contains(modifier))
}

/// The row of the first place on the screen that shows `text`.
fn row_of(buffer: &Buffer, text: &str) -> u16 {
    let first = cells_of(buffer, text)[0] as *const Cell;
    let at = buffer
        .content()
        .iter()
        .position(|c| std::ptr::eq(c, first))
        .expect("a cell of the buffer");
    (at / buffer.area.width as usize) as u16
}

#[test]
fn no_color_browser() {
    insta::assert_snapshot!(render_styled(&browser(no_color(), false)));
}

#[test]
fn no_color_error_popup() {
    insta::assert_snapshot!(render_styled(&browser(no_color(), true)));
}

#[test]
fn sixteen_colours_browser() {
    insta::assert_snapshot!(render_styled(&browser(sixteen_colours(), false)));
}

#[test]
fn sixteen_colours_error_popup() {
    insta::assert_snapshot!(render_styled(&browser(sixteen_colours(), true)));
}

#[test]
fn light_background_browser() {
    insta::assert_snapshot!(render_styled(&browser(light(), false)));
}

#[test]
fn light_background_error_popup() {
    insta::assert_snapshot!(render_styled(&browser(light(), true)));
}

#[test]
fn without_colour_no_cell_has_a_colour_and_the_cursor_is_reversed() {
    for error in [false, true] {
        let buffer = draw(&browser(no_color(), error));
        // A colour anywhere would make crossterm, which drops colours under NO_COLOR, send an
        // empty SGR (a reset) that takes the reverse video away from the cells after it.
        for cell in buffer.content() {
            assert_eq!((cell.fg, cell.bg), (Color::Reset, Color::Reset), "{cell:?}");
        }
    }
    let buffer = draw(&browser(no_color(), false));
    // The cursor of the focused pane: reversed and bold.
    assert!(all_have(
        &buffer,
        "Frieren - S01E05",
        Modifier::REVERSED | Modifier::BOLD
    ));
    // The cursor of the other pane (not the title that names the folder): underlined, not
    // reversed.
    assert!(all_have(&buffer, "Season 1  ", Modifier::UNDERLINED));
    assert!(
        cells_of(&buffer, "Season 1  ")
            .iter()
            .all(|c| !c.modifier.contains(Modifier::REVERSED))
    );
    // The marked files: bold, with their mark.
    assert!(all_have(&buffer, "● Frieren - S01E03", Modifier::BOLD));
    assert!(all_have(&buffer, "● Frieren - S01E04", Modifier::BOLD));
    // The other files: plain.
    assert!(
        cells_of(&buffer, "Frieren - S01E07")
            .iter()
            .all(|c| c.modifier.is_empty())
    );
    // The focused pane: its title reversed, its border thick.
    assert!(all_have(&buffer, "Files · /Anime", Modifier::REVERSED));
    assert_eq!(row_of(&buffer, "┏ Files"), 0);
    assert!(row_of(&buffer, "┗ 2 marked ━") > row_of(&buffer, "Frieren - S01E14"));
    // The keys of the key bar.
    assert!(all_have(&buffer, "F2", Modifier::REVERSED));
    // An error says so without colour: a mark, and bold.
    let buffer = draw(&browser(no_color(), true));
    assert!(all_have(
        &buffer,
        "✗ The API key was refused",
        Modifier::BOLD
    ));
}

#[test]
fn sixteen_colours_use_only_the_ansi_colours() {
    let mut shown = browser(sixteen_colours(), false);
    // The rename popup's input has a background of its own.
    shown.app.update(key(KeyCode::F(2)));
    let buffer = draw(&shown);
    let mut backgrounds = Vec::new();
    for cell in buffer.content() {
        for color in [cell.fg, cell.bg] {
            assert!(
                !matches!(color, Color::Rgb(..) | Color::Indexed(_)),
                "{color:?} on a 16-colour terminal"
            );
        }
        backgrounds.push(cell.bg);
    }
    assert!(backgrounds.contains(&Color::DarkGray), "the input's field");
}

#[test]
fn a_light_background_gets_no_pale_text() {
    let pale = [
        Color::Yellow,
        Color::LightYellow,
        Color::White,
        Color::Gray,
        Color::Cyan,
        Color::LightCyan,
    ];
    for error in [false, true] {
        let buffer = draw(&browser(light(), error));
        for cell in buffer.content() {
            // Text on a background of its own is chosen to read on it.
            if cell.bg == Color::Reset {
                assert!(!pale.contains(&cell.fg), "{cell:?} is pale on white");
            }
        }
    }
    let buffer = draw(&browser(light(), false));
    let cursor = cells_of(&buffer, "Frieren - S01E05")[0];
    assert_eq!((cursor.fg, cursor.bg), (Color::White, Color::Blue));
}
