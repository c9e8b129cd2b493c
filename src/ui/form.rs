//! Drawing the meeting's modals: the decision and declaration forms, the confirm view, the
//! attendance picker and the "discard?" question. Every value from the caseload is escaped; every
//! state carries a symbol or word as well as any colour.

use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};
use tui_input::Input;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use super::{Theme, field, fit, pad, school_tag};
use crate::app::App;
use crate::caseload::model::{Gender, Sex};
use crate::form::{
    AttendancePick, Body, Confirm, DateField, DecisionDraft, Form, Modal, Row, STATUSES, Vote,
    date_field, status_label,
};
use crate::log::event::{Attendance, Event};
use crate::rules::Severity;
use crate::text::escape;

/// Width of the label column in forms.
const FORM_LABEL_W: usize = 19;
/// Width of a date input.
const DATE_W: usize = 12;

/// Where modals go: the body of the screen, between the title and the status line, at most
/// 120 columns wide and centred.
pub fn modal_area(area: Rect) -> Rect {
    let w = area.width.min(120);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + area.height.min(1),
        width: w,
        height: area.height.saturating_sub(3),
    }
}

pub(super) fn render(app: &App, t: &Theme, frame: &mut Frame) {
    let area = modal_area(frame.area());
    if area.height < 3 || area.width < 10 {
        return;
    }
    if let Some(m) = &app.modal {
        frame.render_widget(Clear, area);
        match m {
            Modal::Form(f) => form(app, t, frame, area, f),
            Modal::Confirm(c) => confirm(app, t, frame, area, c),
            Modal::Attendance(p) => attendance(app, t, frame, area, p),
        }
        if app.quit_ask {
            quit_ask(t, frame, area, m.noun());
        }
    }
}

/// Cuts a line to `w` columns, ending in an ellipsis when cut (ux.md: nothing cut silently).
fn clip(line: Line<'static>, w: usize) -> Line<'static> {
    if line.width() <= w {
        return line;
    }
    let mut out = Vec::new();
    let mut used = 0;
    for span in line.spans {
        let sw = span.content.width();
        if used + sw < w {
            used += sw;
            out.push(span);
            continue;
        }
        let room = w - used;
        out.push(Span::styled(
            fit(&format!("{}…", span.content), room),
            span.style,
        ));
        break;
    }
    Line::from(out)
}

/// Wraps `text` to `w` columns at spaces; continuation lines are indented two columns.
fn hanging(text: &str, w: usize, style: Style) -> Vec<Line<'static>> {
    let w = w.max(12);
    let mut lines = Vec::new();
    let mut cur = String::new();
    for word in text.split(' ') {
        let indent = if lines.is_empty() { 0 } else { 2 };
        if !cur.is_empty() && indent + cur.width() + 1 + word.width() > w {
            lines.push(std::mem::take(&mut cur));
        }
        if !cur.is_empty() {
            cur.push(' ');
        }
        cur.push_str(word);
    }
    lines.push(cur);
    lines
        .into_iter()
        .enumerate()
        .map(|(i, l)| Line::styled(if i == 0 { l } else { format!("  {l}") }, style))
        .collect()
}

fn modal_block<'a>(t: &Theme, title: String) -> Block<'a> {
    Block::default()
        .borders(Borders::ALL)
        .border_style(t.border(true))
        .title(Span::styled(title, t.label()))
}

/// The case as a shared screen may name it: reference and initials (names only when
/// screen-share is off).
fn case_heading(app: &App, case: usize) -> String {
    app.caseload.cases.get(case).map_or_else(String::new, |c| {
        format!(
            "{} · {} · {}",
            escape(&c.reference),
            escape(&app.pupil_label(c)),
            c.kind.label()
        )
    })
}

