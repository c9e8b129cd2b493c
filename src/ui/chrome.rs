//! The frame around every view: the title bar (panel, date, DEMO, quorum, screen-share), the
//! status line (the last action, or the meeting's counts) and the key hints.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthStr;

use super::paint::{Layout, paint, shown_width};
use super::{Theme, fit, pad};
use crate::app::{App, Source, keymap};
use crate::domain::words;

/// The title bar: the panel and the meeting's date on the left, the badges on the right. When
/// the width runs short the app's name goes first, then the quorum badge's counts, then the
/// panel's name is cut and at last dropped: the date and the screen-share badge always show.
pub(super) fn title(app: &App, t: &Theme, frame: &mut Frame, area: Rect) {
    let p = &app.caseload().panel;
    let date = p.meeting_date.long();
    let q = app.meeting().quorum();
    let badges = |compact: bool| {
        let mut badges = Vec::new();
        if *app.source() == Source::Demo {
            badges.push(Span::styled(
                " DEMO ",
                t.warn().add_modifier(Modifier::REVERSED),
            ));
            badges.push(Span::raw(" "));
        }
        let style = if q.is_quorate() { t.ok() } else { t.warn() };
        let text = match (q.is_quorate(), compact) {
            (true, false) => format!(" ✓ quorate · {} present ", q.present),
            (true, true) => " ✓ quorate ".to_owned(),
            (false, false) if q.present < q.needed_present => format!(
                " ✗ not quorate · {} of {} present ",
                q.present, q.needed_present
            ),
            (false, false) => format!(
                " ✗ not quorate · {} of {} can decide ",
                q.can_decide, q.needed_can_decide
            ),
            (false, true) => " ✗ not quorate ".to_owned(),
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
        badges
    };
    let width = usize::from(area.width);
    let badge_w = |b: &[Span]| b.iter().map(|s| s.content.width()).sum::<usize>();
    // Widths are of the text as shown: a name from a file is measured escaped.
    let name = &p.name;
    let tail = format!(" · {date}");
    let with_brand = format!(" fairpanel · {name}{tail}");
    let plain = format!(" {name}{tail}");
    let tries = [
        (&with_brand, false),
        (&plain, false),
        (&with_brand, true),
        (&plain, true),
    ];
    let fits =
        |left: &String, compact: bool| shown_width(left) + 1 + badge_w(&badges(compact)) <= width;
    let (left, badges) = match tries.iter().find(|(l, c)| fits(l, *c)) {
        Some((l, c)) => ((*l).clone(), badges(*c)),
        None => {
            let b = badges(true);
            let room = width.saturating_sub(badge_w(&b) + 1);
            let name_room = room.saturating_sub(tail.width() + 1);
            let left = if name_room >= 8 {
                format!(" {}{tail}", fit(name, name_room))
            } else {
                format!(" {date}")
            };
            (left, b)
        }
    };
    let room = width.saturating_sub(badge_w(&badges) + 1);
    let mut spans = vec![Span::styled(pad(&left, room), t.label()), Span::raw(" ")];
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
            " {} · {} overdue · {}",
            super::agenda(&s, usize::MAX),
            s.overdue,
            words::count(s.free_places, "free place", "free places")
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

/// The key hints; when they do not fit, the lowest-priority hints go first (the last of them
/// first), so the meeting's keys, help and quit always show.
pub(super) fn hints(app: &App, t: &Theme, frame: &mut Frame, area: Rect) {
    let mut all = keymap::hints(app.scope(), |a| app.offers(a));
    let width = |h: &[(String, &str, u8)]| {
        h.iter()
            .map(|(k, w, _)| k.width() + w.width() + 3)
            .sum::<usize>()
    };
    while width(&all) > usize::from(area.width) && all.len() > 1 {
        let low = all.iter().map(|h| h.2).min().unwrap_or(0);
        if let Some(i) = all.iter().rposition(|h| h.2 == low) {
            all.remove(i);
        }
    }
    let mut spans = Vec::new();
    for (k, what, _) in all {
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
