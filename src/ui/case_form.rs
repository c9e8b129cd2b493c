//! The late referral and amendment form: the facts a panel hears a case on, each row with what
//! the form makes of it (a date read back, the categories in words) before the confirm view.
//! With names hidden (screen-share) the pupil's name, date of birth and the categories'
//! evidence show as dots, as the search line does: the room sees how much was typed, not what.

use ratatui::text::{Line, Span};
use tui_input::Input;

use super::Theme;
use super::paint::fit;
use super::widgets::{FORM_LABEL_W, input_spans, row_line, text_area, wrap_ranges};
use crate::app::App;
use crate::app::form::{
    CaseDraft, DateField, Form, Row, date_field, parse_applications, parse_categories,
};
use crate::domain::caseload::Sen;
use crate::domain::words;
use crate::domain::year_group::YearGroup;

/// Width of a date input.
const DATE_W: usize = 12;

/// What is shown of an input on a row holding the pupil's own data while names are hidden:
/// a dot for every character typed (the categories keep their letters and separators, so the
/// claims still read), the cursor where it was.
fn shown(app: &App, row: Row, input: &Input) -> Input {
    if !(app.screen_share() && row.is_personal()) {
        return input.clone();
    }
    let mut evidence = false;
    let masked: String = input
        .value()
        .chars()
        .map(|c| {
            if row != Row::Categories {
                return '•';
            }
            match c {
                ';' => {
                    evidence = false;
                    c
                }
                ':' if !evidence => {
                    evidence = true;
                    c
                }
                c if evidence && !c.is_whitespace() => '•',
                c => c,
            }
        })
        .collect();
    Input::new(masked).with_cursor(input.cursor())
}

/// "◀ choice ▶": the option chosen on a row Space and ← → change.
fn choice(label: &str, t: &Theme) -> Vec<Span<'static>> {
    vec![Span::styled(format!("◀ {label} ▶"), t.label())]
}

fn sen_label(s: Sen) -> &'static str {
    match s {
        Sen::None => "no SEN",
        Sen::SenSupport => "SEN support (no EHC plan)",
        Sen::Ehcp => "EHC plan",
    }
}

/// A date row's reading: required, not a date yet, or the date in words (a date of birth only
/// with names shown; the year group it gives is safe to show).
fn date_hint(app: &App, row: Row, input: &Input, t: &Theme) -> Span<'static> {
    let meeting = app.meeting().meeting_date();
    match (row, date_field(input)) {
        (_, DateField::Empty) => Span::styled("✗ required: YYYY-MM-DD", t.bad()),
        (_, DateField::Invalid) => Span::styled("✗ not a date yet: YYYY-MM-DD", t.bad()),
        (Row::Birth, DateField::Valid(d)) => {
            let year = YearGroup::on(d, meeting);
            let born = if app.screen_share() {
                String::new()
            } else {
                format!("{} · ", d.long())
            };
            match year {
                Some(y) => Span::styled(format!("✓ {born}{y} on the meeting date"), t.ok()),
                None => Span::styled(
                    format!("! {born}no school year group on the meeting date"),
                    t.warn(),
                ),
            }
        }
        (_, DateField::Valid(d)) if d > meeting => {
            Span::styled(format!("✗ {}: after the meeting", d.long()), t.bad())
        }
        (_, DateField::Valid(d)) => Span::styled(format!("✓ {}", d.long()), t.ok()),
    }
}

