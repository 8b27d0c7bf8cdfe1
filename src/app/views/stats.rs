//! The statistics: the account, and views, downloads or profit per day over a period, as a
//! chart.

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Axis, Bar, BarChart, Chart, Dataset, GraphType, Paragraph};

use super::{Component, Fetch, View, bottom_hint, frame_view, row};
use crate::api::{ApiError, DayStats, StorageLeft};
use crate::app::keys::{self, Action, Scope};
use crate::app::paint::Scene;
use crate::app::{App, Command};
use crate::format;

use crate::theme::{self, Series, Theme};

/// What the statistics chart shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Metric {
    #[default]
    Views,
    Downloads,
    Profit,
}

impl Metric {
    pub const ALL: [Metric; 3] = [Metric::Views, Metric::Downloads, Metric::Profit];

    pub fn label(self) -> &'static str {
        match self {
            Metric::Views => "Views",
            Metric::Downloads => "Downloads",
            Metric::Profit => "Profit",
        }
    }

    pub fn value(self, day: &crate::api::DayStats) -> f64 {
        match self {
            Metric::Views => day.views as f64,
            Metric::Downloads => day.downloads as f64,
            Metric::Profit => day.profit_total,
        }
    }
}

/// The periods the statistics offer.
pub const STATS_PERIODS: [u32; 3] = [7, 30, 90];

#[derive(Debug, Clone, Default)]
pub struct StatsView {
    /// Which of [`STATS_PERIODS`] is shown.
    pub period: usize,
    pub metric: Metric,
    pub fetch: Fetch<Vec<DayStats>>,
}

impl StatsView {
    /// The days of the period shown.
    pub fn days(&self) -> u32 {
        STATS_PERIODS[self.period]
    }
}

impl App {
    /// Opens the statistics: the period and chart chosen before, asked again.
    pub(in crate::app) fn open_stats(&mut self) -> Vec<Command> {
        self.view = Some(View::Stats);
        let v = &mut self.views.stats;
        v.fetch.ask();
        vec![Command::LoadStats { days: v.days() }, Command::LoadAccount]
    }

    /// The statistics' answer, for the period still shown.
    pub(in crate::app) fn on_stats(
        &mut self,
        days: u32,
        result: Result<Vec<DayStats>, ApiError>,
    ) -> Vec<Command> {
        let view = &mut self.views.stats;
        if view.days() == days {
            view.fetch.answer(result);
        }
        Vec::new()
    }
}

impl Component for StatsView {
    fn busy(&self) -> bool {
        self.fetch.loading
    }

    fn draw(&self, frame: &mut Frame, app: &Scene<'_>, area: Rect) {
        let theme = app.theme;
        let Some(inner) = frame_view(frame, theme, area, "Account and statistics", 6) else {
            return;
        };
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
                    StorageLeft::Unknown => {
                        Line::raw(format!("Storage {} used", format::size(used)))
                    }
                };
                frame.render_widget(Paragraph::new(storage), row(inner, 1));
            }
            None => {
                let text = app.account_error.clone().unwrap_or_else(|| {
                    format!("{} Loading the account…", theme::spinner(app.spinner))
                });
                frame.render_widget(Paragraph::new(text), row(inner, 0));
            }
        }
        // Period and metric tabs.
        let mut tabs = Vec::new();
        for days in STATS_PERIODS {
            let text = format!(" {days} days ");
            tabs.push(if days == self.days() {
                Span::styled(text, theme.selected(true))
            } else {
                Span::styled(text, theme.dim())
            });
            tabs.push(Span::raw(" "));
        }
        tabs.push(Span::raw("   "));
        for metric in Metric::ALL {
            let text = format!(" {} ", metric.label());
            tabs.push(if metric == self.metric {
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
        if let Some(line) = self
            .fetch
            .status(theme, app.spinner, "Loading the statistics…")
        {
            frame.render_widget(Paragraph::new(line), row(inner, 5));
        } else if let Some(days) = &self.fetch.data {
            if days.is_empty() {
                frame.render_widget(
                    Paragraph::new(Line::styled("No statistics for this period", theme.dim())),
                    row(inner, 5),
                );
            } else {
                draw_chart(frame, theme, chart_area, days, self.metric);
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

    fn on_key(app: &mut App, key: KeyEvent) -> Vec<Command> {
        let view = &mut app.views.stats;
        match app.keymap.action_for(keys::Scope::Stats, &key) {
            Some(Action::Close) => app.view = None,
            Some(Action::Period) => {
                let (at, len) = (view.period, STATS_PERIODS.len());
                view.period = if key.code == ratatui::crossterm::event::KeyCode::Left {
                    (at + len - 1) % len
                } else {
                    (at + 1) % len
                };
                view.fetch.ask();
                return vec![Command::LoadStats { days: view.days() }];
            }
            Some(Action::Chart) => {
                let at = Metric::ALL
                    .iter()
                    .position(|m| *m == view.metric)
                    .unwrap_or(0);
                view.metric = Metric::ALL[(at + 1) % Metric::ALL.len()];
            }
            Some(Action::Refresh) => {
                view.fetch.loading = true;
                return vec![
                    Command::LoadStats { days: view.days() },
                    Command::LoadAccount,
                ];
            }
            _ => {}
        }
        Vec::new()
    }
}

fn number(n: f64, metric: Metric) -> String {
    match metric {
        Metric::Profit => format!("${n:.2}"),
        _ => format::count(n.round() as u64),
    }
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
