//! The confirm view: every field exactly as it will be written, then each rule that fires with
//! its reason and source, then what Enter and Esc do.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};

use super::paint::{Layout, paint};
use super::widgets::modal_block;
use super::{Theme, field, finding, fit};
use crate::app::App;
use crate::app::form::{Confirm, case_changes};
use crate::domain::caseload::{CaseKind, Sen};
use crate::domain::event::{Correction, Event};
use crate::domain::rules::Severity;
use crate::domain::words;
use crate::domain::year_group::YearGroup;

pub(super) fn confirm(app: &App, t: &Theme, frame: &mut Frame, area: Rect, c: &Confirm) {
    let w = usize::from(area.width.saturating_sub(2));
    let raw = |s: String| vec![Span::raw(s)];
    let none = || vec![Span::styled("—", t.dim())];
    let text = |s: &str| {
        if s.trim().is_empty() {
            none()
        } else {
            raw(s.to_owned())
        }
    };
    let case_line = |r: &str| {
        let c = app
            .meeting()
            .case_index(r)
            .and_then(|i| app.meeting().case(i));
        raw(c.map_or_else(
            || r.to_owned(),
            |c| {
                format!(
                    "{} · {} · {}",
                    c.reference,
                    app.pupil_label(c),
                    c.kind.label()
                )
            },
        ))
    };
    let mut lines: Vec<Line> = Vec::new();
    let title = match (&c.proposal.event, &c.proposal.correction) {
        (Event::Decision(_), Some(Correction { entry: old, .. })) => {
            format!(" Confirm: record this correction of decision {old}? ")
        }
        (Event::Decision(_), None) => " Confirm: record this decision? ".to_owned(),
        (Event::AgreedToConsider { .. }, _) => " Confirm: agree to consider this case? ".to_owned(),
        (Event::Declaration { .. }, _) => " Confirm: record this declaration? ".to_owned(),
        (Event::Joined(_), _) => " Confirm: record who joined? ".to_owned(),
        (Event::CaseAdded { .. }, _) => " Confirm: add this case to the meeting? ".to_owned(),
        (Event::CaseAmended { case, .. }, _) => {
            format!(" Confirm: record this amendment of {}? ", case.reference)
        }
        _ => " Confirm ".to_owned(),
    };
    match &c.proposal.event {
        Event::Decision(d) => {
            lines.extend(field(t, w, "Case", case_line(&d.case_ref)));
            lines.extend(field(t, w, "Outcome", raw(d.outcome.label().to_owned())));
            lines.extend(field(
                t,
                w,
                "School",
                d.urn
                    .map_or_else(none, |u| raw(format!("{} · URN {u}", app.school_label(u)))),
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
            if !d.actions.is_empty() {
                lines.extend(field(
                    t,
                    w,
                    "Actions",
                    text(&crate::domain::event::Action::list_text(&d.actions)),
                ));
            }
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
                    raw(v.join(", "))
                }
            };
            lines.extend(field(t, w, "Agreed by", names(&d.agreed_by)));
            lines.extend(field(t, w, "Dissent", names(&d.dissent)));
            if let Some(o) = &d.override_reason {
                lines.extend(field(t, w, "Override", raw(o.clone())));
            }
            if let Some(Correction { entry, reason }) = &c.proposal.correction {
                lines.extend(field(
                    t,
                    w,
                    "Supersedes",
                    raw(format!("decision {entry}, because: {reason}")),
                ));
            }
            lines.extend(field(
                t,
                w,
                "Taken",
                raw(format!(
                    "at the meeting of {}",
                    app.meeting().meeting_date().long()
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
                    app.caseload().panel.settings.clock_school_days
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
            lines.extend(field(t, w, "Member", raw(member.clone())));
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
        Event::Joined(g) => {
            lines.extend(field(t, w, "Joined", raw(g.name.clone())));
            lines.extend(field(t, w, "Organisation", raw(g.organisation.clone())));
            lines.extend(field(t, w, "Role", raw(g.role.clone())));
            lines.extend(field(
                t,
                w,
                "School",
                g.urn
                    .map_or_else(none, |u| raw(format!("{} · URN {u}", app.school_label(u)))),
            ));
            lines.extend(field(
                t,
                w,
                "Can decide",
                raw(if g.can_decide { "yes" } else { "no" }.to_owned()),
            ));
            lines.extend(field(
                t,
                w,
                "Stands in for",
                g.substitute_for
                    .clone()
                    .map_or_else(|| raw("nobody: a guest".to_owned()), raw),
            ));
            lines.extend(field(
                t,
                w,
                "Time",
                raw("the time it is recorded".to_owned()),
            ));
        }
        Event::CaseAdded { case } | Event::CaseAmended { case, .. } => {
            let share = app.screen_share();
            if let Event::CaseAmended { reason, .. } = &c.proposal.event {
                let old = app
                    .meeting()
                    .case_index(&case.reference)
                    .and_then(|i| app.meeting().case(i));
                let changes = old.map(|o| case_changes(o, case)).unwrap_or_default();
                lines.extend(field(
                    t,
                    w,
                    "Changes",
                    if changes.is_empty() {
                        vec![Span::styled("nothing: the case is as it was", t.warn())]
                    } else {
                        raw(changes.join(", "))
                    },
                ));
                lines.extend(field(t, w, "Why amended", text(reason)));
            }
            lines.extend(field(
                t,
                w,
                "Case",
                raw(format!(
                    "{} · {} · {}",
                    case.reference,
                    app.pupil_label(case),
                    case.kind.label()
                )),
            ));
            lines.extend(field(
                t,
                w,
                "Referred",
                raw(format!(
                    "{} · by {} ({})",
                    case.referral_date.long(),
                    case.referrer.organisation,
                    case.referrer.role
                )),
            ));
            lines.extend(field(t, w, "Status", raw(case.status.label().to_owned())));
            let p = &case.pupil;
            let year = YearGroup::on(p.date_of_birth, app.meeting().meeting_date())
                .map_or("no year group".to_owned(), |y| y.to_string());
            lines.extend(field(
                t,
                w,
                "Pupil",
                raw(if share {
                    format!("{year} · name, date of birth and sex hidden (screen-share)")
                } else {
                    format!(
                        "{} {} · born {} · {year} · {}",
                        p.given_name,
                        p.family_name,
                        p.date_of_birth.long(),
                        words::sex(p.sex)
                    )
                }),
            ));
            let mut needs = vec![match p.sen {
                Sen::None => "no SEN",
                Sen::SenSupport => "SEN support",
                Sen::Ehcp => "EHC plan",
            }];
            if p.lac {
                needs.push("looked after");
            }
            if p.plac {
                needs.push("previously looked after");
            }
            lines.extend(field(t, w, "Needs", raw(needs.join(" · "))));
            if case.categories.is_empty() {
                lines.extend(field(t, w, "Categories", none()));
            }
            for (i, k) in case.categories.iter().enumerate() {
                let mut v = format!("({}) {}", k.code.letter(), k.code.label());
                if !share && !k.evidence.trim().is_empty() {
                    v.push_str(&format!(" — {}", k.evidence));
                }
                lines.extend(field(t, w, if i == 0 { "Categories" } else { "" }, raw(v)));
            }
            if case.kind == CaseKind::ManagedMove {
                lines.extend(field(
                    t,
                    w,
                    "Proposed school",
                    case.proposed_school
                        .map_or_else(none, |u| raw(format!("{} · URN {u}", app.school_label(u)))),
                ));
            }
            lines.extend(field(
                t,
                w,
                "",
                vec![Span::styled(
                    if share {
                        "The pupil's details are written to the log's personal part, not shown here."
                    } else {
                        "The pupil's details are written to the log's personal part, never the minutes."
                    },
                    t.dim(),
                )],
            ));
        }
        _ => {}
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
    // The findings come first, under a count of them, so none is below the fold while the
    // last line says Enter records; the entry as it will be written follows.
    let refusals = c
        .hits
        .iter()
        .filter(|h| h.rule.severity == Severity::Refuse)
        .count();
    let others = c.hits.len() - refusals;
    let mut head = vec![match (refusals, others) {
        (0, 0) => Line::styled("✓ every rule passes", t.ok()),
        (0, n) => Line::styled(
            format!(
                "! {}: read {} before Enter records",
                words::count(n as i64, "finding", "findings"),
                if n == 1 { "it" } else { "them" }
            ),
            t.warn().add_modifier(Modifier::UNDERLINED),
        ),
        (r, n) => Line::styled(
            format!(
                "✗ {}{}: this cannot be recorded as it stands",
                words::count(r as i64, "refusal", "refusals"),
                if n > 0 {
                    format!(
                        ", {}",
                        words::count(n as i64, "other finding", "other findings")
                    )
                } else {
                    String::new()
                }
            ),
            t.bad().add_modifier(Modifier::UNDERLINED),
        ),
    }];
    for h in &c.hits {
        head.extend(field(t, w, "", finding(h, true, t)));
    }
    head.push(Line::default());
    lines.splice(0..0, head);
    let inner = usize::from(area.height.saturating_sub(2));
    let more = lines.len() > inner;
    let max = lines.len().saturating_sub(inner) as u16;
    let title = if more {
        format!("{}· ↑↓ scroll ", title)
    } else {
        title
    };
    let b = modal_block(t, &fit(&title, w));
    paint(
        frame,
        area,
        lines,
        Some(b),
        Layout::wrapped(c.scroll.min(max)),
    );
}
