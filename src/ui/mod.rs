//! Drawing: a pure function of the state. Only the visible rows are drawn.

mod bars;
mod bwlimit_popup;
mod files;
pub mod move_popup;
mod popups;
pub mod text;
pub mod theme;
pub mod transfers;
mod tree;
pub mod upload_popup;
pub mod views;

pub use popups::help_lines;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

use crate::app::App;

pub fn draw(frame: &mut Frame, app: &App) {
    let area = frame.area();
    if !crate::geometry::fits(area.width, area.height) {
        draw_too_small(frame, area);
        return;
    }
    let areas = crate::geometry::areas(area.width, area.height);
    // A full-screen view covers the panes: they are not drawn under it.
    if app.view.is_none() {
        tree::draw(frame, app, areas.tree);
        files::draw(frame, app, areas.files);
    }
    bars::draw_status(frame, app, areas.status);
    bars::draw_keybar(frame, app, areas.keybar);
    popups::draw_view(frame, app, area);
    popups::draw(frame, app, area);
    // Over everything, so that a view's own messages ("Copied", "Saved") show too.
    let main = ratatui::layout::Rect::new(0, 0, area.width, areas.status.y);
    bars::draw_notice(frame, app, main);
}

fn draw_too_small(frame: &mut Frame, area: Rect) {
    let lines = vec![
        Line::from("Enlarge the terminal"),
        Line::from(format!(
            "mp4u needs {}x{}",
            crate::geometry::MIN_WIDTH,
            crate::geometry::MIN_HEIGHT
        )),
    ];
    let top = area.height.saturating_sub(2) / 2;
    let rect = Rect::new(
        area.x,
        area.y + top,
        area.width,
        area.height.saturating_sub(top),
    );
    frame.render_widget(Paragraph::new(lines).centered().style(theme::warn()), rect);
}