/// A text input as shown: the visible window of its value, with a cursor when focused, padded
/// to `w` columns and underlined so an empty field still shows where to type.
fn input_spans(input: &Input, focused: bool, w: usize, t: &Theme) -> Vec<Span<'static>> {
    let w = w.max(4);
    let field_style = Style::new().add_modifier(Modifier::UNDERLINED);
    if !focused {
        let v = escape(input.value());
        return vec![Span::styled(pad(&v, w), field_style)];
    }
    // Leave one column for the cursor.
    let room = w - 1;
    let scroll = input.visual_scroll(room);
    let mut before = String::new();
    let mut after = String::new();
    let mut col = 0usize;
    for (i, c) in input.value().chars().enumerate() {
        let cw = c.width().unwrap_or(0);
        if col < scroll {
            col += cw;
            continue;
        }
        if col + cw > scroll + room {
            break;
        }
        let shown = escape(&c.to_string()).into_owned();
        if i < input.cursor() {
            before.push_str(&shown);
        } else {
            after.push_str(&shown);
        }
        col += cw;
    }
    let used = before.width() + 1 + after.width();
    let mut spans = vec![
        Span::styled(before, field_style),
        Span::styled("▏", field_style.patch(t.hit())),
        Span::styled(after, field_style),
    ];
    if used < w {
        spans.push(Span::styled(" ".repeat(w - used), field_style));
    }
    spans
}

/// One form row: marker, label, value spans.
fn row_line(t: &Theme, at: bool, label: &str, value: Vec<Span<'static>>) -> Line<'static> {
    let marker = if at { "▶ " } else { "  " };
    let label_style = if at {
        t.label().add_modifier(Modifier::REVERSED)
    } else {
        t.label()
    };
    let mut spans = vec![
        Span::styled(marker, t.label()),
        Span::styled(format!("{label:<w$}", w = FORM_LABEL_W - 1), label_style),
        Span::raw(" "),
    ];
    spans.extend(value);
    Line::from(spans)
}

fn date_hint(app: &App, f: &Form, d: &DecisionDraft, row: Row, t: &Theme) -> Span<'static> {
    let meeting = app.caseload.panel.meeting_date;
    match row {
        Row::Start => match date_field(&d.start) {
            DateField::Empty if d.outcome.places_child() => {
                Span::styled(format!("✗ required for {}", d.outcome.as_str()), t.bad())
            }
            DateField::Empty => Span::styled("optional · YYYY-MM-DD", t.dim()),
            DateField::Invalid => Span::styled("✗ not a date yet: YYYY-MM-DD", t.bad()),
            DateField::Valid(s) if s < meeting => {
                Span::styled(format!("✗ {}: before the meeting", s.long()), t.bad())
            }
            DateField::Valid(s) => {
                let year = app
                    .form_year(f)
                    .map_or("year group ?".to_owned(), |y| format!("{y} on this date"));
                if app.calendar.covers(s) && !app.calendar.is_school_day(s) {
                    Span::styled(
                        format!("! {}: not a school day · {year}", s.long()),
                        t.warn(),
                    )
                } else {
                    Span::styled(format!("✓ {} · {year}", s.long()), t.ok())
                }
            }
        },
        _ => match date_field(&d.review) {
            DateField::Empty if d.needs_review() => Span::styled(
                "✗ required: AP, managed move or reduced timetable (rule 11)",
                t.bad(),
            ),
            DateField::Empty => Span::styled("optional · YYYY-MM-DD", t.dim()),
            DateField::Invalid => Span::styled("✗ not a date yet: YYYY-MM-DD", t.bad()),
            DateField::Valid(r) => match date_field(&d.start) {
                DateField::Valid(s) if d.has_school() && r < s => {
                    Span::styled(format!("✗ {}: before the start date", r.long()), t.bad())
                }
                _ => Span::styled(format!("✓ {}", r.long()), t.ok()),
            },
        },
    }
}

