//! The selected case: its clock first, its entries in the log, the checks that fire on it, its
//! facts (names only with screen-share off), and for a Fair Access case the schools that can
//! lawfully be asked, ranked, with the figures that rank them (ux.md "Show the working"). The
//! checks and the ranking come from the meeting view (`App::working`), worked out once per
//! selection, never while drawing.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::paint::{Layout, block, paint};
use super::{Theme, end_scroll, field, finding, fit, hidden, school_name, suggestion_spans};
use crate::app::{App, Focus};
use crate::domain::caseload::{Case, CaseKind, Sen};
use crate::domain::event::{Decision, Event as LogEvent};
use crate::domain::rules::Severity;
use crate::domain::story::Place;
use crate::domain::view::ClockState;
use crate::domain::words;

/// How many suggested schools the detail pane lists.
pub const SUGGESTIONS_SHOWN: usize = 5;

pub(super) fn detail(app: &App, t: &Theme, frame: &mut Frame, area: Rect) {
    let w = usize::from(area.width.saturating_sub(2));
    let Some((case, facts)) = app.selected_case().and_then(|i| app.case_with_facts(i)) else {
        paint(
            frame,
            area,
            vec![Line::raw("No case selected.")],
            Some(block(t, " Case ", app.focus() == Focus::Detail)),
            Layout::default(),
        );
        return;
    };
    let share = app.screen_share();
    let year = facts.year.map_or("year ?".to_owned(), |y| y.to_string());
    let cats: Vec<String> = case
        .categories
        .iter()
        .map(|c| format!("({})", c.code.letter()))
        .collect();
    let head = format!(
        " {} · {} · {} · {} {} ",
        case.reference,
        app.pupil_label(case),
        year,
        case.kind.label(),
        cats.join("")
    );
    let mut lines: Vec<Line> = Vec::new();
    let c = &facts.clock;
    // The clock first: it is what the room asks about.
    let clock_line = match (c.agreed, c.since_agreed) {
        (Some(a), Some(s)) => {
            let left = c.aim - s;
            let (sym, style, words) = match facts.clock_state() {
                ClockState::Stopped => (
                    "✓ ",
                    t.ok(),
                    format!("clock stopped: decided on school day {s}"),
                ),
                ClockState::Overdue if left == 0 => (
                    "‼ ",
                    t.bad(),
                    format!("day {s} of {}: the aim is today", c.aim),
                ),
                ClockState::Overdue => (
                    "‼ ",
                    t.bad(),
                    format!(
                        "OVERDUE by {}",
                        words::count(-left, "school day", "school days")
                    ),
                ),
                ClockState::DueSoon => (
                    "! ",
                    t.warn(),
                    format!("{left} left to the {}-day aim", c.aim),
                ),
                _ => (
                    "",
                    Style::new(),
                    format!("{left} left to the {}-day aim", c.aim),
                ),
            };
            vec![
                Span::raw(format!("{} · {s} school days · ", a.long())),
                Span::styled(format!("{sym}{words}"), style),
            ]
        }
        (Some(a), None) => vec![Span::styled(
            format!(
                "{} · ? outside the school calendar: add the terms to count school days",
                a.long()
            ),
            t.warn(),
        )],
        (None, _) => vec![Span::styled(
            format!(
                "not yet agreed: the {}-school-day clock has not started",
                c.aim
            ),
            t.dim(),
        )],
    };
    lines.extend(field(t, w, "Agreed", clock_line));
    // A placement under review, and what an earlier meeting's deferral asked for.
    if let Some(r) = facts.review {
        let (words, style) = if facts.review_due {
            (format!("due {} · d records the review", r.long()), t.warn())
        } else {
            (format!("next on {}", r.long()), Style::new())
        };
        lines.extend(field(t, w, "Review", vec![Span::styled(words, style)]));
    }
    if let Some(d) = &case.deferred {
        lines.extend(field(
            t,
            w,
            "Deferred",
            vec![Span::raw(format!(
                "on {} · asked for: {}",
                d.on.long(),
                d.asked_for
            ))],
        ));
    }
    lines.extend(log_lines(app, t, w, case));
    lines.extend(checks(app, case, t, w));
    let referral = match c.since_referral {
        Some(d) => format!("{} · {d} school days ago", case.referral_date.long()),
        None => format!(
            "{} · {} calendar days ago",
            case.referral_date.long(),
            c.calendar_days_since_referral
        ),
    };
    lines.extend(field(
        t,
        w,
        "Referred",
        vec![Span::raw(format!(
            "{referral} · by {} ({})",
            case.referrer.organisation, case.referrer.role
        ))],
    ));
    let mut status = vec![Span::raw(case.status.label().to_owned())];
    if let (Some(o), Some(d)) = (case.out_since, c.days_out) {
        status.push(Span::raw(format!(
            " · out of education since {} ({d} days)",
            o.long()
        )));
    }
    lines.extend(field(t, w, "Status", status));
    if let Some(p) = c.pex_provision_from {
        lines.extend(field(
            t,
            w,
            "Provision",
            vec![Span::raw(format!("due from school day 6: {}", p.long()))],
        ));
    }
    if share {
        lines.extend(field(t, w, "Pupil", hidden(t)));
    } else {
        let p = &case.pupil;
        lines.extend(field(
            t,
            w,
            "Pupil",
            vec![Span::raw(format!(
                "{} {} · born {} · {} · UPN {}",
                p.given_name,
                p.family_name,
                p.date_of_birth.long(),
                words::sex(p.sex),
                p.upn.as_deref().unwrap_or("none")
            ))],
        ));
        if let (Some(e), Some(n)) = (p.home_easting, p.home_northing) {
            lines.extend(field(
                t,
                w,
                "Home",
                vec![Span::raw(format!("grid {e} {n}"))],
            ));
        }
    }
    let sen = match case.pupil.sen {
        Sen::None => "no SEN",
        Sen::SenSupport => "SEN support",
        Sen::Ehcp => "EHC plan: placed through the EHC plan route, not Fair Access",
    };
    let mut flags = vec![Span::raw(sen.to_owned())];
    if case.pupil.lac {
        flags.push(Span::styled(
            " · looked after: placed by an s97A direction, not Fair Access",
            t.warn(),
        ));
    }
    if case.pupil.plac {
        flags.push(Span::raw(" · previously looked after"));
    }
    if let Some(need) = &case.pupil.sen_need {
        flags.push(Span::raw(format!(" · primary need {need}")));
    }
    lines.extend(field(t, w, "Needs", flags));
    if let Some(a) = &case.attendance {
        let pct = a
            .percent()
            .map_or_else(|| "no sessions possible".to_owned(), |p| format!("{p:.1}%"));
        lines.extend(field(
            t,
            w,
            "Attendance",
            vec![Span::raw(format!(
                "{pct} in {}/{:02} ({} of {} sessions, from the CTF)",
                a.year,
                (a.year + 1) % 100,
                a.sessions_attended,
                a.sessions_possible
            ))],
        ));
    }
    for (i, cat) in case.categories.iter().enumerate() {
        let label = if i == 0 { "Categories" } else { "" };
        let mut v = vec![Span::raw(format!(
            "({}) {}",
            cat.code.letter(),
            cat.code.label()
        ))];
        if !share {
            v.push(Span::styled(format!(" — {}", cat.evidence), t.dim()));
        }
        lines.extend(field(t, w, label, v));
    }
    if case.categories.is_empty() {
        lines.extend(field(
            t,
            w,
            "Categories",
            vec![Span::styled("none given", t.warn())],
        ));
    }
    if let Some(end) = case.cin_cp_end {
        lines.extend(field(t, w, "CIN/CP end", vec![Span::raw(end.long())]));
    }
    if let Some(ps) = &case.place_sought {
        lines.extend(field(
            t,
            w,
            "Seeks",
            vec![Span::raw(format!(
                "{}{}",
                words::place_kind(ps.kind),
                ps.need
                    .as_deref()
                    .map_or(String::new(), |n| format!(" for {n}"))
            ))],
        ));
    }
    if let Some(u) = case.proposed_school {
        lines.extend(field(
            t,
            w,
            "Proposed",
            vec![Span::raw(school_name(app, u))],
        ));
    }
    for (i, app_) in case.in_year_apps.iter().enumerate() {
        let outcome = words::app_outcome(app_.outcome);
        lines.extend(field(
            t,
            w,
            if i == 0 { "In-year apps" } else { "" },
            vec![Span::raw(format!(
                "{} · {} · {outcome}",
                school_name(app, app_.urn),
                app_.date.long()
            ))],
        ));
    }
    for (i, a) in case.schools_attended.iter().enumerate() {
        let name = a
            .urn
            .filter(|u| app.school(*u).is_some())
            .map_or_else(|| a.name.clone(), |u| school_name(app, u));
        let to = a.to.map_or("now".to_owned(), |d| d.to_string());
        lines.extend(field(
            t,
            w,
            if i == 0 { "Attended" } else { "" },
            vec![Span::raw(format!("{name} · {} → {to}", a.from))],
        ));
    }
    for (i, x) in case.pex_history.iter().enumerate() {
        let r = if x.reinstated { " (reinstated)" } else { "" };
        lines.extend(field(
            t,
            w,
            if i == 0 { "Excluded" } else { "" },
            vec![Span::styled(
                format!("{} · {}{r}", school_name(app, x.urn), x.date.long()),
                t.warn(),
            )],
        ));
    }
    if !case.suspensions.is_empty() {
        let days: u32 = case.suspensions.iter().map(|s| s.days).sum();
        lines.extend(field(
            t,
            w,
            "Suspensions",
            vec![Span::raw(format!(
                "{} ({days} school days)",
                case.suspensions.len()
            ))],
        ));
    }
    lines.extend(preferences(app, t, w));
    if case.kind == CaseKind::FairAccess {
        lines.extend(suggestions(app, t, w));
    }
    if !case.pupil.contacts.is_empty() {
        if share {
            lines.extend(field(t, w, "Contacts", hidden(t)));
        } else {
            for (i, k) in case.pupil.contacts.iter().enumerate() {
                let mut s = k.name.clone();
                for part in [&k.relationship, &k.phone, &k.email, &k.address]
                    .into_iter()
                    .flatten()
                {
                    s.push_str(" · ");
                    s.push_str(part);
                }
                lines.extend(field(
                    t,
                    w,
                    if i == 0 { "Contacts" } else { "" },
                    vec![Span::raw(s)],
                ));
            }
        }
    }
    if let Some(n) = &case.notes {
        lines.extend(field(
            t,
            w,
            "Notes",
            if share {
                hidden(t)
            } else {
                vec![Span::raw(n.clone())]
            },
        ));
    }
    let b = block(
        t,
        &fit(&head, usize::from(area.width.saturating_sub(2))),
        app.focus() == Focus::Detail,
    );
    let scroll = end_scroll(app.detail_scroll(), lines.len(), area);
    paint(frame, area, lines, Some(b), Layout::wrapped(scroll));
}

