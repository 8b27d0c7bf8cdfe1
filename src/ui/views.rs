//! The views over the browser: their frame and shared lines, statistics, deleted files, the
//! message log (the link checker and the search in their own modules).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Axis, Bar, BarChart, Block, Chart, Clear, Dataset, GraphType, Paragraph};

use super::Scene;
use crate::api::StorageLeft;
use crate::app::keys::Scope;
use crate::app::overlay::{DeletedView, Metric, STATS_PERIODS, StatsView};
use crate::app::paint::hint_within;
use crate::format;
use crate::text::{pad, pad_left};
use crate::theme::{self, Series, Theme};

/// The view's frame: nearly the whole screen, over the browser. Returns the inside.
pub(super) fn frame_view(frame: &mut Frame, theme: &Theme, area: Rect, title: &str) -> Rect {
    // Over the two panes; the account line and the key bar stay visible.
    let rect = Rect::new(
        area.x,
        area.y,
        area.width,
        area.height.saturating_sub(2).max(3).min(area.height),
    );
    frame.render_widget(Clear, rect);
    let block = Block::bordered()
        .border_style(theme.popup_border())
        .title(Span::styled(
            format!(" {title} "),
            theme.popup_border().add_modifier(Modifier::BOLD),
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

pub(super) fn bottom_hint(frame: &mut Frame, app: &Scene<'_>, inner: Rect, scope: Scope) {
    bottom_line(frame, inner, hint_within(app, scope, inner.width as usize));
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

pub(super) fn row(inner: Rect, y: u16) -> Rect {
    Rect::new(
        inner.x,
        inner.y + y,
        inner.width,
        1.min(inner.height.saturating_sub(y)),
    )
}

pub(super) fn status_line(
    theme: &Theme,
    loading: bool,
    error: Option<&str>,
    spinner: usize,
    what: &str,
) -> Option<Line<'static>> {
    if let Some(e) = error {
        Some(Line::styled(e.to_string(), theme.error()))
    } else if loading {
        Some(Line::styled(
            format!("{} {what}", theme::spinner(spinner)),
            theme.dim(),
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

pub fn draw_stats(frame: &mut Frame, app: &Scene<'_>, area: Rect, view: &StatsView) {
    let theme = app.theme;
    let inner = frame_view(frame, theme, area, "Account and statistics");
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
                    theme.dim(),
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
                        Span::styled("Storage ", theme.dim()),
                        Span::styled("█".repeat(filled.min(cells)), theme.success()),
                        Span::styled("░".repeat(cells - filled.min(cells)), theme.dim()),
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
            Span::styled(text, theme.selected(true))
        } else {
            Span::styled(text, theme.dim())
        });
        tabs.push(Span::raw(" "));
    }
    tabs.push(Span::raw("   "));
    for metric in Metric::ALL {
        let text = format!(" {} ", metric.label());
        tabs.push(if metric == view.metric {
            Span::styled(text, theme.badge())
        } else {
            Span::styled(text, theme.dim())
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
        theme,
        view.loading && view.data.is_none(),
        view.error.as_deref(),
        app.spinner,
        "Loading the statistics…",
    ) {
        frame.render_widget(Paragraph::new(line), row(inner, 5));
    } else if let Some(days) = &view.data {
        if days.is_empty() {
            frame.render_widget(
                Paragraph::new(Line::styled("No statistics for this period", theme.dim())),
                row(inner, 5),
            );
        } else {
            draw_chart(frame, theme, chart_area, days, view.metric);
            let total = |m: Metric| days.iter().map(|d| m.value(d)).sum::<f64>();
            let totals = Line::from(vec![
                Span::styled(format!("Totals, {} days: ", days.len()), theme.dim()),
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
    bottom_hint(frame, app, inner, Scope::Stats);
}

/// Bars with a label per day where they fit (7 days); a bar-graph over dated axes otherwise.
fn draw_chart(
    frame: &mut Frame,
    theme: &Theme,
    area: Rect,
    days: &[crate::api::DayStats],
    metric: Metric,
) {
    if area.height < 3 || area.width < 10 {
        return;
    }
    let values: Vec<f64> = days.iter().map(|d| metric.value(d)).collect();
    let max = values.iter().cloned().fold(0.0, f64::max);
    let series = match metric {
        Metric::Views => Series::Views,
        Metric::Downloads => Series::Downloads,
        Metric::Profit => Series::Profit,
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
            .bar_style(theme.chart(series))
            .value_style(theme.chart_value(series));
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
            .style(theme.chart(series))
            .data(&points),
    ])
    .x_axis(
        Axis::default()
            .bounds([-0.5, last as f64 + 0.5])
            .labels([day(0), day(last / 2), day(last)])
            .style(theme.dim()),
    )
    .y_axis(
        Axis::default()
            .bounds([0.0, top])
            .labels([
                "0".to_string(),
                number(max / 2.0, metric),
                number(max, metric),
            ])
            .style(theme.dim()),
    )
    .legend_position(None);
    frame.render_widget(chart, area);
}

pub fn draw_deleted(frame: &mut Frame, app: &Scene<'_>, area: Rect, view: &DeletedView) {
    let theme = app.theme;
    let title = match &view.data {
        Some(d) => format!(
            "Recently deleted · the last {} · {} shown",
            view.last,
            d.len()
        ),
        None => format!("Recently deleted · the last {}", view.last),
    };
    let inner = frame_view(frame, theme, area, &title);
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
        Paragraph::new(Line::styled(header, theme.header())),
        row(inner, 0),
    );
    let height = crate::geometry::view_list_height(area.height);
    if let Some(line) = status_line(
        theme,
        view.loading && view.data.is_none(),
        view.error.as_deref(),
        app.spinner,
        "Loading…",
    ) {
        frame.render_widget(Paragraph::new(line), row(inner, 1));
    } else if let Some(files) = &view.data {
        if files.is_empty() {
            frame.render_widget(
                Paragraph::new(Line::styled("No file was deleted recently", theme.dim())),
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
                theme.row(Line::raw(text), i == view.list.cursor)
            })
            .collect();
        frame.render_widget(
            Paragraph::new(lines),
            Rect::new(inner.x, inner.y + 1, inner.width, height as u16),
        );
    }
    bottom_hint(frame, app, inner, Scope::Deleted);
}

/// The message log: every notice and error said so far, oldest first, errors standing out.
pub fn draw_messages(frame: &mut Frame, app: &Scene<'_>, area: Rect) {
    let theme = app.theme;
    let title = format!(
        "Messages · {}",
        format::plural(app.messages.len(), "message")
    );
    let inner = frame_view(frame, theme, area, &title);
    if inner.height < 2 {
        return;
    }
    let height = crate::geometry::view_list_height(area.height).min(inner.height as usize - 1);
    if app.messages.is_empty() {
        frame.render_widget(
            Paragraph::new(Line::styled("Nothing said yet.", theme.dim())),
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
                crate::app::Level::Warn => ("! ", theme.warn()),
                crate::app::Level::Error => ("✗ ", theme.error().add_modifier(Modifier::BOLD)),
            };
            let times = if m.times > 1 {
                format!(" (×{})", m.times)
            } else {
                String::new()
            };
            let text = format!("{}{times}", m.text);
            let line = Line::from(vec![
                Span::styled(mark, style),
                Span::styled(pad(&text, w.saturating_sub(when_w + 2)), style),
                Span::styled(pad_left(&when, when_w), theme.dim()),
            ]);
            theme.row(line, i == app.views.messages.cursor)
        })
        .collect();
    frame.render_widget(
        Paragraph::new(lines),
        Rect::new(inner.x, inner.y, inner.width, height as u16),
    );
    bottom_hint(frame, app, inner, Scope::Messages);
}
