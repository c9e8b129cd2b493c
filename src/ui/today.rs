//! Today (`4`): the agenda line, then every entry of this meeting's log in the order it was
//! recorded (attendance, who joined, agreements to consider, declarations, decisions and their
//! corrections), and the selected entry in full. Enter goes to the entry's case in the queue.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::paint::{Layout, block, paint};
use super::queue::list_frame;
use super::{Theme, end_scroll, field, pad, school_name, window};
use crate::app::{App, Focus};
use crate::domain::event::{Entry, Event};
use crate::domain::words;

/// One entry as a line of the list: what happened, in words, with its case reference.
fn entry_line(app: &App, e: &Entry) -> String {
    match &e.event {
        Event::CaseloadOpened { revision, .. } => format!("Caseload revision {revision} opened"),
        Event::CaseAdded { case } => {
            format!("{}: case added ({})", case.reference, case.kind.label())
        }
        Event::CaseAmended { case, .. } => format!("{}: case amended", case.reference),
        Event::Attendance {
            member,
            status,
            time,
        } => format!(
            "{member}: {}{}",
            words::attendance(*status),
            time.as_deref()
                .map_or(String::new(), |t| format!(" at {t}"))
        ),
        Event::Joined(g) => format!(
            "{} joined{}",
            g.name,
            g.substitute_for
                .as_deref()
                .map_or(" as a guest".to_owned(), |m| format!(
                    ", substitute for {m}"
                ))
        ),
        Event::AgreedToConsider { case_ref, .. } => format!("{case_ref}: agreed to consider"),
        Event::Declaration {
            member,
            case_ref,
            withdrew,
            ..
        } => format!(
            "{case_ref}: interest declared by {member}{}",
            if *withdrew { ", withdrew" } else { "" }
        ),
        Event::Decision(d) => {
            let school = d.urn.map(|u| school_name(app, u));
            let what = words::decision_sentence(d, school.as_deref());
            match e.supersedes {
                Some(old) => format!("Correction of #{old}: {what}"),
                None => what,
            }
        }
    }
}

pub(super) fn list(app: &App, t: &Theme, frame: &mut Frame, area: Rect) {
    let nav = app.today_nav();
    let state = app.meeting().state();
    let entries: Vec<&Entry> = state.own_entries().collect();
    let rows = usize::from(area.height.saturating_sub(3));
    let w = usize::from(area.width.saturating_sub(2));
    let start = window(nav.selected, rows);
    let mut lines = Vec::new();
    for (i, e) in entries.iter().enumerate().skip(start).take(rows) {
        let sel = i == nav.selected;
        let base = if sel { t.selected() } else { Style::new() };
        let mark = if state.superseded_by(e.id).is_some() {
            "✗ "
        } else {
            "  "
        };
        let text = format!(
            "{}#{:<3} {mark}{}",
            if sel { "▶ " } else { "  " },
            e.id,
            entry_line(app, e)
        );
        lines.push(Line::styled(pad(&text, w), base));
    }
    if entries.is_empty() {
        lines.push(Line::styled(
            "  nothing recorded at this meeting yet",
            t.dim(),
        ));
    }
    let agenda = Line::styled(
        format!(
            "  {}",
            super::agenda(&app.meeting().summary(), w.saturating_sub(2))
        ),
        t.label(),
    );
    list_frame(
        frame,
        area,
        &format!(
            " Today · {} ",
            words::count(entries.len() as i64, "entry", "entries")
        ),
        app.focus() == Focus::List,
        t,
        Some(agenda),
        lines,
    );
}

pub(super) fn detail(app: &App, t: &Theme, frame: &mut Frame, area: Rect) {
    let w = usize::from(area.width.saturating_sub(2));
    let state = app.meeting().state();
    let b = block(t, " Entry ", app.focus() == Focus::Detail);
    let Some(e) = state.own_entry(app.today_nav().selected) else {
        paint(
            frame,
            area,
            vec![Line::raw("Nothing recorded at this meeting yet.")],
            Some(b),
            Layout::default(),
        );
        return;
    };
    let raw = |s: String| vec![Span::raw(s)];
    let mut lines = vec![Line::styled(
        format!("#{} · {}", e.id, entry_line(app, e)),
        t.label(),
    )];
    if let Some(by) = state.superseded_by(e.id) {
        lines.extend(field(
            t,
            w,
            "Superseded",
            vec![Span::styled(format!("✗ by #{by}"), t.dim())],
        ));
    }
    if let (Some(old), Some(reason)) = (e.supersedes, &e.correction_reason) {
        lines.extend(field(
            t,
            w,
            "Corrects",
            raw(format!("#{old}, because: {reason}")),
        ));
    }
    match &e.event {
        Event::Decision(d) => {
            lines.extend(field(t, w, "Outcome", raw(d.outcome.label().to_owned())));
            if let Some(u) = d.urn {
                lines.extend(field(
                    t,
                    w,
                    "School",
                    raw(format!("{} · URN {u}", school_name(app, u))),
                ));
            }
            if let Some(s) = d.start_date {
                lines.extend(field(t, w, "Start", raw(s.long())));
            }
            if let Some(r) = d.review_date {
                lines.extend(field(t, w, "Review", raw(r.long())));
            }
            lines.extend(field(t, w, "Reasons", raw(d.reasons.clone())));
            lines.extend(field(t, w, "Agreed by", raw(d.agreed_by.join(", "))));
            if !d.dissent.is_empty() {
                lines.extend(field(t, w, "Dissent", raw(d.dissent.join(", "))));
            }
            if let Some(o) = &d.override_reason {
                lines.extend(field(t, w, "Override", raw(o.clone())));
            }
        }
        Event::Declaration { interest, .. } => {
            lines.extend(field(t, w, "Interest", raw(interest.clone())));
        }
        Event::Joined(g) => {
            lines.extend(field(t, w, "Organisation", raw(g.organisation.clone())));
            lines.extend(field(t, w, "Role", raw(g.role.clone())));
            if let Some(u) = g.urn {
                lines.extend(field(t, w, "School", raw(school_name(app, u))));
            }
            lines.extend(field(
                t,
                w,
                "Can decide",
                raw(if g.can_decide { "yes" } else { "no" }.to_owned()),
            ));
        }
        _ => {}
    }
    if e.event.case_ref().is_some() {
        lines.push(Line::default());
        lines.push(Line::styled("Enter goes to the case in the queue", t.dim()));
    }
    let scroll = end_scroll(app.detail_scroll(), lines.len(), area);
    paint(frame, area, lines, Some(b), Layout::wrapped(scroll));
}