/// The case's story in the log, across meetings: a late referral added or the case amended,
/// the agreement to consider, declarations, and decisions (the one that stands, and each superseded one with the correction's reason), each
/// with its day and the meeting it was taken at (or "between meetings").
fn log_lines(app: &App, t: &Theme, w: usize, case: &Case) -> Vec<Line<'static>> {
    let meeting = app.meeting();
    let state = meeting.state();
    let mut out = Vec::new();
    for e in state.case_entries(&case.reference) {
        let mut value: Vec<Span<'static>> = match &e.event {
            LogEvent::AgreedToConsider { .. } => {
                vec![Span::raw(format!("#{} agreed to consider", e.id))]
            }
            LogEvent::Declaration {
                member,
                interest,
                withdrew,
                ..
            } => vec![Span::styled(
                format!(
                    "#{} ! interest: {member} — {interest} · {}",
                    e.id,
                    if *withdrew { "withdrew" } else { "stayed" }
                ),
                t.warn(),
            )],
            LogEvent::Decision(d) => {
                let stands = state.decision_entry(&case.reference) == Some(e.id);
                let mut v = Vec::new();
                if stands {
                    v.push(Span::styled(format!("#{} ✓ decision: ", e.id), t.ok()));
                } else if let Some(by) = state.superseded_by(e.id) {
                    v.push(Span::styled(
                        format!("#{} ✗ superseded by #{by}: ", e.id),
                        t.dim(),
                    ));
                } else {
                    v.push(Span::styled(
                        format!("#{} earlier decision: ", e.id),
                        t.dim(),
                    ));
                }
                v.push(Span::raw(decision_summary(app, d)));
                if stands && !d.reasons.trim().is_empty() {
                    v.push(Span::raw(format!(" · reasons: {}", d.reasons)));
                }
                if let (Some(old), Some(reason)) = (e.supersedes, &e.correction_reason) {
                    v.push(Span::raw(format!(" · corrects #{old}: {reason}")));
                }
                v
            }
            LogEvent::CaseAdded { .. } => {
                vec![Span::raw(format!("#{} case added (a late referral)", e.id))]
            }
            LogEvent::CaseAmended { reason, .. } => {
                vec![Span::raw(format!("#{} case amended: {reason}", e.id))]
            }
            _ => continue,
        };
        if let Some((day, place)) = meeting.entry_when(e) {
            let at = place.words_at(meeting.meeting_date());
            let when = match place {
                Place::Meeting(m) if m == day => at,
                _ => format!("{}, {at}", day.long()),
            };
            value.push(Span::styled(format!(" · {when}"), t.dim()));
        }
        let label = if out.is_empty() { "Log" } else { "" };
        out.extend(field(t, w, label, value));
    }
    out
}

