//! The views over the browser: statistics, deleted files, link checker, search.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Axis, Bar, BarChart, Block, Chart, Clear, Dataset, GraphType, Paragraph};

use super::popups::{draw_input, hint};
use super::text::{fit, pad, pad_left};
use super::theme;
use crate::api::StorageLeft;
use crate::app::App;
use crate::app::keys::{self, Binding};
use crate::app::popup::{
    CheckerView, DeletedView, Metric, STATS_PERIODS, SearchView, StatsView, ViewFocus,
};
use crate::format;

/// The view's frame: nearly the whole screen, over the browser. Returns the inside.
pub(super) fn frame_view(frame: &mut Frame, area: Rect, title: &str) -> Rect {
    // Over the two panes; the account line and the key bar stay visible.
    let rect = Rect::new(
        area.x,
        area.y,
        area.width,
        area.height.saturating_sub(2).max(3).min(area.height),
    );
    frame.render_widget(Clear, rect);
    let block = Block::bordered()
        .border_style(theme::popup_border())
        .title(Span::styled(
            format!(" {title} "),
            theme::popup_border().add_modifier(Modifier::BOLD),
        ));
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    Rect::new(
        inner.x + 1,
        inner.y,
        inner.width.saturating_sub(2),
        inner.height,
    )
}

fn bottom_hint(frame: &mut Frame, app: &App, inner: Rect, table: &'static [Binding]) {
    bottom_line(frame, inner, hint(app, table));
}

/// A line at the foot of a view (its keys).
pub(super) fn bottom_line(frame: &mut Frame, inner: Rect, line: Line<'static>) {
    if inner.height > 0 {
        frame.render_widget(
            Paragraph::new(line),
            Rect::new(inner.x, inner.y + inner.height - 1, inner.width, 1),
        );
    }
}

fn row(inner: Rect, y: u16) -> Rect {
    Rect::new(
        inner.x,
        inner.y + y,
        inner.width,
        1.min(inner.height.saturating_sub(y)),
    )
}

fn status_line(
    loading: bool,
    error: Option<&str>,
    spinner: usize,
    what: &str,
) -> Option<Line<'static>> {
    if let Some(e) = error {
        Some(Line::styled(e.to_string(), theme::error()))
    } else if loading {
        Some(Line::styled(
            format!("{} {what}", theme::spinner(spinner)),
            theme::dim(),
        ))
    } else {
        None
    }
}

fn number(n: f64, metric: Metric) -> String {
    match metric {
        Metric::Profit => format!("${n:.2}"),
        _ => format::count(n.round() as u64),
    }
}

