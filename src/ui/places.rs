//! AP and specialist places: the strip under the queue, the places view and one provision's
//! pools, every figure live from the meeting view (offered, less used before, less taken).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::paint::{Layout, block, paint};
use super::queue::list_frame;
use super::{Theme, end_scroll, field, pad, window};
use crate::app::{App, Focus};
use crate::domain::caseload::Provision;

fn free_summary(app: &App, p: &Provision) -> String {
    p.pools
        .iter()
        .map(|x| {
            format!(
                "{} {} free of {}",
                x.group,
                app.meeting().pool_left(p.urn, x),
                x.offered
            )
        })
        .collect::<Vec<_>>()
        .join(" · ")
}

fn provision_name(app: &App, p: &Provision) -> String {
    match app.school(p.urn) {
        Some(s) => {
            let kind = if s.pru {
                "PRU"
            } else if s.special {
                "special"
            } else if s.ap {
                "AP"
            } else {
                "school"
            };
            format!("{} ({kind})", s.name)
        }
        None => format!("URN {}", p.urn),
    }
}

pub(super) fn strip(app: &App, t: &Theme, frame: &mut Frame, area: Rect) {
    let free = app.meeting().summary().free_places;
    let mut lines = Vec::new();
    for p in &app.caseload().places {
        let mut spans = vec![
            Span::styled(provision_name(app, p), t.label()),
            Span::raw("  "),
        ];
        spans.push(Span::raw(free_summary(app, p)));
        if let Some(f) = p.free_from {
            spans.push(Span::styled(format!(" · from {}", f.long()), t.warn()));
        }
        lines.push(Line::from(spans));
    }
    if lines.is_empty() {
        lines.push(Line::styled(
            "no AP or specialist places offered at this meeting",
            t.dim(),
        ));
    }
    let b = block(t, &format!(" Places · {free} free (3 for details) "), false);
    paint(frame, area, lines, Some(b), Layout::default());
}

pub(super) fn list(app: &App, t: &Theme, frame: &mut Frame, area: Rect) {
    let nav = app.places_nav();
    let rows = usize::from(area.height.saturating_sub(3));
    let w = usize::from(area.width.saturating_sub(4));
    let start = window(nav.selected, rows);
    let mut lines = Vec::new();
    for (i, p) in app
        .caseload()
        .places
        .iter()
        .enumerate()
        .skip(start)
        .take(rows)
    {
        let sel = i == nav.selected;
        let base = if sel { t.selected() } else { Style::new() };
        let free: i64 = p
            .pools
            .iter()
            .map(|x| app.meeting().pool_left(p.urn, x))
            .sum();
        let text = format!(
            "{} {} · {free} free",
            if sel { "▶" } else { " " },
            provision_name(app, p)
        );
        lines.push(Line::styled(pad(&text, w), base));
    }
    let total = app.caseload().places.len();
    list_frame(
        frame,
        area,
        &format!(" Places · {total} provisions "),
        app.focus() == Focus::List,
        t,
        None,
        lines,
    );
}

pub(super) fn detail(app: &App, t: &Theme, frame: &mut Frame, area: Rect) {
    let w = usize::from(area.width.saturating_sub(2));
    let b = block(t, " Provision ", app.focus() == Focus::Detail);
    let Some(p) = app.caseload().places.get(app.places_nav().selected) else {
        paint(
            frame,
            area,
            vec![Line::raw("No AP or specialist places in this caseload.")],
            Some(b),
            Layout::default(),
        );
        return;
    };
    let mut lines = vec![
        Line::styled(provision_name(app, p), t.label()),
        Line::default(),
    ];
    for x in &p.pools {
        let left = app.meeting().pool_left(p.urn, x);
        let taken = app.meeting().places_taken(p.urn, x.group);
        let style = if left == 0 { t.dim() } else { t.ok() };
        let sym = if left == 0 { "✗ full" } else { "✓ free" };
        let at_meeting = if taken > 0 {
            format!(", {taken} taken at this meeting")
        } else {
            String::new()
        };
        lines.extend(field(
            t,
            w,
            &x.group.to_string(),
            vec![Span::styled(
                format!(
                    "{sym}: {left} of {} ({} used before the meeting{at_meeting})",
                    x.offered, x.used
                ),
                style,
            )],
        ));
    }
    if let Some(f) = p.free_from {
        lines.extend(field(
            t,
            w,
            "Free from",
            vec![Span::styled(f.long(), t.warn())],
        ));
    }
    for (i, c) in p.conditions.iter().enumerate() {
        lines.extend(field(
            t,
            w,
            if i == 0 { "Conditions" } else { "" },
            vec![Span::raw(c.clone())],
        ));
    }
    let scroll = end_scroll(app.detail_scroll(), lines.len(), area);
    paint(frame, area, lines, Some(b), Layout::wrapped(scroll));
}