fn form(app: &App, t: &Theme, frame: &mut Frame, area: Rect, f: &Form) {
    let title = match &f.body {
        Body::Decision(d) => match d.correcting {
            Some(id) => format!(" Correct decision {id} · {} ", case_heading(app, f.case)),
            None => format!(" Decision · {} ", case_heading(app, f.case)),
        },
        Body::Declaration(_) => format!(" Declare an interest · {} ", case_heading(app, f.case)),
    };
    let b = modal_block(t, fit(&title, usize::from(area.width.saturating_sub(2))));
    let inner = b.inner(area);
    frame.render_widget(b, area);
    let w = usize::from(inner.width);
    // The marker, the label and a space come before every value.
    let value_w = w.saturating_sub(FORM_LABEL_W + 2).max(8);
    let listed = app.listed_schools(f);
    let rows = f.rows(listed.len());
    let mut lines: Vec<Line> = Vec::new();
    let mut cursor_line = 0;
    if let Body::Decision(d) = &f.body
        && let Some(id) = d.correcting
    {
        lines.push(Line::styled(
            fit(
                &format!(
                    "  Decision {id} stays in the log, marked as superseded by this one, with the reason."
                ),
                w,
            ),
            t.dim(),
        ));
    }
    let session = app.session.as_ref();
    for row in &rows {
        let at = *row == f.cursor;
        if at {
            cursor_line = lines.len();
        }
        let text = |input: &Input, width: usize| input_spans(input, at, width, t);
        match (&f.body, *row) {
            (Body::Decision(d), Row::CorrectionReason) => {
                let mut v = text(&d.correction_reason, value_w);
                if d.correction_reason.value().trim().is_empty() && !at {
                    v = vec![Span::styled(
                        "✗ required: why the decision is corrected",
                        t.bad(),
                    )];
                }
                lines.push(row_line(t, at, "Why corrected", v));
            }
            (Body::Decision(d), Row::Outcome) => {
                let v = vec![
                    Span::styled(format!("◀ {} ▶", d.outcome.as_str()), t.label()),
                    Span::raw(format!("  {}", d.outcome.label())),
                ];
                lines.push(row_line(t, at, "Outcome", v));
            }
            (Body::Decision(d), Row::School) => {
                let input_w = (value_w / 3).clamp(12, 28);
                let mut v = text(&d.school_input, input_w);
                match d.school.and_then(|u| app.school(u)) {
                    Some(s) => v.push(Span::styled(
                        format!(" → {} · URN {}", escape(&s.name), s.urn),
                        t.ok(),
                    )),
                    None => v.push(Span::styled(
                        if d.school_input.value().trim().is_empty() {
                            " ✗ none yet: type a name, URN or postcode"
                        } else {
                            " ✗ no school matches"
                        },
                        t.bad(),
                    )),
                }
                lines.push(row_line(t, at, "School", v));
            }
            (Body::Decision(d), Row::SchoolHit(i)) => {
                let Some(s) = listed
                    .get(i)
                    .and_then(|x| app.school_order.get(*x))
                    .and_then(|x| app.caseload.schools.get(*x))
                else {
                    continue;
                };
                let chosen = d.school == Some(s.urn);
                let mark = if chosen { "✓ " } else { "  " };
                // Name and what matters for the choice first; the URN last, so a narrow
                // screen cuts that.
                let mut v = vec![Span::styled(
                    format!(
                        "{mark}{}",
                        fit(&escape(&s.name), (value_w * 2 / 3).clamp(20, 60))
                    ),
                    if chosen { t.ok() } else { Style::new() },
                )];
                if s.ap || s.pru || s.special {
                    let places = app
                        .form_year(f)
                        .and_then(|y| app.pool_for_year(s.urn, y).map(|p| (y, p)));
                    v.push(match places {
                        Some((_, (g, left, offered))) if left > 0 => {
                            Span::styled(format!(" · {g}: {left} of {offered} left"), t.ok())
                        }
                        Some((_, (g, _, offered))) => {
                            Span::styled(format!(" · ✗ {g}: none of {offered} left"), t.bad())
                        }
                        None => Span::styled(" · ✗ no places offered for this year group", t.bad()),
                    });
                }
                // Fit (rule 5), shown before the confirm view refuses it.
                if let Some(y) = app.form_year(f) {
                    let age = y.age_at_start();
                    if age < s.low_age || age >= s.high_age {
                        v.push(Span::styled(
                            format!(" · ✗ ages {}–{}", s.low_age, s.high_age),
                            t.bad(),
                        ));
                    }
                }
                let sex = app.caseload.cases.get(f.case).map(|c| c.pupil.sex);
                match (s.gender, sex) {
                    (Gender::Boys, Some(Sex::Female)) => {
                        v.push(Span::styled(" · ✗ boys only", t.bad()))
                    }
                    (Gender::Girls, Some(Sex::Male)) => {
                        v.push(Span::styled(" · ✗ girls only", t.bad()))
                    }
                    _ => {}
                }
                if s.ofsted_category.is_some() {
                    v.push(Span::styled(" · ! Ofsted concern", t.warn()));
                }
                v.push(Span::raw(format!(" · {} · URN {}", school_tag(s), s.urn)));
                lines.push(row_line(t, at, "", v));
            }
            (Body::Decision(d), Row::Start) => {
                let mut v = text(&d.start, DATE_W);
                v.push(Span::raw(" "));
                v.push(date_hint(app, f, d, Row::Start, t));
                lines.push(row_line(t, at, "Start date", v));
            }
            (Body::Decision(d), Row::Review) => {
                let mut v = text(&d.review, DATE_W);
                v.push(Span::raw(" "));
                v.push(date_hint(app, f, d, Row::Review, t));
                lines.push(row_line(t, at, "Review date", v));
            }
            (Body::Decision(d), Row::Package) => {
                let mut v = text(&d.package, value_w);
                if d.package.value().is_empty() && !at {
                    v = vec![Span::styled(
                        "optional: transport, AP sessions, reduced-timetable end…",
                        t.dim(),
                    )];
                }
                lines.push(row_line(t, at, "Package", v));
            }
            (Body::Decision(d), Row::Reduced) => {
                let v = if d.reduced {
                    vec![Span::styled("[x] yes: a review date is needed", t.warn())]
                } else {
                    vec![Span::raw("[ ] no")]
                };
                lines.push(row_line(t, at, "Reduced timetable", v));
            }
            (Body::Decision(d), Row::Reasons) => {
                let mut v = text(&d.reasons, value_w);
                if d.reasons.value().trim().is_empty() && !at {
                    v = vec![Span::styled(
                        "✗ required: as they will stand in the minutes (no names)",
                        t.bad(),
                    )];
                }
                lines.push(row_line(t, at, "Reasons", v));
            }
            (Body::Decision(d), Row::Override) => {
                let mut v = text(&d.override_reason, value_w);
                if d.override_reason.value().trim().is_empty() && !at {
                    v = vec![Span::styled(
                        "only if a check says \"needs a reason\" (fair share, local bar)",
                        t.dim(),
                    )];
                }
                lines.push(row_line(t, at, "Override reason", v));
            }
            (Body::Decision(d), Row::Vote(i)) => {
                let (Some(m), Some(vote)) = (
                    d.members
                        .get(i)
                        .and_then(|m| app.caseload.panel.members.get(*m)),
                    d.votes.get(i),
                ) else {
                    continue;
                };
                let (mark, style) = match vote {
                    Vote::Agrees => ("✓ agrees  ", t.ok()),
                    Vote::Dissents => ("✗ dissents", t.warn()),
                    Vote::Abstains => ("· —       ", t.dim()),
                };
                let mut v = vec![
                    Span::styled(mark, style),
                    Span::raw(format!(" {} · {}", escape(&m.name), escape(&m.role))),
                ];
                if m.can_decide {
                    v.push(Span::styled(" · can decide", t.dim()));
                }
                if let Some(s) = session {
                    if !s
                        .state
                        .attendance
                        .get(&m.name)
                        .is_some_and(|a| a.is_present())
                    {
                        v.push(Span::styled(" · ✗ not present", t.bad()));
                    }
                    if s.state.declared(&m.name, &f.case_ref).is_some() {
                        v.push(Span::styled(" · ! declared an interest", t.warn()));
                    }
                }
                let label = if i == 0 { "Agreed/dissent" } else { "" };
                lines.push(row_line(t, at, label, v));
            }
            (Body::Declaration(x), Row::Member(i)) => {
                let Some(m) = app.caseload.panel.members.get(i) else {
                    continue;
                };
                let picked = x.member == Some(i);
                let v = vec![
                    Span::styled(
                        if picked { "(•) " } else { "( ) " },
                        if picked { t.ok() } else { Style::new() },
                    ),
                    Span::raw(format!(
                        "{} · {} · {}",
                        escape(&m.name),
                        escape(&m.role),
                        escape(&m.organisation)
                    )),
                ];
                lines.push(row_line(t, at, if i == 0 { "Member" } else { "" }, v));
            }
            (Body::Declaration(x), Row::Interest) => {
                let mut v = text(&x.interest, value_w);
                if x.interest.value().trim().is_empty() && !at {
                    v = vec![Span::styled(
                        "✗ required: e.g. \"own school proposed\"",
                        t.bad(),
                    )];
                }
                lines.push(row_line(t, at, "Interest", v));
            }
            (Body::Declaration(x), Row::Withdrew) => {
                let v = if x.withdrew {
                    vec![Span::raw("[x] withdrew from this case's decision")]
                } else {
                    vec![Span::raw("[ ] stayed for this case's decision")]
                };
                lines.push(row_line(t, at, "Withdrew", v));
            }
            _ => {}
        }
    }
    if let Body::Decision(d) = &f.body {
        if d.members.is_empty() {
            lines.push(row_line(
                t,
                false,
                "Agreed/dissent",
                vec![Span::styled(
                    "✗ nobody is recorded present: Esc, then a to record attendance",
                    t.bad(),
                )],
            ));
        }
        if !d.has_school() {
            lines.push(Line::default());
            lines.push(Line::styled(
                fit(
                    &format!(
                        "  {} names no school: no school or start date is recorded.",
                        d.outcome.as_str()
                    ),
                    w,
                ),
                t.dim(),
            ));
        }
    }
    let h = usize::from(inner.height);
    let offset = (cursor_line + 2)
        .saturating_sub(h)
        .min(lines.len().saturating_sub(1));
    let lines: Vec<Line> = lines.into_iter().skip(offset).map(|l| clip(l, w)).collect();
    frame.render_widget(Paragraph::new(lines), inner);
}