pub fn draw_stats(frame: &mut Frame, app: &App, area: Rect, view: &StatsView) {
    let inner = frame_view(frame, area, "Account and statistics");
    if inner.height < 6 {
        return;
    }
    // The account.
    let mut head = Vec::new();
    match &app.account {
        Some(info) => {
            head.push(Span::styled(
                info.email.clone().unwrap_or_else(|| "—".into()),
                Style::new().add_modifier(Modifier::BOLD),
            ));
            if let Some(b) = info.balance {
                head.push(Span::raw(format!("   balance ${b:.2}")));
            }
            if let Some(p) = &info.premium_expire {
                head.push(Span::styled(
                    format!("   premium until {}", p.get(..10).unwrap_or(p)),
                    theme::dim(),
                ));
            }
            frame.render_widget(Paragraph::new(Line::from(head)), row(inner, 0));
            let used = info.storage_used.unwrap_or(0);
            let storage = match info.storage_left {
                StorageLeft::Bytes(left) => {
                    let total = used.saturating_add(left).max(1);
                    let cells = 24usize;
                    let filled = ((used as f64 / total as f64) * cells as f64).round() as usize;
                    Line::from(vec![
                        Span::styled("Storage ", theme::dim()),
                        Span::styled("█".repeat(filled.min(cells)), Style::new().fg(Color::Green)),
                        Span::styled(
                            "░".repeat(cells - filled.min(cells)),
                            Style::new().fg(Color::DarkGray),
                        ),
                        Span::raw(format!(
                            " {} used · {} left",
                            format::size(used),
                            format::size(left)
                        )),
                    ])
                }
                StorageLeft::Unlimited => {
                    Line::raw(format!("Storage {} used · unlimited", format::size(used)))
                }
                StorageLeft::Unknown => Line::raw(format!("Storage {} used", format::size(used))),
            };
            frame.render_widget(Paragraph::new(storage), row(inner, 1));
        }
        None => {
            let text = app
                .account_error
                .clone()
                .unwrap_or_else(|| format!("{} Loading the account…", theme::spinner(app.spinner)));
            frame.render_widget(Paragraph::new(text), row(inner, 0));
        }
    }
    // Period and metric tabs.
    let mut tabs = Vec::new();
    for days in STATS_PERIODS {
        let text = format!(" {days} days ");
        tabs.push(if days == view.days {
            Span::styled(text, theme::selected(true))
        } else {
            Span::styled(text, theme::dim())
        });
        tabs.push(Span::raw(" "));
    }
    tabs.push(Span::raw("   "));
    for metric in Metric::ALL {
        let text = format!(" {} ", metric.label());
        tabs.push(if metric == view.metric {
            Span::styled(text, Style::new().fg(Color::Black).bg(Color::Yellow))
        } else {
            Span::styled(text, theme::dim())
        });
        tabs.push(Span::raw(" "));
    }
    frame.render_widget(Paragraph::new(Line::from(tabs)), row(inner, 3));

    let chart_area = Rect::new(
        inner.x,
        inner.y + 5,
        inner.width,
        inner.height.saturating_sub(8),
    );
    if let Some(line) = status_line(
        view.loading && view.data.is_none(),
        view.error.as_deref(),
        app.spinner,
        "Loading the statistics…",
    ) {
        frame.render_widget(Paragraph::new(line), row(inner, 5));
    } else if let Some(days) = &view.data {
        if days.is_empty() {
            frame.render_widget(
                Paragraph::new(Line::styled("No statistics for this period", theme::dim())),
                row(inner, 5),
            );
        } else {
            draw_chart(frame, chart_area, days, view.metric);
            let total = |m: Metric| days.iter().map(|d| m.value(d)).sum::<f64>();
            let totals = Line::from(vec![
                Span::styled(format!("Totals, {} days: ", days.len()), theme::dim()),
                Span::raw(format!(
                    "{} views · {} downloads · {} profit",
                    number(total(Metric::Views), Metric::Views),
                    number(total(Metric::Downloads), Metric::Downloads),
                    number(total(Metric::Profit), Metric::Profit)
                )),
            ]);
            frame.render_widget(
                Paragraph::new(totals),
                row(inner, inner.height.saturating_sub(2)),
            );
        }
    }
    bottom_hint(frame, app, inner, keys::STATS);
}

/// Bars with a label per day where they fit (7 days); a bar-graph over dated axes otherwise.
fn draw_chart(frame: &mut Frame, area: Rect, days: &[crate::api::DayStats], metric: Metric) {
    if area.height < 3 || area.width < 10 {
        return;
    }
    let values: Vec<f64> = days.iter().map(|d| metric.value(d)).collect();
    let max = values.iter().cloned().fold(0.0, f64::max);
    let color = match metric {
        Metric::Views => theme::ACCENT,
        Metric::Downloads => Color::Green,
        Metric::Profit => Color::Yellow,
    };
    let slot = area.width as usize / days.len().max(1);
    if slot >= 6 {
        let scale = if metric == Metric::Profit { 100.0 } else { 1.0 };
        let bars: Vec<Bar> = days
            .iter()
            .zip(&values)
            .map(|(d, v)| {
                Bar::default()
                    .value((v * scale).round() as u64)
                    .text_value(number(*v, metric))
                    .label(Line::from(d.day.get(5..).unwrap_or(&d.day).to_string()))
            })
            .collect();
        let chart = BarChart::vertical(bars)
            .bar_width((slot - 1).min(16) as u16)
            .bar_gap(1)
            .bar_style(Style::new().fg(color))
            .value_style(Style::new().fg(Color::Black).bg(color));
        frame.render_widget(chart, area);
        return;
    }
    let points: Vec<(f64, f64)> = values
        .iter()
        .enumerate()
        .map(|(i, v)| (i as f64, *v))
        .collect();
    let last = days.len().saturating_sub(1);
    let day = |i: usize| {
        days.get(i)
            .map(|d| d.day.get(5..).unwrap_or(&d.day).to_string())
            .unwrap_or_default()
    };
    let top = if max > 0.0 { max * 1.1 } else { 1.0 };
    let chart = Chart::new(vec![
        Dataset::default()
            .name(metric.label())
            .marker(Marker::HalfBlock)
            .graph_type(GraphType::Bar)
            .style(Style::new().fg(color))
            .data(&points),
    ])
    .x_axis(
        Axis::default()
            .bounds([-0.5, last as f64 + 0.5])
            .labels([day(0), day(last / 2), day(last)])
            .style(theme::dim()),
    )
    .y_axis(
        Axis::default()
            .bounds([0.0, top])
            .labels([
                "0".to_string(),
                number(max / 2.0, metric),
                number(max, metric),
            ])
            .style(theme::dim()),
    )
    .legend_position(None);
    frame.render_widget(chart, area);
}

