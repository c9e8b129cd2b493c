//! The working shown on screen (ux.md "Show the working"): the rules that fire on a case with
//! their sources, the ranked schools with the figures that rank them, and each school's tally.

use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::{Theme, field, fit};
use crate::app::{App, QueueItem};
use crate::caseload::model::{Case, School};
use crate::log::state::LogState;
use crate::rules::{self, Severity};
use crate::tally::{self, Tally};
use crate::text::escape;

/// How many suggested schools the detail pane lists.
pub const SUGGESTIONS_SHOWN: usize = 5;

fn state(app: &App) -> std::borrow::Cow<'_, LogState> {
    match &app.session {
        Some(s) => std::borrow::Cow::Borrowed(&s.state),
        None => std::borrow::Cow::Owned(LogState::default()),
    }
}

/// "Checks" lines: ✓ when nothing fires, else one line per rule with symbol, words and source.
pub(super) fn checks(
    app: &App,
    q: &QueueItem,
    case: &Case,
    t: &Theme,
    w: usize,
) -> Vec<Line<'static>> {
    let st = state(app);
    let hits = rules::case_checks(&app.caseload, &st, case, &q.clock);
    if hits.is_empty() {
        let what = if app.caseload.panel.kind.is_fair_access()
            && case.kind == crate::caseload::model::CaseKind::FairAccess
        {
            "✓ eligible: a category, an in-year attempt, no EHC plan, not looked after"
        } else {
            "✓ nothing to flag"
        };
        return field(t, w, "Checks", vec![Span::styled(what, t.ok())]);
    }
    let mut out = Vec::new();
    for (i, h) in hits.iter().enumerate() {
        let (sym, style) = match h.rule.severity {
            Severity::Refuse => ("✗ ", t.bad()),
            Severity::NeedsReason => ("! ", t.warn()),
            Severity::Warn => ("! ", t.warn()),
        };
        let detail = if h.detail.is_empty() {
            String::new()
        } else {
            format!(" ({})", h.detail)
        };
        out.extend(field(
            t,
            w,
            if i == 0 { "Checks" } else { "" },
            vec![
                Span::styled(format!("{sym}{}", h.rule.summary), style),
                Span::raw(detail),
                Span::styled(format!(" [{}: {}]", h.rule.name, h.rule.source), t.dim()),
            ],
        ));
    }
    out
}

/// The ranked schools for the case, starting the next school day after the meeting.
pub(super) fn suggestions(app: &App, case: &Case, t: &Theme, w: usize) -> Vec<Line<'static>> {
    let meeting = app.caseload.panel.meeting_date;
    let start = app
        .calendar
        .nth_school_day_after(meeting, 1)
        .unwrap_or(meeting);
    let st = state(app);
    let list = tally::suggest(&app.caseload, &st, case, start);
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
        let name = app
            .school(s.urn)
            .map_or_else(|| s.urn.to_string(), |x| escape(&x.name).into_owned());
        let year = crate::year_group::YearGroup::on(case.pupil.date_of_birth, start)
            .map_or("year".to_owned(), |y| y.to_string());
        let mut figs = vec![match s.per_100 {
            Some(p) => format!("{year} {} ({p:.2}/100)", s.in_year_group),
            None => format!("{year} {} (roll ?)", s.in_year_group),
        }];
        figs.push(match s.cap {
            Some(k) => format!("{}/{k} this year", s.total),
            None => format!("{} this year", s.total),
        });
        if let Some(d) = s.distance_km {
            figs.push(format!("{d:.1} km"));
        }
        if let Some(p) = s.preference {
            figs.push(format!("pref {p}"));
        }
        if let Some(r) = &s.religion {
            figs.push(escape(r).into_owned());
        }
        let mut spans = vec![
            Span::styled(format!("{} {} ", i + 1, fit(&name, 30)), t.label()),
            Span::raw(figs.join(" · ")),
        ];
        for n in &s.notes {
            spans.push(Span::styled(format!(" · ! {n}"), t.warn()));
        }
        out.extend(field(t, w, if i == 0 { "Suggested" } else { "" }, spans));
    }
    if list.len() > SUGGESTIONS_SHOWN {
        out.extend(field(
            t,
            w,
            "",
            vec![Span::styled(
                format!(
                    "… and {} more, ranked the same way",
                    list.len() - SUGGESTIONS_SHOWN
                ),
                t.dim(),
            )],
        ));
    }
    out
}

/// A school's Fair Access placements this year by year group, and its share against an even
/// split by roll.
pub(super) fn school_tally(app: &App, s: &School, t: &Theme, w: usize) -> Vec<Line<'static>> {
    let st = state(app);
    let tally = Tally::build(&app.caseload, &st);
    let by = tally.by_school.get(&s.urn);
    let years: Vec<String> = by
        .map(|m| {
            m.iter()
                .filter(|(_, n)| **n > 0)
                .map(|(y, n)| format!("{y} {n}"))
                .collect()
        })
        .unwrap_or_default();
    let mut out = field(
        t,
        w,
        "This year",
        vec![Span::raw(format!(
            "{} Fair Access placements{}",
            tally.total(s.urn),
            if years.is_empty() {
                String::new()
            } else {
                format!(" ({})", years.join(" · "))
            }
        ))],
    );
    if !(s.ap || s.pru || s.special)
        && let Some((_, placed, even)) = tally::share_vs_even(&app.caseload, &tally)
            .into_iter()
            .find(|(u, _, _)| *u == s.urn)
    {
        let diff = f64::from(placed) - even;
        let (sym, style) = if diff > 0.5 {
            ("▲ above", t.warn())
        } else if diff < -0.5 {
            ("▼ below", Style::new())
        } else {
            ("= about", Style::new())
        };
        out.extend(field(
            t,
            w,
            "Fair share",
            vec![Span::styled(
                format!("{sym} an even split by roll ({placed} placed, even share {even:.1})"),
                style,
            )],
        ));
    }
    if let Some(k) = s.pan.values().copied().max().and_then(|_| {
        let y = *s.pan.keys().next()?;
        tally::cap(&app.caseload, s, y)
    }) {
        out.extend(field(
            t,
            w,
            "Cap",
            vec![Span::raw(format!(
                "{k} a year (local rule: 1 per {} of PAN)",
                app.caseload
                    .panel
                    .settings
                    .fair_share_pan_per_placement
                    .unwrap_or(0)
            ))],
        ));
    }
    out
}