/// The confirm view: every field exactly as it will be written, then the checks.
fn confirm(app: &App, t: &Theme, frame: &mut Frame, area: Rect, c: &Confirm) {
    let w = usize::from(area.width.saturating_sub(2));
    let raw = |s: String| vec![Span::raw(s)];
    let none = || vec![Span::styled("—", t.dim())];
    let text = |s: &str| {
        if s.trim().is_empty() {
            none()
        } else {
            raw(escape(s).into_owned())
        }
    };
    let case_line = |r: &str| {
        let c = app.caseload.cases.iter().find(|c| c.reference == r);
        raw(c.map_or_else(
            || escape(r).into_owned(),
            |c| {
                format!(
                    "{} · {} · {}",
                    escape(&c.reference),
                    escape(&app.pupil_label(c)),
                    c.kind.label()
                )
            },
        ))
    };
    let mut lines: Vec<Line> = Vec::new();
    let title = match (&c.event, &c.correction) {
        (Event::Decision(_), Some((old, _))) => {
            format!(" Confirm: record this correction of decision {old}? ")
        }
        (Event::Decision(_), None) => " Confirm: record this decision? ".to_owned(),
        (Event::AgreedToConsider { .. }, _) => " Confirm: agree to consider this case? ".to_owned(),
        (Event::Declaration { .. }, _) => " Confirm: record this declaration? ".to_owned(),
        _ => " Confirm ".to_owned(),
    };
    match &c.event {
        Event::Decision(d) => {
            lines.extend(field(t, w, "Case", case_line(&d.case_ref)));
            lines.extend(field(
                t,
                w,
                "Outcome",
                raw(format!("{} — {}", d.outcome.as_str(), d.outcome.label())),
            ));
            lines.extend(field(
                t,
                w,
                "School",
                d.urn.map_or_else(none, |u| {
                    raw(format!("{} · URN {u}", escape(&app.school_label(u))))
                }),
            ));
            lines.extend(field(
                t,
                w,
                "Year group",
                d.year_group
                    .map_or_else(none, |y| raw(format!("{y} on the start date"))),
            ));
            lines.extend(field(
                t,
                w,
                "Start",
                d.start_date.map_or_else(none, |s| raw(s.long())),
            ));
            lines.extend(field(
                t,
                w,
                "Review",
                d.review_date.map_or_else(none, |s| raw(s.long())),
            ));
            lines.extend(field(
                t,
                w,
                "Package",
                text(d.package.as_deref().unwrap_or("")),
            ));
            lines.extend(field(
                t,
                w,
                "Timetable",
                raw(if d.reduced_timetable {
                    "reduced (a review date is required)"
                } else {
                    "full time"
                }
                .to_owned()),
            ));
            lines.extend(field(t, w, "Reasons", text(&d.reasons)));
            let names = |v: &[String]| {
                if v.is_empty() {
                    none()
                } else {
                    raw(v
                        .iter()
                        .map(|n| escape(n).into_owned())
                        .collect::<Vec<_>>()
                        .join(", "))
                }
            };
            lines.extend(field(t, w, "Agreed by", names(&d.agreed_by)));
            lines.extend(field(t, w, "Dissent", names(&d.dissent)));
            if let Some(o) = &d.override_reason {
                lines.extend(field(t, w, "Override", raw(escape(o).into_owned())));
            }
            if let Some((old, reason)) = &c.correction {
                lines.extend(field(
                    t,
                    w,
                    "Supersedes",
                    raw(format!("decision {old}, because: {}", escape(reason))),
                ));
            }
            lines.extend(field(
                t,
                w,
                "Taken",
                raw(format!(
                    "at the meeting of {}",
                    app.caseload.panel.meeting_date.long()
                )),
            ));
        }
        Event::AgreedToConsider { case_ref, date } => {
            lines.extend(field(t, w, "Case", case_line(case_ref)));
            lines.extend(field(
                t,
                w,
                "Agreed on",
                raw(format!(
                    "{}: day 0 of the {}-school-day clock (SAC21 3.21)",
                    date.long(),
                    app.caseload.panel.settings.clock_school_days
                )),
            ));
            lines.extend(field(
                t,
                w,
                "",
                vec![Span::styled(
                    "Once recorded this cannot be undone: the clock runs from this date.",
                    t.dim(),
                )],
            ));
        }
        Event::Declaration {
            member,
            case_ref,
            interest,
            withdrew,
        } => {
            lines.extend(field(t, w, "Case", case_line(case_ref)));
            lines.extend(field(t, w, "Member", raw(escape(member).into_owned())));
            lines.extend(field(t, w, "Interest", text(interest)));
            lines.extend(field(
                t,
                w,
                "Withdrew",
                raw(if *withdrew {
                    "yes: takes no part in this case's decision"
                } else {
                    "no: stayed"
                }
                .to_owned()),
            ));
        }
        _ => {}
    }
    lines.push(Line::default());
    lines.push(Line::styled(
        "Checks",
        t.label().add_modifier(Modifier::UNDERLINED),
    ));
    if c.hits.is_empty() {
        lines.push(Line::styled("✓ every rule passes", t.ok()));
    }
    for h in &c.hits {
        let (sym, style) = match h.rule.severity {
            Severity::Refuse => ("✗ ", t.bad()),
            Severity::NeedsReason => ("! ", t.warn()),
            Severity::Warn => ("! ", t.warn()),
        };
        lines.extend(hanging(&format!("{sym}{}", escape(&h.line())), w, style));
    }
    lines.push(Line::default());
    let back = if c.back.is_some() {
        "Esc goes back to the form, everything kept"
    } else {
        "Esc cancels"
    };
    if c.refused() {
        lines.push(Line::styled(
            format!("✗ Refused: nothing can be recorded as it stands. {back}."),
            t.bad(),
        ));
    } else {
        lines.push(Line::styled(
            format!("Enter records this in the log · {back}"),
            t.label(),
        ));
    }
    let max = lines.len().saturating_sub(1) as u16;
    let b = modal_block(t, fit(&title, w));
    frame.render_widget(
        Paragraph::new(lines)
            .block(b)
            .wrap(Wrap { trim: false })
            .scroll((c.scroll.min(max), 0)),
        area,
    );
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

fn attendance(app: &App, t: &Theme, frame: &mut Frame, area: Rect, p: &AttendancePick) {
    let Some(s) = &app.session else { return };
    let q = s.state.quorum(&s.caseload);
    let title = format!(
        " Attendance · {} · {} of {} present · {} of {} can decide ",
        if q.is_quorate() {
            "✓ quorate"
        } else {
            "✗ not quorate"
        },
        q.present,
        q.needed_present,
        q.can_decide,
        q.needed_can_decide
    );
    let w = usize::from(area.width.saturating_sub(2));
    let mut lines = vec![Line::from(vec![
        Span::styled("/ ", t.label()),
        Span::raw(format!(
            "{}{}",
            escape(p.input.value()),
            if p.choosing.is_none() { "▏" } else { "" }
        )),
        Span::styled(
            format!(
                "  {} of {} members",
                p.hits.len(),
                app.caseload.panel.members.len()
            ),
            t.dim(),
        ),
    ])];
    for (row, m) in p.hits.iter().enumerate() {
        let Some(member) = app.caseload.panel.members.get(*m) else {
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
            attendance_mark(s.state.attendance.get(&member.name).copied(), t).patch_style(base),
        ];
        let rest = format!(
            " {} · {} · {}{}",
            escape(&member.name),
            escape(&member.role),
            escape(&member.organisation),
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
        && let Some(member) = app.caseload.panel.members.get(m)
    {
        lines.push(Line::default());
        lines.push(Line::styled(
            fit(&format!("Status of {}:", escape(&member.name)), w),
            t.label(),
        ));
        for (i, a) in STATUSES.iter().enumerate() {
            let sel = i == st;
            lines.push(Line::styled(
                format!("{}{}", if sel { "▶ " } else { "  " }, status_label(*a)),
                if sel { t.selected() } else { Style::new() },
            ));
        }
    }
    let lines: Vec<Line> = lines.into_iter().map(|l| clip(l, w)).collect();
    let b = modal_block(t, fit(&title, w));
    frame.render_widget(Paragraph::new(lines).block(b), area);
}

fn quit_ask(t: &Theme, frame: &mut Frame, area: Rect, noun: &str) {
    let w = area.width.min(60);
    let h = area.height.min(4);
    let popup = area.centered(Constraint::Length(w), Constraint::Length(h));
    frame.render_widget(Clear, popup);
    let b = Block::default()
        .borders(Borders::ALL)
        .border_style(t.warn())
        .title(Span::styled(
            format!(" ! Discard the unsaved {noun}? "),
            t.warn(),
        ))
        .title_alignment(Alignment::Center);
    frame.render_widget(
        Paragraph::new(vec![
            Line::raw("y: quit without recording it"),
            Line::raw("n or Esc: go back to it"),
        ])
        .block(b),
        popup,
    );
}
