//! Colours and styles, in one place: every style the drawing code uses comes from a [`Theme`].
//!
//! A theme is built once at start ([`Theme::build`]) from the terminal (`NO_COLOR`, how many
//! colours, a light or dark background) and the config file's `[theme]` table; the app holds
//! it and the drawing code reads it there, so tests can draw with any theme.
//!
//! Under `NO_COLOR` the theme is monochrome: no colour at all, and everything colour said is
//! said by reverse video, bold, underline, a thicker border and symbols instead.

mod colour;
mod config;

pub use colour::{Depth, Terminal};
pub use config::SETTINGS;

use ratatui::style::{Color, Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::BorderType;

/// The colours of a theme. `selection` is the background of the highlighted row in the focused
/// pane; text on a coloured background is black or white, whichever reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Palette {
    pub accent: Color,
    pub selection: Color,
    /// The background of the highlighted row in the pane without focus.
    pub inactive: Color,
    pub marked: Color,
    pub error: Color,
    pub warning: Color,
    pub success: Color,
    pub dim: Color,
    pub header: Color,
    /// The background of a text input.
    pub field: Color,
}

impl Palette {
    /// For a dark background (the default).
    pub fn dark(depth: Depth) -> Palette {
        Palette {
            accent: Color::Cyan,
            selection: Color::Cyan,
            inactive: Color::DarkGray,
            marked: Color::Yellow,
            error: Color::Red,
            warning: Color::Yellow,
            success: Color::Green,
            dim: Color::DarkGray,
            header: Color::Gray,
            field: if depth >= Depth::Ansi256 {
                Color::Indexed(236)
            } else {
                Color::DarkGray
            },
        }
    }

    /// For a light background: nothing yellow, white or light gray as text.
    pub fn light(depth: Depth) -> Palette {
        Palette {
            accent: Color::Blue,
            selection: Color::Blue,
            inactive: Color::Gray,
            marked: Color::Magenta,
            error: Color::Red,
            warning: Color::Magenta,
            success: Color::Green,
            dim: Color::DarkGray,
            header: Color::Reset,
            field: if depth >= Depth::Ansi256 {
                Color::Indexed(254)
            } else {
                Color::Gray
            },
        }
    }

    /// Every colour as the terminal can show it.
    fn fit(self, depth: Depth) -> Palette {
        let fit = |c| depth.fit(c);
        Palette {
            accent: fit(self.accent),
            selection: fit(self.selection),
            inactive: fit(self.inactive),
            marked: fit(self.marked),
            error: fit(self.error),
            warning: fit(self.warning),
            success: fit(self.success),
            dim: fit(self.dim),
            header: fit(self.header),
            field: fit(self.field),
        }
    }
}

/// The look of the program.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Theme {
    /// No colour at all (`NO_COLOR`).
    pub mono: bool,
    pub palette: Palette,
}

impl Default for Theme {
    /// Dark, on a 256-colour terminal.
    fn default() -> Theme {
        Theme::colour(Palette::dark(Depth::Ansi256), Depth::Ansi256)
    }
}

/// One of the three lines of the statistics chart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Series {
    Views,
    Downloads,
    Profit,
}

const BOLD: Modifier = Modifier::BOLD;
const REVERSED: Modifier = Modifier::REVERSED;
const UNDERLINED: Modifier = Modifier::UNDERLINED;

impl Theme {
    /// A theme in colour, each colour as the terminal can show it.
    pub fn colour(palette: Palette, depth: Depth) -> Theme {
        Theme {
            mono: false,
            palette: palette.fit(depth),
        }
    }

    /// No colour at all.
    pub fn mono() -> Theme {
        Theme {
            mono: true,
            palette: Palette::dark(Depth::Ansi16),
        }
    }

    fn fg(&self, color: Color) -> Style {
        if self.mono {
            Style::new()
        } else {
            Style::new().fg(color)
        }
    }

    /// Text on a background of `bg`; reverse video without colour.
    fn on(&self, bg: Color) -> Style {
        if self.mono {
            Style::new().add_modifier(REVERSED)
        } else {
            Style::new().fg(colour::text_on(bg)).bg(bg)
        }
    }

