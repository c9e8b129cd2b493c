//! The figures view (`5`): the panel's year so far, from the report model `fairpanel report`
//! writes (`domain::report`), built by the runtime from the log. Left: a bar chart of Fair
//! Access school places per school against its even share by roll; right: the school days
//! children waited from agreement to allocation, as a histogram, with the median, the 90th
//! percentile and the children still waiting. Nothing here is counted: it is all the report's.

use ratatui::Frame;
use ratatui::layout::{Direction, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Bar, BarChart, BarGroup};

use super::Theme;
use super::paint::{Layout, block, fit, paint};
use crate::app::{App, Focus};
use crate::domain::report::Report;

/// The report, or the words to show instead.
fn report<'a>(
    app: &'a App,
    t: &Theme,
    frame: &mut Frame,
    area: Rect,
    title: &str,
    focused: bool,
) -> Option<&'a Report> {
    let words = match app.figures() {
        Some(Ok(r)) => return Some(r),
        Some(Err(e)) => format!("No figures: {e}"),
        None => "Counting the year's figures from the log…".to_owned(),
    };
    paint(
        frame,
        area,
        vec![Line::styled(words, t.dim())],
        Some(block(t, title, focused)),
        Layout::wrapped(0),
    );
    None
}

/// Placements per school against fair share: one bar a school, most placements first, its
/// value and even share written on it (never the bar's length alone), `▲` where a school has
/// more than its share.
pub(super) fn chart(app: &App, t: &Theme, frame: &mut Frame, area: Rect) {
    let focused = app.focus() == Focus::List;
    let title = " Placements per school vs fair share ";
    let Some(r) = report(app, t, frame, area, title, focused) else {
        return;
    };
    let b = block(t, title, focused);
    let inner = b.inner(area);
    frame.render_widget(b, area);
    if inner.height < 2 || inner.width < 20 {
        return;
    }
    let rows = usize::from(inner.height - 1);
    let start = app
        .figures_nav()
        .selected
        .min(r.schools.len().saturating_sub(rows));
    let shown: Vec<_> = r.schools.iter().skip(start).take(rows).collect();
    let label_w = usize::from(inner.width / 3).clamp(8, 22);
    let bars: Vec<Bar> = shown
        .iter()
        .map(|s| {
            let even: f64 = s.even_share.parse().unwrap_or(0.0);
            let over = !s.placed.hidden && f64::from(s.placed.n) > even + 0.5;
            let text = format!(
                "{}{} · share {}",
                if over { "▲ " } else { "" },
                s.placed.text(),
                s.even_share
            );
            Bar::default()
                .value(u64::from(s.placed.n))
                .label(Line::from(fit(&s.name, label_w)))
                .text_value(text)
                .style(if over { t.warn() } else { t.ok() })
        })
        .collect();
    let max = r
        .schools
        .iter()
        .map(|s| u64::from(s.placed.n))
        .max()
        .unwrap_or(0);
    let chart = BarChart::default()
        .direction(Direction::Horizontal)
        .bar_width(1)
        .bar_gap(0)
        .max(max.max(1))
        .data(BarGroup::default().bars(&bars));
    frame.render_widget(
        chart,
        Rect {
            height: inner.height - 1,
            ..inner
        },
    );
    let foot = format!(
        "{}–{} of {} schools · ↑↓ scroll",
        (start + 1).min(r.schools.len()),
        start + shown.len(),
        r.schools.len(),
    );
    paint(
        frame,
        Rect {
            y: inner.y + inner.height - 1,
            height: 1,
            ..inner
        },
        vec![Line::styled(foot, t.dim())],
        None,
        Layout::default(),
    );
}

/// School days from agreement to allocation: the histogram, and the figures in words above it.
pub(super) fn waits(app: &App, t: &Theme, frame: &mut Frame, area: Rect) {
    let focused = app.focus() == Focus::Detail;
    let title = " School days waited ";
    let Some(r) = report(app, t, frame, area, title, focused) else {
        return;
    };
    let b = block(t, title, focused);
    let inner = b.inner(area);
    frame.render_widget(b, area);
    let mut lines = Vec::new();
    if let Some(w) = r.waits.first() {
        lines.push(Line::from(format!(
            "Agreed → allocated: {} children",
            w.children.text()
        )));
        lines.push(Line::from(format!(
            "median {} · 90th percentile {}",
            w.median.map_or_else(|| "–".to_owned(), |m| m.to_string()),
            w.p90.map_or_else(|| "–".to_owned(), |m| m.to_string()),
        )));
        lines.push(Line::styled(
            format!("{} past the aim", w.over_aim.text()),
            t.warn(),
        ));
    }
    let s = &r.still_waiting;
    lines.push(Line::from(format!(
        "Still waiting: {} · {} past the aim",
        s.children.text(),
        s.overdue.text()
    )));
    let text_h = (lines.len() as u16).min(inner.height);
    paint(
        frame,
        Rect {
            height: text_h,
            ..inner
        },
        lines,
        None,
        Layout::wrapped(0),
    );
    let chart_area = Rect {
        y: inner.y + text_h,
        height: inner.height.saturating_sub(text_h),
        ..inner
    };
    if chart_area.height < 3 {
        return;
    }
    let bars: Vec<Bar> = r
        .wait_histogram
        .iter()
        .map(|bin| {
            let over = bin.from > 20;
            Bar::default()
                .value(u64::from(bin.children.n))
                // "≤10" fits a narrow bar where "6–10" would not.
                .label(Line::from(match bin.to {
                    Some(h) => format!("≤{h}"),
                    None => format!("{}+", bin.from),
                }))
                .text_value(bin.children.text())
                .style(if over { t.warn() } else { t.ok() })
        })
        .collect();
    // Bars as wide as the bins' labels ("≤15") or wider, with a gap when that still fits.
    let n = (bars.len() as u16).max(1);
    let gap = u16::from((chart_area.width.saturating_sub(n - 1)) / n >= 4);
    let width = (chart_area.width.saturating_sub(gap * (n - 1)) / n).clamp(1, 6);
    let chart = BarChart::default()
        .bar_width(width)
        .bar_gap(gap)
        .data(BarGroup::default().bars(&bars));
    frame.render_widget(chart, chart_area);
}
