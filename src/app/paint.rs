//! What every popup and view draws with: the scene (the state and its theme), a centered box,
//! the key hint, a text input. Popups draw themselves (each in its own file under
//! `app/popups/`), so the kit lives here, below `ui`.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};
use tui_input::Input;

use super::App;
use super::keys::Scope;
use crate::geometry::centered;
use crate::text::{fit, pad};
use crate::theme::Theme;

/// What a frame is drawn from: the app's state, and the theme it is drawn in. The theme is the
/// drawing's, not the state machine's: `App` never holds it. A `Scene` reads as the `App` it
/// shows (it dereferences to it), with `theme` beside.
#[derive(Clone, Copy)]
pub struct Scene<'a> {
    pub app: &'a App,
    pub theme: &'a Theme,
}

impl std::ops::Deref for Scene<'_> {
    type Target = App;

    fn deref(&self) -> &App {
        self.app
    }
}

/// Clears a centered box, draws its border and title, and returns the inside.
fn frame_box(
    frame: &mut Frame,
    area: Rect,
    width: u16,
    height: u16,
    title: &str,
    border: Style,
) -> Rect {
    let rect = centered(area, width, height);
    frame.render_widget(Clear, rect);
    let block = Block::bordered().border_style(border).title(Span::styled(
        format!(" {} ", fit(title, width.saturating_sub(6) as usize)),
        border.add_modifier(Modifier::BOLD),
    ));
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    inner
}

/// A popup's box: centered, `width` by `height`, with its title, and the key hint of `scope`
/// on its last row. Its border says what kind of box it is: an error, a question to think
/// twice about, or any other popup. Returns where its body goes: the rows above the hint, a
/// column in from each side of the border.
pub fn dialog(
    frame: &mut Frame,
    app: &Scene<'_>,
    area: Rect,
    (width, height): (u16, u16),
    title: &str,
    scope: Scope,
) -> Rect {
    let border = match scope {
        Scope::Error => app.theme.error_border(),
        Scope::Question => app.theme.warn(),
        _ => app.theme.popup_border(),
    };
    let inner = frame_box(frame, area, width, height, title, border);
    let w = inner.width.saturating_sub(2);
    let rows = inner.height.saturating_sub(1);
    draw_hint(
        frame,
        app,
        scope,
        Rect::new(inner.x + 1, inner.y + rows, w, 1),
    );
    Rect::new(inner.x + 1, inner.y, w, rows)
}

/// `Enter OK · Esc Cancel`, from the keys of a scope: the entries that do something now.
pub fn hint(app: &Scene<'_>, scope: Scope) -> Line<'static> {
    hint_within(app, scope, usize::MAX)
}

/// The hint as it fits in `width` cells: entries that do not fit give way from the end, the
/// last one (the way out: Esc) kept, so that no entry is ever cut in the middle.
pub fn hint_within(app: &Scene<'_>, scope: Scope, width: usize) -> Line<'static> {
    let theme = app.theme;
    let mut entries = app.hint_entries(scope);
    let cells = |entries: &[(String, &str)]| {
        entries
            .iter()
            .map(|(key, word)| key.chars().count() + 1 + word.chars().count())
            .sum::<usize>()
            + 3 * entries.len().saturating_sub(1)
    };
    while entries.len() > 1 && cells(&entries) > width {
        entries.remove(entries.len() - 2);
    }
    let mut spans = Vec::new();
    for (i, (key, word)) in entries.into_iter().enumerate() {
        if i > 0 {
            spans.push(Span::styled(" · ", theme.dim()));
        }
        spans.push(Span::styled(key, theme.hint_key()));
        spans.push(Span::styled(format!(" {word}"), theme.dim()));
    }
    Line::from(spans)
}

/// Draws the hint of a scope into one row, fitted to its width.
pub fn draw_hint(frame: &mut Frame, app: &Scene<'_>, scope: Scope, rect: Rect) {
    frame.render_widget(
        Paragraph::new(hint_within(app, scope, rect.width as usize)),
        rect,
    );
}

/// One line of text input with its cursor; `mask` shows dots instead of the text.
pub fn draw_input(
    frame: &mut Frame,
    theme: &Theme,
    rect: Rect,
    input: &Input,
    mask: bool,
    show_cursor: bool,
) {
    let width = rect.width.saturating_sub(1) as usize;
    let scroll = input.visual_scroll(width);
    let text: String = if mask {
        "•".repeat(input.value().chars().count())
    } else {
        input.value().to_string()
    };
    let visible: String = text.chars().skip(scroll).collect();
    frame.render_widget(
        Paragraph::new(pad(&visible, width + 1)).style(theme.field()),
        rect,
    );
    if show_cursor {
        let x = (input.visual_cursor().saturating_sub(scroll)) as u16;
        frame.set_cursor_position(Position::new(
            rect.x + x.min(rect.width.saturating_sub(1)),
            rect.y,
        ));
    }
}
