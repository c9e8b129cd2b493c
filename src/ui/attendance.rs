//! The attendance picker: every member with their latest attendance, a filter, and the status
//! chooser; the title says whether the meeting is quorate.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::paint::{Layout, paint};
use super::widgets::{clip, modal_block};
use super::{Theme, fit, window};
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

/// A person's latest attendance: symbol and words, never colour alone; "invited, absent" is
/// not "not recorded".
fn attendance_mark(a: Option<Attendance>, t: &Theme) -> Span<'static> {
    match a {
        Some(Attendance::Present) => Span::styled("✓ present        ", t.ok()),
        Some(Attendance::ArrivedLate) => Span::styled("✓ arrived late   ", t.ok()),
        Some(Attendance::Apologies) => Span::styled("✗ apologies      ", t.dim()),
        Some(Attendance::Left) => Span::styled("✗ left           ", t.dim()),
        Some(Attendance::InvitedAbsent) => Span::styled("✗ invited, absent", t.warn()),
        None => Span::styled("· not recorded   ", t.dim()),
    }
}

pub(super) fn attendance(app: &App, t: &Theme, frame: &mut Frame, area: Rect, p: &AttendancePick) {
    let q = app.meeting().quorum();
    let title = format!(" Attendance · {} ", quorum_words(&q));
    let w = usize::from(area.width.saturating_sub(2));
    let state = app.meeting().state();
    let people = state.people(app.caseload());
    let mut lines = vec![Line::from(vec![
        Span::styled("/ ", t.label()),
        Span::raw(format!(
            "{}{}",
            p.input.value(),
            if p.choosing.is_none() { "▏" } else { "" }
        )),
        Span::styled(format!("  {} of {}", p.hits.len(), people.len()), t.dim()),
    ])];
    let height = usize::from(area.height.saturating_sub(3));
    // Room below the list for the status chooser when one is open.
    let list_rows = if p.choosing.is_some() {
        height.saturating_sub(STATUSES.len() + 2).max(1)
    } else {
        height.saturating_sub(1).max(1)
    };
    let first = window(p.selected.min(p.hits.len()), list_rows);
    for (row, m) in p.hits.iter().enumerate().skip(first).take(list_rows) {
        let Some(member) = people.get(*m) else {
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
            attendance_mark(state.attendance().get(&member.name).copied(), t).patch_style(base),
        ];
        // What the room asks about first (who stands in, when someone came or went), then
        // role and organisation.
        let mut rest = format!(" {}", member.name);
        if let Some(g) = state.guests().iter().find(|g| g.name == member.name) {
            match &g.substitute_for {
                Some(s) => rest.push_str(&format!(" · substitute for {s}")),
                None => rest.push_str(" · guest"),
            }
        }
        if let Some(at) = state.arrived_at(&member.name) {
            rest.push_str(&format!(" · arrived {at}"));
        }
        if let Some(at) = state.left_at(&member.name) {
            rest.push_str(&format!(" · left {at}"));
        }
        rest.push_str(&format!(" · {} · {}", member.role, member.organisation));
        if member.can_decide {
            rest.push_str(" · can decide");
        }
        spans.push(Span::styled(rest, base));
        lines.push(Line::from(spans));
    }
    if p.hits.is_empty() {
        lines.push(Line::styled("  no one matches", t.dim()));
    }
    let on_join = p.on_join_row() && p.choosing.is_none();
    lines.push(Line::styled(
        format!(
            "{}+ someone joined: a substitute or a guest (Enter)",
            if on_join { "▶ " } else { "  " }
        ),
        if on_join { t.selected() } else { t.dim() },
    ));
    if let Some((m, st)) = p.choosing
        && let Some(member) = people.get(m)
    {
        lines.push(Line::default());
        lines.push(Line::styled(
            fit(&format!("Status of {}:", member.name), w),
            t.label(),
        ));
        for (i, a) in STATUSES.iter().enumerate() {
            let sel = i == st;
            let when = match a {
                Attendance::ArrivedLate | Attendance::Left => " (the time is recorded)",
                Attendance::InvitedAbsent => " (asked to attend, did not come)",
                _ => "",
            };
            lines.push(Line::styled(
                format!(
                    "{}{}{when}",
                    if sel { "▶ " } else { "  " },
                    words::attendance(*a)
                ),
                if sel { t.selected() } else { Style::new() },
            ));
        }
    }
    let lines: Vec<Line> = lines.into_iter().map(|l| clip(l, w)).collect();
    let b = modal_block(t, &fit(&title, w));
    paint(frame, area, lines, Some(b), Layout::default());
}
