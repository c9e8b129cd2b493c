//! The attendance picker: every member with their latest attendance, a filter, and the status
//! chooser; the title says whether the meeting is quorate.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::paint::{Layout, paint};
use super::widgets::{clip, modal_block};
use super::{Theme, fit};
use crate::app::App;
use crate::app::form::{AttendancePick, STATUSES};
use crate::domain::event::Attendance;
use crate::domain::state::Quorum;
use crate::domain::words;

/// "✓ quorate · 7 present, 5 can decide" / "✗ not quorate · 2 present of 4 needed, 1 can
/// decide of 3 needed": a count is never put over a smaller one ("7 of 4 present").
pub(super) fn quorum_words(q: &Quorum) -> String {
    let of = |n: usize, needed: usize| {
        if n >= needed {
            n.to_string()
        } else {
            format!("{n} of {needed} needed")
        }
    };
    format!(
        "{} · {} present, {} can decide",
        if q.is_quorate() {
            "✓ quorate"
        } else {
            "✗ not quorate"
        },
        of(q.present, q.needed_present),
        of(q.can_decide, q.needed_can_decide)
    )
}

fn attendance_mark(a: Option<Attendance>, t: &Theme) -> Span<'static> {
    match a {
        Some(Attendance::Present) => Span::styled("✓ present     ", t.ok()),
        Some(Attendance::ArrivedLate) => Span::styled("✓ arrived late", t.ok()),
        Some(Attendance::Apologies) => Span::styled("✗ apologies   ", t.dim()),
        Some(Attendance::Left) => Span::styled("✗ left        ", t.dim()),
        None => Span::styled("· not recorded", t.dim()),
    }
}

pub(super) fn attendance(app: &App, t: &Theme, frame: &mut Frame, area: Rect, p: &AttendancePick) {
    let q = app.meeting().quorum();
    let title = format!(" Attendance · {} ", quorum_words(&q));
    let w = usize::from(area.width.saturating_sub(2));
    let mut lines = vec![Line::from(vec![
        Span::styled("/ ", t.label()),
        Span::raw(format!(
            "{}{}",
            p.input.value(),
            if p.choosing.is_none() { "▏" } else { "" }
        )),
        Span::styled(
            format!(
                "  {} of {} members",
                p.hits.len(),
                app.caseload().panel.members.len()
            ),
            t.dim(),
        ),
    ])];
    for (row, m) in p.hits.iter().enumerate() {
        let Some(member) = app.caseload().panel.members.get(*m) else {
            continue;
        };
        let sel = row == p.selected;
        let base = if sel && p.choosing.is_none() {
            t.selected()
        } else {
            Style::new()
        };
        let mut spans = vec![
            Span::styled(if sel { "▶ " } else { "  " }, base),
            attendance_mark(
                app.meeting()
                    .state()
                    .attendance()
                    .get(&member.name)
                    .copied(),
                t,
            )
            .patch_style(base),
        ];
        let rest = format!(
            " {} · {} · {}{}",
            member.name,
            member.role,
            member.organisation,
            if member.can_decide {
                " · can decide"
            } else {
                ""
            }
        );
        spans.push(Span::styled(fit(&rest, w.saturating_sub(16)), base));
        lines.push(Line::from(spans));
    }
    if p.hits.is_empty() {
        lines.push(Line::styled("  no member matches", t.dim()));
    }
    if let Some((m, st)) = p.choosing
        && let Some(member) = app.caseload().panel.members.get(m)
    {
        lines.push(Line::default());
        lines.push(Line::styled(
            fit(&format!("Status of {}:", member.name), w),
            t.label(),
        ));
        for (i, a) in STATUSES.iter().enumerate() {
            let sel = i == st;
            lines.push(Line::styled(
                format!("{}{}", if sel { "▶ " } else { "  " }, words::attendance(*a)),
                if sel { t.selected() } else { Style::new() },
            ));
        }
    }
    let lines: Vec<Line> = lines.into_iter().map(|l| clip(l, w)).collect();
    let b = modal_block(t, &fit(&title, w));
    paint(frame, area, lines, Some(b), Layout::default());
}