/// The form's rows as lines, and the line the cursor is on.
pub(super) fn rows(
    app: &App,
    t: &Theme,
    f: &Form,
    c: &CaseDraft,
    w: usize,
) -> (Vec<Line<'static>>, usize) {
    let value_w = w.saturating_sub(FORM_LABEL_W + 2).max(8);
    let mut lines: Vec<Line<'static>> = Vec::new();
    let mut cursor_line = 0;
    if c.amending.is_some() {
        lines.push(Line::styled(
            fit(
                "  The case as it stands stays in the log; the reason is minuted.",
                w,
            ),
            t.dim(),
        ));
    }
    for row in f.rows(0) {
        let at = row == f.cursor;
        if at {
            cursor_line = lines.len();
        }
        let text = |input: &Input, width: usize| input_spans(&shown(app, row, input), at, width, t);
        // A required text: what was typed, or "✗ required" and an example when empty.
        let required = |input: &Input, example: &str| {
            if input.value().trim().is_empty() && !at {
                vec![Span::styled(format!("✗ required{example}"), t.bad())]
            } else {
                text(input, value_w)
            }
        };
        match row {
            Row::CaseReason => {
                if c.reason.value().is_empty() && !at {
                    lines.push(row_line(
                        t,
                        false,
                        "Why amended",
                        vec![Span::styled(
                            "✗ required: as the minutes will say it (no names)",
                            t.bad(),
                        )],
                    ));
                    continue;
                }
                let chars = c.reason.value().chars().count();
                let cursor_at = wrap_ranges(c.reason.value(), value_w.max(4) - 1)
                    .iter()
                    .rposition(|(s, _)| *s <= c.reason.cursor().min(chars))
                    .unwrap_or(0);
                let first = lines.len();
                for (i, spans) in text_area(&c.reason, at, value_w, t).into_iter().enumerate() {
                    lines.push(row_line(
                        t,
                        at && i == 0,
                        if i == 0 { "Why amended" } else { "" },
                        spans,
                    ));
                }
                if at {
                    cursor_line = first + cursor_at;
                }
            }
            Row::CaseRef => {
                let mut v = text(&c.reference, 16);
                let typed = c.reference.value().trim();
                let used = app.caseload().cases.iter().any(|k| k.reference == typed);
                v.push(if typed.is_empty() {
                    Span::styled(" ✗ required", t.bad())
                } else if used {
                    Span::styled(" ✗ already used by another case", t.bad())
                } else if c.reference_auto {
                    Span::styled(" the next free one: type to change it", t.dim())
                } else {
                    Span::styled(" ✓", t.ok())
                });
                lines.push(row_line(t, at, "Case reference", v));
            }
            Row::CaseKind => {
                lines.push(row_line(t, at, "Kind", choice(c.kind.label(), t)));
            }
            Row::Referred => {
                let mut v = text(&c.referral_date, DATE_W);
                v.push(Span::raw(" "));
                v.push(date_hint(app, row, &c.referral_date, t));
                lines.push(row_line(t, at, "Referred on", v));
            }
            Row::ReferrerOrganisation => lines.push(row_line(
                t,
                at,
                "Referred by",
                required(
                    &c.referrer_organisation,
                    ": the organisation, e.g. \"Walsall Council\"",
                ),
            )),
            Row::ReferrerRole => lines.push(row_line(
                t,
                at,
                "Referrer's role",
                required(&c.referrer_role, ", e.g. \"In-year admissions officer\""),
            )),
            Row::CaseStatus => {
                lines.push(row_line(t, at, "Status", choice(c.status.label(), t)));
            }
            Row::GivenName => {
                lines.push(row_line(t, at, "Given name", required(&c.given_name, "")));
            }
            Row::FamilyName => {
                lines.push(row_line(t, at, "Family name", required(&c.family_name, "")));
            }
            Row::Birth => {
                let mut v = text(&c.date_of_birth, DATE_W);
                v.push(Span::raw(" "));
                v.push(date_hint(app, row, &c.date_of_birth, t));
                lines.push(row_line(t, at, "Date of birth", v));
            }
            Row::Sex => {
                let v = match c.sex {
                    Some(s) => choice(words::sex(s), t),
                    None => vec![Span::styled(
                        "◀ not given ▶ ✗ required: Space or ← → chooses",
                        t.bad(),
                    )],
                };
                lines.push(row_line(t, at, "Sex", v));
            }
            Row::Sen => lines.push(row_line(t, at, "SEN", choice(sen_label(c.sen), t))),
            Row::Lac => lines.push(row_line(
                t,
                at,
                "Looked after",
                vec![Span::raw(if c.lac {
                    "[x] looked after by a local authority"
                } else {
                    "[ ] no"
                })],
            )),
            Row::Plac => lines.push(row_line(
                t,
                at,
                "Was looked after",
                vec![Span::raw(if c.plac {
                    "[x] previously looked after (adopted, SGO or CAO)"
                } else {
                    "[ ] no"
                })],
            )),
            Row::Categories => {
                lines.push(row_line(t, at, "Categories", text(&c.categories, value_w)));
                // What the line reads as: the claims in words, or what is wrong with it.
                let read = match parse_categories(c.categories.value()) {
                    Ok(v) if v.is_empty() => vec![Span::styled(
                        "none claimed · e.g. b: refuge letter; l: out since Jan",
                        t.dim(),
                    )],
                    Ok(v) => vec![Span::styled(
                        v.iter()
                            .map(|k| format!("({}) {}", k.code.letter(), k.code.label()))
                            .collect::<Vec<_>>()
                            .join(" · "),
                        t.ok(),
                    )],
                    Err(e) => vec![Span::styled(format!("✗ {e}"), t.bad())],
                };
                lines.push(row_line(t, false, "", read));
            }
            Row::Applications => {
                lines.push(row_line(
                    t,
                    at,
                    "Applications",
                    text(&c.applications, value_w),
                ));
                // Each application read back with its school's name, or what is wrong.
                let read = match parse_applications(c.applications.value()) {
                    Ok(v) if v.is_empty() => vec![Span::styled(
                        "none · e.g. 142594 2026-02-10 refused; 136777 2026-02-20 no place",
                        t.dim(),
                    )],
                    Ok(v) => vec![Span::styled(
                        v.iter()
                            .map(|a| {
                                format!(
                                    "{} · {} · {}",
                                    app.school(a.urn)
                                        .map_or(format!("URN {}", a.urn), |s| s.name.clone()),
                                    a.date.long(),
                                    words::app_outcome(a.outcome)
                                )
                            })
                            .collect::<Vec<_>>()
                            .join(" · "),
                        t.ok(),
                    )],
                    Err(e) => vec![Span::styled(format!("✗ {e}"), t.bad())],
                };
                lines.push(row_line(t, false, "", read));
            }
            Row::ProposedSchool => {
                let input_w = (value_w / 3).clamp(12, 28);
                let mut v = text(&c.school_input, input_w);
                v.push(match c.proposed_school.and_then(|u| app.school(u)) {
                    Some(s) => Span::styled(format!(" → {} · URN {}", s.name, s.urn), t.ok()),
                    None if c.school_input.value().trim().is_empty() => {
                        Span::styled(" none yet (name, URN or postcode)", t.dim())
                    }
                    None => Span::styled(" ✗ no school matches", t.bad()),
                });
                lines.push(row_line(t, at, "Proposed school", v));
            }
            _ => {}
        }
    }
    lines.push(Line::default());
    lines.push(Line::styled(
        fit(
            if c.amending.is_some() {
                "  Anything the form does not show (past schools, exclusions, notes…) stays as it was."
            } else {
                "  Past schools, exclusions and notes: from the next caseload file."
            },
            w,
        ),
        t.dim(),
    ));
    (lines, cursor_line)
}
