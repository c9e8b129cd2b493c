//! The frame around every view: the title bar (panel, date, DEMO, quorum, screen-share), the
//! status line (the last action, or the meeting's counts) and the key hints.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthStr;

use super::paint::{Layout, paint};
use super::{Theme, fit, pad};
use crate::app::{App, Source, keymap};

pub(super) fn title(app: &App, t: &Theme, frame: &mut Frame, area: Rect) {
    let p = &app.caseload().panel;
    let mut left = format!(" fairpanel · {} · {}", p.name, p.meeting_date.long());
    let mut badges = Vec::new();
    if *app.source() == Source::Demo {
        badges.push(Span::styled(
            " DEMO ",
            t.warn().add_modifier(Modifier::REVERSED),
        ));
        badges.push(Span::raw(" "));
    }
    let q = app.meeting().quorum();
    let style = if q.is_quorate() { t.ok() } else { t.warn() };
    let text = if q.is_quorate() {
        format!(" ✓ quorate {}/{} ", q.present, q.needed_present)
    } else {
        format!(" ✗ not quorate {}/{} ", q.present, q.needed_present)
    };
    badges.push(Span::styled(text, style.add_modifier(Modifier::BOLD)));
    badges.push(Span::raw(" "));
    if app.screen_share() {
        badges.push(Span::styled(
            " SCREEN-SHARE ",
            t.ok().add_modifier(Modifier::REVERSED | Modifier::BOLD),
        ));
    } else {
        badges.push(Span::styled(
            " NAMES SHOWN ",
            t.bad().add_modifier(Modifier::REVERSED),
        ));
    }
    let badge_w: usize = badges.iter().map(|s| s.content.width()).sum();
    let room = usize::from(area.width).saturating_sub(badge_w + 1);
    left = pad(&left, room);
    let mut spans = vec![Span::styled(left, t.label()), Span::raw(" ")];
    spans.extend(badges);
    paint(
        frame,
        area,
        vec![Line::from(spans)],
        None,
        Layout::default(),
    );
}

/// The last action, or when there is none the meeting's counts from the meeting view.
pub(super) fn status(app: &App, t: &Theme, frame: &mut Frame, area: Rect) {
    let text = if app.status().is_empty() {
        let s = app.meeting().summary();
        format!(
            " {} cases · {} agreed · {} overdue · {} free places",
            s.cases, s.agreed, s.overdue, s.free_places
        )
    } else {
        format!(" {}", app.status())
    };
    paint(
        frame,
        area,
        vec![Line::styled(fit(&text, usize::from(area.width)), t.label())],
        None,
        Layout::default(),
    );
}

/// The key hints; when they do not fit, hints are dropped from the middle so the first ones and
/// the last two (`? help`, `q quit`) always show.
pub(super) fn hints(app: &App, t: &Theme, frame: &mut Frame, area: Rect) {
    let mut all = keymap::hints(app.scope());
    let width = |h: &[(String, &str)]| {
        h.iter()
            .map(|(k, w)| k.width() + w.width() + 3)
            .sum::<usize>()
    };
    while width(&all) > usize::from(area.width) && all.len() > 2 {
        all.remove(all.len() - 3);
    }
    let mut spans = Vec::new();
    for (k, what) in all {
        spans.push(Span::styled(format!(" {k}"), t.label()));
        spans.push(Span::styled(format!(" {what} "), t.dim()));
    }
    paint(
        frame,
        area,
        vec![Line::from(spans)],
        None,
        Layout::default(),
    );
}
