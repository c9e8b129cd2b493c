//! The decision and declaration forms: every row with what it holds and, beside it, what the
//! rules will say of it (a date before the meeting, a school of the wrong age range) before the
//! confirm view.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use tui_input::Input;

use super::paint::{Layout, paint};
use super::widgets::{FORM_LABEL_W, case_heading, clip, input_spans, modal_block, row_line};
use super::{Theme, fit, school_tag};
use crate::app::App;
use crate::app::form::{Body, DateField, DecisionDraft, Form, Row, Vote, date_field};
use crate::domain::caseload::{Gender, Sex};

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

pub(super) fn form(app: &App, t: &Theme, frame: &mut Frame, area: Rect, f: &Form) {
    let title = match &f.body {
        Body::Decision(d) => match d.correcting {
            Some(id) => format!(" Correct decision {id} · {} ", case_heading(app, f.case)),
            None => format!(" Decision · {} ", case_heading(app, f.case)),
        },
        Body::Declaration(_) => format!(" Declare an interest · {} ", case_heading(app, f.case)),
    };
    let b = modal_block(t, &fit(&title, usize::from(area.width.saturating_sub(2))));
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
                let v = vec![Span::styled(
                    format!("◀ {} ▶", d.outcome.label()),
                    t.label(),
                )];
                lines.push(row_line(t, at, "Outcome", v));
            }
            (Body::Decision(d), Row::School) => {
                let input_w = (value_w / 3).clamp(12, 28);
                let mut v = text(&d.school_input, input_w);
                match d.school.and_then(|u| app.school(u)) {
                    Some(s) => v.push(Span::styled(
                        format!(" → {} · URN {}", s.name, s.urn),
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
                    format!("{mark}{}", fit(&s.name, (value_w * 2 / 3).clamp(20, 60))),
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
                let sex = app.caseload().cases.get(f.case).map(|c| c.pupil.sex);
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
                        .and_then(|m| app.caseload().panel.members.get(*m)),
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
                }
                let state = app.meeting().state();
                if !state.is_present(&m.name) {
                    v.push(Span::styled(" · ✗ not present", t.bad()));
                }
                if state.declared(&m.name, &f.case_ref).is_some() {
                    v.push(Span::styled(" · ! declared an interest", t.warn()));
                }
                let label = if i == 0 { "Agreed/dissent" } else { "" };
                lines.push(row_line(t, at, label, v));
            }
            (Body::Declaration(x), Row::Member(i)) => {
                let Some(m) = app.caseload().panel.members.get(i) else {
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
                        "  {}: no school or start date is recorded.",
                        d.outcome.label()
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
    paint(frame, inner, lines, None, Layout::default());
}