/// One line on a decision: outcome, school, dates, how many agreed.
fn decision_summary(app: &App, d: &Decision) -> String {
    let mut s = d.outcome.label().to_owned();
    if let Some(u) = d.urn {
        s.push_str(&format!(" → {}", school_name(app, u)));
    }
    if let Some(st) = d.start_date {
        s.push_str(&format!(" · start {}", st.long()));
    }
    if let Some(r) = d.review_date {
        s.push_str(&format!(" · review {}", r.long()));
    }
    s.push_str(&format!(" · agreed by {}", d.agreed_by.len()));
    if !d.dissent.is_empty() {
        s.push_str(&format!(", dissent {}", d.dissent.len()));
    }
    s
}

/// "Checks" lines: ✓ when nothing fires, else one line per rule with symbol, words and source.
fn checks(app: &App, case: &Case, t: &Theme, w: usize) -> Vec<Line<'static>> {
    let Some(working) = app.working() else {
        return Vec::new();
    };
    let hits = &working.checks;
    if hits.is_empty() {
        let what =
            if app.caseload().panel.kind.is_fair_access() && case.kind == CaseKind::FairAccess {
                "✓ eligible: a category, an in-year attempt, no EHC plan, not looked after"
            } else {
                "✓ nothing to flag"
            };
        return field(t, w, "Checks", vec![Span::styled(what, t.ok())]);
    }
    let mut out = Vec::new();
    for (i, h) in hits.iter().enumerate() {
        out.extend(field(
            t,
            w,
            if i == 0 { "Checks" } else { "" },
            finding(h, false, t),
        ));
    }
    out
}

