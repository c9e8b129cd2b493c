//! The decision and declaration forms: every row with what it holds and, beside it, what the
//! rules will say of it (a date before the meeting, a school of the wrong age range) before the
//! confirm view.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use tui_input::Input;

use super::paint::{Layout, paint, side_block};
use super::widgets::{
    FORM_LABEL_W, case_heading, clip, input_spans, modal_block, row_line, text_area, wrap_ranges,
};
use super::{Theme, finding, fit, school_tag, severity_mark, suggestion_spans};
use crate::app::App;
use crate::app::form::{Body, DateField, DecisionDraft, Form, Row, Vote, date_field};
use crate::app::keymap::outcome_key;
use crate::domain::event::Outcome;
use crate::domain::rules::{Hit, Severity};
use crate::domain::words;

/// Width of a date input.
const DATE_W: usize = 12;

fn date_hint(app: &App, f: &Form, d: &DecisionDraft, row: Row, t: &Theme) -> Span<'static> {
    let meeting = app.meeting().meeting_date();
    match row {
        Row::Start => match date_field(&d.start) {
            DateField::Empty if d.outcome.places_child() => {
                Span::styled("✗ required: a placement needs a start date", t.bad())
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
                let cal = app.meeting().calendar();
                if cal.covers(s) && !cal.is_school_day(s) {
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
                "✗ required: AP place, managed move or reduced timetable",
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

/// Forms at least this wide show the working (checks, suggestions, preferences) beside the
/// fields; narrower ones show the checks above them and the suggestions in the school list.
const SIDE_BY_SIDE: u16 = 104;

pub(super) fn form(app: &App, t: &Theme, frame: &mut Frame, area: Rect, f: &Form) {
    let title = match &f.body {
        Body::Decision(d) => match d.correcting {
            Some(id) => format!(" Correct decision {id} · {} ", case_heading(app, f.case)),
            None => format!(" Decision · {} ", case_heading(app, f.case)),
        },
        Body::Declaration(_) => format!(" Declare an interest · {} ", case_heading(app, f.case)),
        Body::Joined(_) => " Someone joined the meeting: a substitute or a guest ".to_owned(),
        Body::Case(c) if c.amending.is_some() => {
            format!(" Amend the case · {} ", case_heading(app, f.case))
        }
        Body::Case(_) => " Late referral: a case added at this meeting ".to_owned(),
    };
    let b = modal_block(t, &fit(&title, usize::from(area.width.saturating_sub(2))));
    let inner = b.inner(area);
    frame.render_widget(b, area);
    let decision = matches!(f.body, Body::Decision(_));
    let (fields, side) = if decision && inner.width >= SIDE_BY_SIDE {
        let side_w = (inner.width / 3).clamp(38, 52);
        (
            Rect {
                width: inner.width - side_w,
                ..inner
            },
            Some(Rect {
                x: inner.x + inner.width - side_w,
                width: side_w,
                ..inner
            }),
        )
    } else {
        (inner, None)
    };
    if let Some(side) = side {
        working_panel(app, t, frame, side, f);
    }
    let w = usize::from(fields.width);
    let (mut lines, cursor_line) = rows(app, t, f, w, side.is_none());
    let h = usize::from(fields.height);
    let offset = (cursor_line + 2)
        .saturating_sub(h)
        .min(lines.len().saturating_sub(1));
    lines.drain(..offset);
    let lines: Vec<Line> = lines.into_iter().map(|l| clip(l, w)).collect();
    paint(frame, fields, lines, None, Layout::default());
}

/// The case's working beside a wide form: its checks, the schools suggested (lawful first,
/// those needing a reason marked) and the pupil's preferences as the rules judge them.
fn working_panel(app: &App, t: &Theme, frame: &mut Frame, area: Rect, f: &Form) {
    let mainstream = matches!(
        &f.body,
        Body::Decision(d) if matches!(d.outcome, Outcome::AllocateSchool | Outcome::RefusedEscalateDirection)
    );
    let w = usize::from(area.width.saturating_sub(2));
    let mut lines: Vec<Line> = Vec::new();
    if let Some(working) = app.working() {
        lines.push(Line::styled("Checks", t.label()));
        if working.checks.is_empty() {
            lines.push(Line::styled("✓ nothing to flag", t.ok()));
        }
        for h in &working.checks {
            lines.extend(wrapped(finding(h, false, t), w));
        }
        if !working.suggestions.is_empty() {
            lines.push(Line::default());
            lines.push(Line::styled(
                if mainstream {
                    "Suggested (Ctrl-N takes the next)"
                } else {
                    "Suggested for a school place"
                },
                t.label(),
            ));
            for (i, s) in working.suggestions.iter().enumerate().take(8) {
                lines.push(clip(
                    Line::from(suggestion_spans(app, working, i, s, 22, t)),
                    w,
                ));
            }
            if working.suggestions.len() > 8 {
                lines.push(Line::styled(
                    format!("… {} more, ranked", working.suggestions.len() - 8),
                    t.dim(),
                ));
            }
        }
        if !working.preferences.is_empty() {
            lines.push(Line::default());
            lines.push(Line::styled("Preferences", t.label()));
            for p in &working.preferences {
                let mut spans = vec![Span::raw(format!(
                    "{} {} ",
                    p.rank,
                    fit(&app.school_label(p.urn), 26)
                ))];
                match (p.hits.iter().min_by_key(|h| h.rule.severity), p.suggested) {
                    (Some(h), _) if h.rule.severity != Severity::Warn => {
                        spans.extend(finding(h, true, t))
                    }
                    (_, Some(i)) => {
                        spans.push(Span::styled(format!("✓ suggested {}", i + 1), t.ok()))
                    }
                    _ => spans.push(Span::styled("not ranked", t.dim())),
                }
                lines.push(clip(Line::from(spans), w));
            }
        }
    }
    paint(
        frame,
        area,
        lines,
        Some(side_block(t, " Working ")),
        Layout::default(),
    );
}

/// Spans word-wrapped to `w` columns, as lines.
fn wrapped(spans: Vec<Span<'static>>, w: usize) -> Vec<Line<'static>> {
    let mut out: Vec<Vec<Span<'static>>> = vec![Vec::new()];
    let mut used = 0;
    for span in spans {
        for piece in span.content.split_inclusive(' ') {
            let pw = unicode_width::UnicodeWidthStr::width(piece);
            if used > 0 && used + unicode_width::UnicodeWidthStr::width(piece.trim_end()) > w {
                out.push(Vec::new());
                used = 0;
            }
            if let Some(l) = out.last_mut() {
                l.push(Span::styled(piece.to_owned(), span.style));
            }
            used += pw;
        }
    }
    out.into_iter()
        .map(|mut l| {
            // The space that ended a line is not part of it.
            if let Some(last) = l.last_mut() {
                last.content = last.content.trim_end().to_owned().into();
            }
            clip(Line::from(l), w)
        })
        .collect()
}

/// The worst of what naming a school would add to the rules' findings, as a short mark: ✗ and
/// the refusal, ! and what needs a reason, or ✓.
fn verdict_spans(hits: Option<&[Hit]>, t: &Theme) -> Vec<Span<'static>> {
    match hits.and_then(|h| h.iter().min_by_key(|x| x.rule.severity)) {
        Some(h) if h.rule.severity != Severity::Warn => {
            let (sym, style) = severity_mark(h.rule.severity, t);
            vec![Span::styled(
                format!(
                    " · {sym}{} ({}): {}",
                    words::severity(h.rule.severity),
                    h.rule.name,
                    h.rule.summary
                ),
                style,
            )]
        }
        Some(h) => vec![Span::styled(
            format!(" · ✓ with a warning ({})", h.rule.name),
            t.warn(),
        )],
        None => vec![Span::styled(" · ✓", t.ok())],
    }
}

/// The form's rows as lines, and the line the cursor is on. `checks_above`: a narrow form
/// shows the case's checks above its fields.
fn rows(
    app: &App,
    t: &Theme,
    f: &Form,
    w: usize,
    checks_above: bool,
) -> (Vec<Line<'static>>, usize) {
    // The marker, the label and a space come before every value.
    let value_w = w.saturating_sub(FORM_LABEL_W + 2).max(8);
    let listed = app.listed_schools(f);
    let rows = f.rows(listed.len());
    let people = app.meeting().state().people(app.caseload());
    if let Body::Case(c) = &f.body {
        return super::case_form::rows(app, t, f, c, w);
    }
    let mut lines: Vec<Line<'static>> = Vec::new();
    let mut cursor_line = 0;
    if let Body::Decision(d) = &f.body {
        if checks_above && let Some(working) = app.working() {
            let v: Vec<Span<'static>> = match working.checks.as_slice() {
                [] => vec![Span::styled("✓ nothing to flag", t.ok())],
                [h] => finding(h, false, t),
                [h, rest @ ..] => {
                    let mut v = finding(h, false, t);
                    v.truncate(1);
                    v.push(Span::styled(
                        format!(" (+{} more: see the case)", rest.len()),
                        t.dim(),
                    ));
                    v
                }
            };
            lines.push(clip(row_line(t, false, "Checks", v), w));
        }
        if let Some(id) = d.correcting {
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
    }
    for row in &rows {
        let at = *row == f.cursor;
        if at {
            cursor_line = lines.len();
        }
        let text = |input: &Input, width: usize| input_spans(input, at, width, t);
        // A multi-line text: the label on its first line, every line of what was typed.
        // Returns the line the cursor is on when it is in this text.
        let area = |lines: &mut Vec<Line<'static>>,
                    label: &str,
                    input: &Input,
                    empty: Span<'static>|
         -> Option<usize> {
            if input.value().is_empty() && !at {
                lines.push(row_line(t, false, label, vec![empty]));
                return None;
            }
            let chars = input.value().chars().count();
            let body = text_area(input, at, value_w, t);
            let cursor_at = wrap_ranges(input.value(), value_w.max(4) - 1)
                .iter()
                .rposition(|(s, _)| *s <= input.cursor().min(chars))
                .unwrap_or(0);
            let first = lines.len();
            for (i, spans) in body.into_iter().enumerate() {
                lines.push(row_line(
                    t,
                    at && i == 0,
                    if i == 0 { label } else { "" },
                    spans,
                ));
            }
            at.then_some(first + cursor_at)
        };
        let mut in_text = None;
        match (&f.body, *row) {
            (Body::Decision(d), Row::CorrectionReason) => {
                in_text = area(
                    &mut lines,
                    "Why corrected",
                    &d.correction_reason,
                    Span::styled("✗ required: why the decision is corrected", t.bad()),
                )
            }
            (Body::Decision(d), Row::Outcome) => {
                if at {
                    for l in outcome_list(d, value_w, t).into_iter().enumerate() {
                        let (i, spans) = l;
                        lines.push(row_line(
                            t,
                            i == 0,
                            if i == 0 { "Outcome" } else { "" },
                            spans,
                        ));
                    }
                } else {
                    lines.push(row_line(
                        t,
                        false,
                        "Outcome",
                        vec![Span::styled(d.outcome.label().to_owned(), t.label())],
                    ));
                }
            }
            (Body::Decision(d), Row::School) => {
                let input_w = (value_w / 3).clamp(12, 28);
                let mut v = text(&d.school_input, input_w);
                match d.school.and_then(|u| app.school(u)) {
                    Some(s) => {
                        v.push(Span::styled(format!(" → {} · URN {}", s.name, s.urn), t.ok()));
                        v.extend(verdict_spans(d.verdict(s.urn), t));
                    }
                    None => v.push(Span::styled(
                        if d.school_input.value().trim().is_empty() {
                            " ✗ none yet: Ctrl-N takes a suggestion, or type a name, URN or postcode"
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
                    .and_then(|x| app.school_order().get(*x))
                    .and_then(|x| app.caseload().schools.get(*x))
                else {
                    continue;
                };
                let chosen = d.school == Some(s.urn);
                let mark = if chosen { "✓ " } else { "  " };
                // Name and what matters for the choice first; the URN last, so a narrow
                // screen cuts that.
                let mut v = vec![Span::styled(
                    format!("{mark}{}", fit(&s.name, (value_w / 2).clamp(20, 44))),
                    if chosen { t.ok() } else { Style::new() },
                )];
                if s.ap || s.pru || s.special {
                    let places = app
                        .form_year(f)
                        .and_then(|y| app.meeting().pool_for_year(s.urn, y).map(|p| (y, p)));
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
                // As the rules will judge it, before the confirm view.
                v.extend(verdict_spans(d.verdict(s.urn), t));
                v.push(Span::raw(format!(" · {} · URN {}", school_tag(s), s.urn)));
                let label = match (i, d.school_input.value().trim().is_empty()) {
                    (0, true) if d.outcome == Outcome::AllocateApInterim => "Provisions",
                    (0, true) => "Suggested",
                    _ => "",
                };
                lines.push(row_line(t, at, label, v));
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
            (Body::Decision(d), Row::Actions) => {
                let mut v = text(&d.actions, value_w);
                if d.actions.value().is_empty() && !at {
                    v = vec![Span::styled(
                        "optional: Housing: send the report by 2026-03-20; …",
                        t.dim(),
                    )];
                }
                lines.push(row_line(t, at, "Actions", v));
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
                in_text = area(
                    &mut lines,
                    "Reasons",
                    &d.reasons,
                    Span::styled(
                        "✗ required: as they will stand in the minutes (no names); Enter is a new line",
                        t.bad(),
                    ),
                )
            }
            (Body::Decision(d), Row::Override) => {
                in_text = area(
                    &mut lines,
                    "Override reason",
                    &d.override_reason,
                    Span::styled(
                        "only if a check says \"needs a reason\" (fair share, local bar)",
                        t.dim(),
                    ),
                )
            }
            (Body::Decision(_), Row::AllAgree) => lines.push(row_line(
                t,
                at,
                "Agreed/dissent",
                vec![
                    Span::styled("[Space] ", t.label()),
                    Span::raw(
                        "all present who can decide agree (not those who declared an interest)",
                    ),
                ],
            )),
            (Body::Decision(d), Row::Vote(i)) => {
                let (Some(m), Some(vote)) = (
                    d.members.get(i).and_then(|m| people.get(*m)),
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
                    Span::raw(format!(" {} · {}", m.name, m.role)),
                ];
                if m.can_decide {
                    v.push(Span::styled(" · can decide", t.dim()));
                } else {
                    v.push(Span::styled(" · no vote", t.dim()));
                }
                let state = app.meeting().state();
                if !state.is_present(&m.name) {
                    v.push(Span::styled(" · ✗ not present", t.bad()));
                }
                if state.declared(&m.name, &f.case_ref).is_some() {
                    v.push(Span::styled(" · ! declared an interest", t.warn()));
                }
                lines.push(row_line(t, at, "", v));
            }
            (Body::Declaration(x), Row::Member(i)) => {
                let Some(m) = people.get(i) else {
                    continue;
                };
                let picked = x.member == Some(i);
                let v = vec![
                    Span::styled(
                        if picked { "(•) " } else { "( ) " },
                        if picked { t.ok() } else { Style::new() },
                    ),
                    Span::raw(format!("{} · {} · {}", m.name, m.role, m.organisation)),
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
            (Body::Joined(j), Row::JoinName) => {
                let mut v = text(&j.name, value_w);
                if j.name.value().trim().is_empty() && !at {
                    v = vec![Span::styled("✗ required", t.bad())];
                }
                lines.push(row_line(t, at, "Name", v));
            }
            (Body::Joined(j), Row::JoinOrganisation) => {
                let mut v = text(&j.organisation, value_w);
                if j.organisation.value().trim().is_empty() && !at {
                    v = vec![Span::styled("✗ required", t.bad())];
                }
                lines.push(row_line(t, at, "Organisation", v));
            }
            (Body::Joined(j), Row::JoinRole) => {
                let mut v = text(&j.role, value_w);
                if j.role.value().trim().is_empty() && !at {
                    v = vec![Span::styled(
                        "✗ required, e.g. \"Deputy Headteacher\"",
                        t.bad(),
                    )];
                }
                lines.push(row_line(t, at, "Role", v));
            }
            (Body::Joined(j), Row::JoinSchool) => {
                let input_w = (value_w / 3).clamp(12, 28);
                let mut v = text(&j.school_input, input_w);
                v.push(match j.school.and_then(|u| app.school(u)) {
                    Some(s) => Span::styled(format!(" → {} · URN {}", s.name, s.urn), t.ok()),
                    None if j.school_input.value().trim().is_empty() => {
                        Span::styled(" none (optional: name, URN or postcode)", t.dim())
                    }
                    None => Span::styled(" ✗ no school matches", t.bad()),
                });
                lines.push(row_line(t, at, "School", v));
            }
            (Body::Joined(j), Row::JoinCanDecide) => {
                let v = if j.can_decide {
                    vec![Span::raw("[x] can decide and admit for their organisation")]
                } else {
                    vec![Span::raw("[ ] no vote (advises, observes or takes notes)")]
                };
                lines.push(row_line(t, at, "Can decide", v));
            }
            (Body::Joined(j), Row::JoinSubstituteFor) => {
                let v = match j
                    .substitute_for
                    .and_then(|i| app.caseload().panel.members.get(i))
                {
                    Some(m) => vec![Span::styled(
                        format!("◀ {} · {} ▶", m.name, m.organisation),
                        t.label(),
                    )],
                    None => vec![Span::raw("◀ nobody: a guest ▶")],
                };
                lines.push(row_line(t, at, "Substitute for", v));
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
        if let Some(c) = in_text {
            cursor_line = c;
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
                    &if d.outcome.continues_placement() {
                        format!(
                            "  {}: same school, same start; give the next review date.",
                            d.outcome.label()
                        )
                    } else {
                        format!(
                            "  {}: no school or start date is recorded.",
                            d.outcome.label()
                        )
                    },
                    w,
                ),
                t.dim(),
            ));
        }
    }
    (lines, cursor_line)
}

/// The outcomes offered, in words, each with the letter that picks it, flowed over as many
/// lines as `w` needs; the chosen one marked and reversed.
fn outcome_list(d: &DecisionDraft, w: usize, t: &Theme) -> Vec<Vec<Span<'static>>> {
    let mut out: Vec<Vec<Span<'static>>> = vec![Vec::new()];
    let mut used = 0;
    for o in &d.outcomes {
        let key = outcome_key(*o).map_or(String::new(), |c| format!("{c} "));
        let chosen = *o == d.outcome;
        let item = format!("{}{key}{}", if chosen { "▸" } else { " " }, o.label());
        let iw = unicode_width::UnicodeWidthStr::width(item.as_str());
        if used > 0 && used + 2 + iw > w {
            out.push(Vec::new());
            used = 0;
        }
        if let Some(l) = out.last_mut() {
            if used > 0 {
                l.push(Span::raw("  "));
                used += 2;
            }
            l.push(Span::styled(
                item,
                if chosen {
                    t.selected().patch(t.label())
                } else {
                    Style::new()
                },
            ));
        }
        used += iw;
    }
    out
}