    pub fn border(&self, focused: bool) -> Style {
        match (self.mono, focused) {
            (true, true) => Style::new().add_modifier(BOLD),
            (true, false) => Style::new(),
            (false, true) => self.fg(self.palette.accent),
            (false, false) => self.fg(self.palette.dim),
        }
    }

    /// Without colour, the focused pane's border is thick.
    pub fn border_type(&self, focused: bool) -> BorderType {
        if self.mono && focused {
            BorderType::Thick
        } else {
            BorderType::Plain
        }
    }

    /// A pane's title: bold; the focused pane's in the accent colour (reversed without colour).
    pub fn title(&self, focused: bool) -> Style {
        let style = Style::new().add_modifier(BOLD);
        match (self.mono, focused) {
            (_, false) => style,
            (true, true) => style.add_modifier(REVERSED),
            (false, true) => style.fg(self.palette.accent),
        }
    }

    /// The highlighted row: bright in the focused pane, dim in the other. Without colour,
    /// reversed and bold in the focused pane, underlined in the other.
    /// A row of a list: highlighted when the cursor is on it.
    pub fn row<'a>(&self, line: Line<'a>, at_cursor: bool) -> Line<'a> {
        if at_cursor {
            line.style(self.selected(true))
        } else {
            line
        }
    }

    pub fn selected(&self, focused: bool) -> Style {
        match (self.mono, focused) {
            (true, true) => Style::new().add_modifier(REVERSED | BOLD),
            (true, false) => Style::new().add_modifier(UNDERLINED),
            (false, true) => self.on(self.palette.selection),
            (false, false) => self.on(self.palette.inactive),
        }
    }

    pub fn marked(&self) -> Style {
        self.fg(self.palette.marked).add_modifier(BOLD)
    }

    /// The letters of a name that the filter matched.
    pub fn matched(&self) -> Style {
        self.fg(self.palette.marked).add_modifier(BOLD | UNDERLINED)
    }

    pub fn header(&self) -> Style {
        self.fg(self.palette.header).add_modifier(BOLD | UNDERLINED)
    }

    /// What matters less: plain text without colour.
    pub fn dim(&self) -> Style {
        self.fg(self.palette.dim)
    }

    /// An error: bold without colour.
    pub fn error(&self) -> Style {
        self.with_bold_in_mono(self.palette.error)
    }

    /// A warning: bold without colour.
    pub fn warn(&self) -> Style {
        self.with_bold_in_mono(self.palette.warning)
    }

    fn with_bold_in_mono(&self, color: Color) -> Style {
        if self.mono {
            Style::new().add_modifier(BOLD)
        } else {
            self.fg(color)
        }
    }

    /// What went well (an alive file, a finished upload).
    pub fn success(&self) -> Style {
        self.fg(self.palette.success)
    }

    /// Text in the accent colour (links, the filter line, a running upload).
    pub fn accent(&self) -> Style {
        self.fg(self.palette.accent)
    }

    /// A key in a popup's hint and a heading of the help: the accent colour, bold.
    pub fn hint_key(&self) -> Style {
        self.accent().add_modifier(BOLD)
    }

    /// A key in the key bar, the upload summary: on the accent colour.
    pub fn key(&self) -> Style {
        self.on(self.palette.accent)
    }

    pub fn popup_border(&self) -> Style {
        self.accent()
    }

    pub fn error_border(&self) -> Style {
        self.error()
    }

    /// A tag that stands out (`DEMO`, the chosen chart): on the warning colour.
    pub fn badge(&self) -> Style {
        self.on(self.palette.warning)
    }

    /// A fading notice: on green, the warning or the error colour; reversed without colour
    /// (and bold for a warning or an error).
    pub fn notice_info(&self) -> Style {
        self.on(self.palette.success)
    }

    pub fn notice_warn(&self) -> Style {
        self.on(self.palette.warning).add_modifier(self.mono_bold())
    }

    pub fn notice_error(&self) -> Style {
        self.on(self.palette.error).add_modifier(self.mono_bold())
    }

    fn mono_bold(&self) -> Modifier {
        if self.mono { BOLD } else { Modifier::empty() }
    }

    /// What starts an error's text where colour cannot say it: `✗ ` without colour.
    pub fn error_mark(&self) -> &'static str {
        if self.mono { "✗ " } else { "" }
    }

    /// What starts a warning's text where colour cannot say it: `! ` without colour.
    pub fn warn_mark(&self) -> &'static str {
        if self.mono { "! " } else { "" }
    }

    /// A text input's field: on a gray background; underlined without colour.
    pub fn field(&self) -> Style {
        if self.mono {
            Style::new().add_modifier(UNDERLINED)
        } else {
            Style::new().bg(self.palette.field)
        }
    }

    /// The storage gauge for a share used: green, the warning colour from 70 %, the error
    /// colour from 90 %. Without colour the bar's length says it.
    pub fn gauge(&self, share: f64) -> Style {
        let color = match share {
            s if s >= 0.9 => self.palette.error,
            s if s >= 0.7 => self.palette.warning,
            _ => self.palette.success,
        };
        self.fg(color)
    }

    fn series_colour(&self, series: Series) -> Color {
        match series {
            Series::Views => self.palette.accent,
            Series::Downloads => self.palette.success,
            Series::Profit => self.palette.warning,
        }
    }

    /// The bars or the line of a chart.
    pub fn chart(&self, series: Series) -> Style {
        self.fg(self.series_colour(series))
    }

    /// The value written in a chart's bar.
    pub fn chart_value(&self, series: Series) -> Style {
        self.on(self.series_colour(series))
    }
}