/// The pupil's preferences, always, each as the rules judge it: suggested (and where), needs a
/// reason, or refused with the rule that refuses it.
fn preferences(app: &App, t: &Theme, w: usize) -> Vec<Line<'static>> {
    let Some(working) = app.working() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for p in &working.preferences {
        let mut spans = vec![Span::raw(format!("{} {}", p.rank, school_name(app, p.urn)))];
        let worst = p.hits.iter().min_by_key(|h| h.rule.severity);
        match (worst, p.suggested) {
            (Some(h), _) if h.rule.severity != Severity::Warn => {
                spans.push(Span::raw(" · "));
                spans.extend(finding(h, true, t));
            }
            (_, Some(i)) => spans.push(Span::styled(
                format!(" · ✓ suggested {}", ordinal(i + 1)),
                t.ok(),
            )),
            _ => spans.push(Span::styled(" · not ranked", t.dim())),
        }
        out.extend(field(
            t,
            w,
            if p.rank == 1 { "Preferences" } else { "" },
            spans,
        ));
    }
    out
}

fn ordinal(n: usize) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// The schools that may be asked, lawful ones first and then those that need a reason (marked),
/// for a start the next school day after the meeting; `o` lists them all.
fn suggestions(app: &App, t: &Theme, w: usize) -> Vec<Line<'static>> {
    let Some(working) = app.working() else {
        return Vec::new();
    };
    let list = &working.suggestions;
    if list.is_empty() {
        return field(
            t,
            w,
            "Suggested",
            vec![Span::styled(
                "no mainstream school can lawfully be asked",
                t.warn(),
            )],
        );
    }
    let mut out = Vec::new();
    for (i, s) in list.iter().take(SUGGESTIONS_SHOWN).enumerate() {
        out.extend(field(
            t,
            w,
            if i == 0 { "Suggested" } else { "" },
            suggestion_spans(app, working, i, s, 30, t),
        ));
    }
    if list.len() > SUGGESTIONS_SHOWN {
        out.extend(field(
            t,
            w,
            "",
            vec![Span::styled(
                format!(
                    "… {} more: o lists every school, ranked",
                    list.len() - SUGGESTIONS_SHOWN
                ),
                t.dim(),
            )],
        ));
    }
    out
}
