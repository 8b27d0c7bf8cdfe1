//! Colours and styles, in one place.

use ratatui::style::{Color, Modifier, Style};

pub const ACCENT: Color = Color::Cyan;

pub fn border(focused: bool) -> Style {
    if focused {
        Style::new().fg(ACCENT)
    } else {
        Style::new().fg(Color::DarkGray)
    }
}

pub fn title(focused: bool) -> Style {
    let style = Style::new().add_modifier(Modifier::BOLD);
    if focused { style.fg(ACCENT) } else { style }
}

/// The highlighted row: bright in the focused pane, dim in the other.
pub fn selected(focused: bool) -> Style {
    if focused {
        Style::new().fg(Color::Black).bg(ACCENT)
    } else {
        Style::new().bg(Color::DarkGray).fg(Color::White)
    }
}

pub fn marked() -> Style {
    Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD)
}

pub fn header() -> Style {
    Style::new()
        .fg(Color::Gray)
        .add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
}

pub fn dim() -> Style {
    Style::new().fg(Color::DarkGray)
}

pub fn error() -> Style {
    Style::new().fg(Color::Red)
}

pub fn warn() -> Style {
    Style::new().fg(Color::Yellow)
}

pub fn key() -> Style {
    Style::new().fg(Color::Black).bg(ACCENT)
}

pub fn popup_border() -> Style {
    Style::new().fg(ACCENT)
}

pub fn error_border() -> Style {
    Style::new().fg(Color::Red)
}

pub const SPINNER: [&str; 10] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

pub fn spinner(tick: usize) -> &'static str {
    SPINNER[tick % SPINNER.len()]
}