pub fn draw_deleted(frame: &mut Frame, app: &App, area: Rect, view: &DeletedView) {
    let title = match &view.data {
        Some(d) => format!(
            "Recently deleted · the last {} · {} shown",
            view.last,
            d.len()
        ),
        None => format!("Recently deleted · the last {}", view.last),
    };
    let inner = frame_view(frame, area, &title);
    if inner.height < 4 {
        return;
    }
    let w = inner.width as usize;
    let (when_w, ago_w, code_w) = (20, 16, 14);
    let name_w = w.saturating_sub(when_w + ago_w + code_w);
    let header = format!(
        "{}{}{}{}",
        pad("Name", name_w),
        pad("Code", code_w),
        pad("Deleted", when_w),
        pad_left("", ago_w)
    );
    frame.render_widget(
        Paragraph::new(Line::styled(header, theme::header())),
        row(inner, 0),
    );
    let height = crate::geometry::view_list_height(area.height);
    if let Some(line) = status_line(
        view.loading && view.data.is_none(),
        view.error.as_deref(),
        app.spinner,
        "Loading…",
    ) {
        frame.render_widget(Paragraph::new(line), row(inner, 1));
    } else if let Some(files) = &view.data {
        if files.is_empty() {
            frame.render_widget(
                Paragraph::new(Line::styled("No file was deleted recently", theme::dim())),
                row(inner, 1),
            );
        }
        let window = view.list.window(files.len(), height);
        let lines: Vec<Line> = files
            .iter()
            .enumerate()
            .skip(window.start)
            .take(window.len())
            .map(|(i, f)| {
                let text = format!(
                    "{}{}{}{}",
                    pad(f.name.as_deref().unwrap_or("—"), name_w),
                    pad(&f.file_code, code_w),
                    pad(f.deleted.as_deref().unwrap_or("—"), when_w),
                    pad_left(&crate::app::views::deleted_ago(f), ago_w)
                );
                let line = Line::raw(text);
                if i == view.list.cursor {
                    line.style(theme::selected(true))
                } else {
                    line
                }
            })
            .collect();
        frame.render_widget(
            Paragraph::new(lines),
            Rect::new(inner.x, inner.y + 1, inner.width, height as u16),
        );
    }
    bottom_hint(frame, app, inner, keys::DELETED);
}

fn files_header(w: usize) -> (String, usize) {
    let name_w = w.saturating_sub(8 + 14 + 10 + 10);
    (
        format!(
            "{}{}{}{}{}",
            pad("Status", 8),
            pad("Code", 14),
            pad("Name", name_w),
            pad_left("Size", 10),
            pad_left("Downloads", 10)
        ),
        name_w,
    )
}