pub const SPINNER: [&str; 10] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

pub fn spinner(tick: usize) -> &'static str {
    SPINNER[tick % SPINNER.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The default theme is the look the program always had.
    #[test]
    fn the_default_is_the_dark_look() {
        let t = Theme::default();
        assert_eq!(
            t.selected(true),
            Style::new().fg(Color::Black).bg(Color::Cyan)
        );
        assert_eq!(
            t.selected(false),
            Style::new().fg(Color::White).bg(Color::DarkGray)
        );
        assert_eq!(t.key(), Style::new().fg(Color::Black).bg(Color::Cyan));
        assert_eq!(
            t.marked(),
            Style::new().fg(Color::Yellow).add_modifier(BOLD)
        );
        assert_eq!(
            t.notice_error(),
            Style::new().fg(Color::White).bg(Color::Red)
        );
        assert_eq!(t.field(), Style::new().bg(Color::Indexed(236)));
        assert_eq!(t.error_mark(), "");
    }

    #[test]
    fn without_colour_every_style_is_colourless_and_the_cursor_still_shows() {
        let t = Theme::mono();
        let styles = [
            t.border(true),
            t.border(false),
            t.title(true),
            t.selected(true),
            t.selected(false),
            t.marked(),
            t.matched(),
            t.header(),
            t.dim(),
            t.error(),
            t.warn(),
            t.success(),
            t.accent(),
            t.hint_key(),
            t.key(),
            t.badge(),
            t.notice_info(),
            t.notice_warn(),
            t.notice_error(),
            t.field(),
            t.gauge(0.95),
            t.chart(Series::Profit),
            t.chart_value(Series::Views),
        ];
        for style in styles {
            assert_eq!((style.fg, style.bg), (None, None), "{style:?}");
        }
        assert!(t.selected(true).add_modifier.contains(REVERSED));
        assert!(t.selected(false).add_modifier.contains(UNDERLINED));
        assert!(t.key().add_modifier.contains(REVERSED));
        assert!(t.marked().add_modifier.contains(BOLD));
        assert!(t.error().add_modifier.contains(BOLD));
        assert_eq!(t.border_type(true), BorderType::Thick);
        assert_eq!(t.border_type(false), BorderType::Plain);
        assert_eq!(t.error_mark(), "✗ ");
    }

    #[test]
    fn a_light_background_gets_no_pale_text() {
        let t = Theme::colour(Palette::light(Depth::Ansi16), Depth::Ansi16);
        let pale = [
            Color::Yellow,
            Color::White,
            Color::Gray,
            Color::LightYellow,
            Color::Cyan,
        ];
        for style in [
            t.marked(),
            t.warn(),
            t.header(),
            t.accent(),
            t.dim(),
            t.error(),
        ] {
            assert!(
                !style.fg.is_some_and(|c| pale.contains(&c)),
                "{style:?} is pale on white"
            );
        }
        assert_eq!(
            t.selected(true),
            Style::new().fg(Color::White).bg(Color::Blue)
        );
        assert_eq!(t.field(), Style::new().bg(Color::Gray));
    }
}