pub fn draw_checker(frame: &mut Frame, app: &App, area: Rect, view: &CheckerView) {
    let inner = frame_view(frame, area, "Link checker");
    if inner.height < 6 {
        return;
    }
    frame.render_widget(
        Paragraph::new(Line::styled("Paste or type file codes or mp4upload links, in any form, separated by spaces, commas or new lines:", theme::dim())),
        row(inner, 0),
    );
    draw_input(
        frame,
        row(inner, 1),
        &view.input,
        false,
        view.focus == ViewFocus::Input && !view.loading,
    );
    let live = crate::links::parse(view.input.value(), app.link_host().as_deref());
    let summary = if view.input.value().trim().is_empty() {
        String::new()
    } else {
        format!("{} · Enter checks them", live.summary())
    };
    let status = status_line(
        view.loading,
        view.error.as_deref(),
        app.spinner,
        "Checking…",
    )
    .unwrap_or_else(|| Line::styled(summary, theme::dim()));
    frame.render_widget(Paragraph::new(status), row(inner, 2));

    if let Some(results) = &view.results {
        let w = inner.width as usize;
        let (header, name_w) = files_header(w);
        let alive = results.iter().filter(|f| f.exists()).count();
        frame.render_widget(
            Paragraph::new(Line::from(vec![
                Span::styled(format!("{alive} alive"), Style::new().fg(Color::Green)),
                Span::raw(" · "),
                Span::styled(
                    format!("{} missing", results.len() - alive),
                    if alive == results.len() {
                        theme::dim()
                    } else {
                        theme::error()
                    },
                ),
                Span::styled(format!("   ({})", view.parsed.summary()), theme::dim()),
            ])),
            row(inner, 4),
        );
        frame.render_widget(
            Paragraph::new(Line::styled(header, theme::header())),
            row(inner, 5),
        );
        let height = crate::geometry::checker_rows(area.height);
        let window = view.list.window(results.len(), height);
        let lines: Vec<Line> = results
            .iter()
            .enumerate()
            .skip(window.start)
            .take(window.len())
            .map(|(i, f)| {
                let (status, style) = if f.exists() {
                    ("alive", Style::new().fg(Color::Green))
                } else {
                    ("missing", theme::error())
                };
                let mut line = Line::from(vec![
                    Span::styled(pad(status, 8), style),
                    Span::raw(pad(&f.file_code, 14)),
                    Span::raw(pad(f.name.as_deref().unwrap_or(""), name_w)),
                    Span::raw(pad_left(&f.size.map(format::size).unwrap_or_default(), 10)),
                    Span::raw(pad_left(
                        &f.downloads.map(format::count).unwrap_or_default(),
                        10,
                    )),
                ]);
                if i == view.list.cursor && view.focus == ViewFocus::List {
                    line = line.style(theme::selected(true));
                }
                line
            })
            .collect();
        frame.render_widget(
            Paragraph::new(lines),
            Rect::new(inner.x, inner.y + 6, inner.width, height as u16),
        );
    }
    bottom_hint(frame, app, inner, keys::CHECKER);
}

pub fn draw_search(frame: &mut Frame, app: &App, area: Rect, view: &SearchView) {
    let inner = frame_view(frame, area, "Find files across the account");
    if inner.height < 7 {
        return;
    }
    let label = |text: &str, focused: bool| {
        Span::styled(
            format!("{text:<16}"),
            if focused {
                Style::new().fg(theme::ACCENT).add_modifier(Modifier::BOLD)
            } else {
                theme::dim()
            },
        )
    };
    frame.render_widget(
        Paragraph::new(label("Name contains", view.focus == ViewFocus::Input)),
        Rect::new(inner.x, inner.y, 16, 1),
    );
    draw_input(
        frame,
        Rect::new(inner.x + 16, inner.y, inner.width.saturating_sub(16), 1),
        &view.name,
        false,
        view.focus == ViewFocus::Input,
    );
    frame.render_widget(
        Paragraph::new(label("Uploaded after", view.focus == ViewFocus::Second)),
        Rect::new(inner.x, inner.y + 1, 16, 1),
    );
    let second_w = inner.width.saturating_sub(16).min(24);
    draw_input(
        frame,
        Rect::new(inner.x + 16, inner.y + 1, second_w, 1),
        &view.created,
        false,
        view.focus == ViewFocus::Second,
    );
    let public = match view.public {
        None => "any",
        Some(true) => "public only",
        Some(false) => "private only",
    };
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled("  a time or minutes ago   ", theme::dim()),
            Span::styled("Public: ", theme::dim()),
            Span::raw(public),
        ])),
        Rect::new(
            inner.x + 16 + second_w,
            inner.y + 1,
            inner.width.saturating_sub(16 + second_w),
            1,
        ),
    );
    let status = status_line(
        view.loading,
        view.error.as_deref(),
        app.spinner,
        "Searching…",
    )
    .unwrap_or_else(|| {
        if !view.searched {
            Line::styled("Type a part of a name and press Enter", theme::dim())
        } else if view.results.is_empty() {
            Line::styled("No file matches", theme::dim())
        } else {
            Line::styled(
                format!(
                    "{}{} · Enter goes to the file",
                    format::plural(view.results.len(), "file"),
                    if view.more {
                        " so far (PgDn at the end for more)".to_string()
                    } else if let Some(why) = &view.incomplete {
                        format!(" (may be incomplete: {why})")
                    } else {
                        String::new()
                    }
                ),
                theme::dim(),
            )
        }
    });
    frame.render_widget(Paragraph::new(status), row(inner, 2));
    if !view.results.is_empty() {
        let w = inner.width as usize;
        // The folder gets what its longest path needs, up to 40 columns; the name the rest.
        let longest = view
            .results
            .iter()
            .map(|f| folder_of(app, f).chars().count())
            .max()
            .unwrap_or(0);
        let folder_w = (longest + 2).clamp(10, 40).min(w / 2);
        let name_w = w.saturating_sub(folder_w + 10 + 10 + 11);
        let header = format!(
            "{}{}{}{}  {}",
            pad("Name", name_w),
            pad_left("Size", 10),
            pad_left("Downloads", 10),
            pad_left("Uploaded", 11),
            pad("Folder", folder_w.saturating_sub(2))
        );
        frame.render_widget(
            Paragraph::new(Line::styled(header, theme::header())),
            row(inner, 4),
        );
        let height = crate::geometry::view_list_height(area.height);
        let window = view.list.window(view.results.len(), height);
        let lines: Vec<Line> = view
            .results
            .iter()
            .enumerate()
            .skip(window.start)
            .take(window.len())
            .map(|(i, f)| {
                let path = folder_of(app, f);
                let date = f
                    .uploaded
                    .as_deref()
                    .map(|d| d.get(..10).unwrap_or(d))
                    .unwrap_or("—");
                let text = format!(
                    "{}{}{}{}  {}",
                    pad(f.name.as_deref().unwrap_or(&f.file_code), name_w),
                    pad_left(&f.size.map(format::size).unwrap_or_default(), 10),
                    pad_left(&f.downloads.map(format::count).unwrap_or_default(), 10),
                    pad_left(date, 11),
                    fit(&path, folder_w.saturating_sub(2))
                );
                let line = Line::raw(text);
                if i == view.list.cursor && view.focus == ViewFocus::List {
                    line.style(theme::selected(true))
                } else {
                    line
                }
            })
            .collect();
        frame.render_widget(
            Paragraph::new(lines),
            Rect::new(inner.x, inner.y + 5, inner.width, height as u16),
        );
    }
    bottom_hint(frame, app, inner, keys::SEARCH);
}

/// A search result's folder as the list shows it: its path once known, `…` while the folders
/// are still being asked, `unknown` when no listing named it.
fn folder_of(app: &App, file: &crate::api::FileInfo) -> String {
    match file.fld_id.or_else(|| app.walk.place(&file.file_code)) {
        Some(folder) if app.tree.contains(folder) => app.tree.path(folder),
        Some(folder) if app.tree.loading_count() == 0 && app.tree.unloaded().is_empty() => {
            format!("folder {folder}")
        }
        Some(_) => "…".to_string(),
        None if app.walk.finished() => "unknown".to_string(),
        None => "…".to_string(),
    }
}

/// The message log: every notice and error said so far, oldest first, errors standing out.
pub fn draw_messages(frame: &mut Frame, app: &App, area: Rect) {
    let title = format!(
        "Messages · {}",
        format::plural(app.messages.len(), "message")
    );
    let inner = frame_view(frame, area, &title);
    if inner.height < 2 {
        return;
    }
    let height = crate::geometry::view_list_height(area.height).min(inner.height as usize - 1);
    if app.messages.is_empty() {
        frame.render_widget(
            Paragraph::new(Line::styled("Nothing said yet.", theme::dim())),
            row(inner, 0),
        );
    }
    let w = inner.width as usize;
    let when_w = 16;
    let window = app.views.messages.window(app.messages.len(), height);
    let lines: Vec<Line> = app
        .messages
        .iter()
        .enumerate()
        .skip(window.start)
        .take(window.len())
        .map(|(i, m)| {
            let when = match (m.at, app.now()) {
                (Some(at), Some(now)) => format::ago(now.duration_since(at).as_secs()),
                _ => "at start".into(),
            };
            let (mark, style) = match m.level {
                crate::app::Level::Info => ("  ", Style::new()),
                crate::app::Level::Warn => ("! ", theme::warn()),
                crate::app::Level::Error => ("✗ ", theme::error().add_modifier(Modifier::BOLD)),
            };
            let times = if m.times > 1 {
                format!(" (×{})", m.times)
            } else {
                String::new()
            };
            let text = format!("{}{times}", m.text);
            let mut line = Line::from(vec![
                Span::styled(mark, style),
                Span::styled(pad(&text, w.saturating_sub(when_w + 2)), style),
                Span::styled(pad_left(&when, when_w), theme::dim()),
            ]);
            if i == app.views.messages.cursor {
                line = line.style(theme::selected(true));
            }
            line
        })
        .collect();
    frame.render_widget(
        Paragraph::new(lines),
        Rect::new(inner.x, inner.y, inner.width, height as u16),
    );
    bottom_hint(frame, app, inner, keys::MESSAGES);
}
