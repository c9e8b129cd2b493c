//! The year's figures (issue 17): what one panel's log says about a period, as flat rows, and
//! the report's tables built from the rows of one or several panels. The rows are what
//! `fairpanel export` writes and what the report counts, so the two always agree.
//!
//! Every fact comes from where the screen gets it: a panel's log is opened as one meeting on
//! the report's last day ([`Meeting::resume`]), so the agreed date, the standing decision, the
//! clock and whether it is overdue are the meeting view's; placements per school are the
//! fair-share tally's ([`Tally::over`]) against an even share by roll
//! ([`tally::share_vs_even`]). No terminal, no SQL, no files.

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::domain::caseload::{Case, CaseKind, Caseload, Category, Phase};
use crate::domain::dates::Date;
use crate::domain::event::{Attendance, Entry, Event, Outcome};
use crate::domain::meeting::Meeting;
use crate::domain::state::{Here, pool_for};
use crate::domain::story;
use crate::domain::tally::{self, Tally};
use crate::domain::view::{ClockState, Standing};
use crate::domain::year_group::{PoolGroup, YearGroup};

/// A report's period, first and last day included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub from: Date,
    pub to: Date,
}

impl Period {
    pub fn holds(&self, d: Date) -> bool {
        self.from <= d && d <= self.to
    }
}

/// One panel's log, as the report reads it: read by `io::report`.
#[derive(Debug, Clone)]
pub struct PanelLog {
    /// The panel's latest caseload dated up to the period's end (its schools, calendar,
    /// places, settings and the cases that meeting listed).
    pub caseload: Caseload,
    /// Cases only earlier caseloads listed, each as the latest of them has it.
    pub earlier_cases: Vec<Case>,
    /// The panel's entries dated up to the period's end, in id order.
    pub entries: Vec<Entry>,
    /// Each of the panel's meetings by its row in the log.
    pub meeting_dates: HashMap<i64, Date>,
    /// The entries of the log read and the hash of the last (the chain was verified to it).
    pub log_entries: usize,
    pub head_hash: String,
}

/// One decision taken in the period (a corrected one included, marked).
#[derive(Debug, Clone, PartialEq)]
pub struct DecisionRow {
    pub panel: String,
    pub entry: i64,
    pub meeting: Option<Date>,
    pub day: Date,
    pub between_meetings: bool,
    pub case_ref: String,
    pub kind: Option<CaseKind>,
    pub categories: Vec<Category>,
    pub year_group: Option<YearGroup>,
    pub outcome: Outcome,
    pub urn: Option<u32>,
    pub start: Option<Date>,
    pub review: Option<Date>,
    /// The entry this decision corrects, and that entry's outcome.
    pub corrects: Option<(i64, Option<Outcome>)>,
    /// Why, as logged (a report withholds it when it names a pupil).
    pub correction_reason: Option<String>,
    /// A later entry corrected this one: it does not count.
    pub corrected_later: bool,
}

/// One placement made in the period and not corrected: a school place, an AP or specialist
/// place, a managed move, a reintegration at a review.
#[derive(Debug, Clone, PartialEq)]
pub struct PlacementRow {
    pub panel: String,
    pub entry: i64,
    pub case_ref: String,
    pub day: Date,
    pub outcome: Outcome,
    pub urn: Option<u32>,
    /// The AP or specialist pool it draws on, when the school is one of the panel's places.
    pub pool: Option<PoolGroup>,
    pub year_group: Option<YearGroup>,
    pub start: Option<Date>,
}

/// One case's clock: every case with a decision in the period, and every child still waiting
/// at its end.
#[derive(Debug, Clone, PartialEq)]
pub struct ClockRow {
    pub panel: String,
    pub case_ref: String,
    pub kind: CaseKind,
    pub year_of_birth: Option<i32>,
    pub referral: Date,
    pub agreed: Option<Date>,
    /// The first placement after agreement that was not corrected, if in the period.
    pub placed: Option<Date>,
    pub start: Option<Date>,
    /// School days from agreement to that placement, and to its start.
    pub to_allocation: Option<i64>,
    pub to_start: Option<i64>,
    pub standing: Standing,
    /// Still waiting at the period's end: the latest meeting lists the case and nothing has
    /// placed or closed it.
    pub waiting: bool,
    /// For a child still waiting: school days since agreement, to the period's end.
    pub waited: Option<i64>,
    pub overdue: bool,
    pub aim: i64,
}

/// A member's (or substitute's, or guest's) attendance at a meeting in the period, as it stood
/// at the end of the meeting.
#[derive(Debug, Clone, PartialEq)]
pub struct AttendanceRow {
    pub panel: String,
    pub meeting: Date,
    pub member: String,
    pub organisation: Option<String>,
    pub role: Option<String>,
    pub urn: Option<u32>,
    pub can_decide: bool,
    pub status: Attendance,
}

/// A school of the panel with its Fair Access placements in the period and its even share.
#[derive(Debug, Clone, PartialEq)]
pub struct SchoolRow {
    pub panel: String,
    pub urn: u32,
    pub name: String,
    pub school_type: String,
    pub phase: Phase,
    pub on_roll: Option<u32>,
    pub placed: u32,
    /// Placements in the period shared out by roll among the panel's mainstream schools.
    pub even_share: f64,
}

/// An AP or specialist pool of the panel's latest caseload.
#[derive(Debug, Clone, PartialEq)]
pub struct PlaceRow {
    pub panel: String,
    pub urn: u32,
    pub name: String,
    pub pool: PoolGroup,
    pub offered: i64,
}

/// The panel a panel's rows are about.
#[derive(Debug, Clone, PartialEq)]
pub struct PanelInfo {
    pub id: String,
    pub name: String,
    pub la_code: u16,
    pub la_name: String,
    pub area: Option<String>,
    pub log_entries: usize,
    pub head_hash: String,
}

/// One panel's rows for a period.
#[derive(Debug, Clone, PartialEq)]
pub struct PanelFacts {
    pub panel: PanelInfo,
    pub decisions: Vec<DecisionRow>,
    pub placements: Vec<PlacementRow>,
    pub clocks: Vec<ClockRow>,
    pub attendance: Vec<AttendanceRow>,
    pub schools: Vec<SchoolRow>,
    pub places: Vec<PlaceRow>,
    /// Every case the panel's log knows, for withholding a correction's reason that names a
    /// pupil (empty when no decision in the period has a reason).
    pub cases: Vec<Case>,
}

/// One panel's rows for `period`, read from its log as one meeting on the period's last day.
pub fn panel_facts(log: PanelLog, period: Period) -> PanelFacts {
    let PanelLog {
        mut caseload,
        earlier_cases,
        entries,
        meeting_dates,
        log_entries,
        head_hash,
    } = log;
    // Cases the latest meeting lists: they are the ones still waiting, if nothing placed them.
    let mut latest: HashSet<String> = caseload.cases.iter().map(|k| k.reference.clone()).collect();
    let latest_meeting = entries
        .iter()
        .filter(|e| meeting_dates.get(&e.meeting_id) == Some(&caseload.panel.meeting_date))
        .map(|e| e.meeting_id)
        .next();
    for e in &entries {
        if Some(e.meeting_id) == latest_meeting
            && let Event::CaseAdded { case } = &e.event
        {
            latest.insert(case.reference.clone());
        }
    }
    let known: HashSet<String> = latest.clone();
    caseload.cases.extend(
        earlier_cases
            .into_iter()
            .filter(|k| !known.contains(&k.reference)),
    );
    let panel = caseload.panel.clone();
    caseload.panel.meeting_date = period.to;
    let dates = meeting_dates.clone();
    let m = Meeting::resume(caseload, Here::All, entries).with_meeting_dates(meeting_dates);
    let c = m.caseload();
    let state = m.state();
    let cal = m.calendar();
    let meeting_of = |id: i64| dates.get(&id).copied();
    let case_of = |r: &str| m.case_index(r).and_then(|i| m.case(i));

    let mut decisions = Vec::new();
    let mut placements = Vec::new();
    // The first placement after agreement that stands, per case (the clock stops there).
    let mut first_placed: HashMap<&str, (Date, Option<Date>)> = HashMap::new();
    for e in state.entries() {
        let Event::Decision(d) = &e.event else {
            continue;
        };
        let Some((day, place)) = story::when(e, meeting_of) else {
            continue;
        };
        let corrected_later = state.superseded_by(e.id).is_some();
        let case = case_of(&d.case_ref);
        if !corrected_later && d.outcome.places_child() {
            let agreed = m
                .case_index(&d.case_ref)
                .and_then(|i| m.facts(i))
                .and_then(|f| f.agreed);
            if agreed.is_none_or(|a| a <= day) {
                first_placed
                    .entry(d.case_ref.as_str())
                    .or_insert((day, d.start_date));
            }
        }
        if !period.holds(day) {
            continue;
        }
        let year_group = d
            .year_group
            .or_else(|| case.and_then(|k| YearGroup::on(k.pupil.date_of_birth, day)));
        if !corrected_later && d.outcome.places_child() {
            placements.push(PlacementRow {
                panel: panel.id.clone(),
                entry: e.id,
                case_ref: d.case_ref.clone(),
                day,
                outcome: d.outcome,
                urn: d.urn,
                pool: d.urn.and_then(|u| pool_for(c, u, d)),
                year_group,
                start: d.start_date,
            });
        }
        decisions.push(DecisionRow {
            panel: panel.id.clone(),
            entry: e.id,
            meeting: meeting_of(e.meeting_id),
            day,
            between_meetings: matches!(place, story::Place::Between),
            case_ref: d.case_ref.clone(),
            kind: case.map(|k| k.kind),
            categories: case
                .map_or_else(Vec::new, |k| k.categories.iter().map(|x| x.code).collect()),
            year_group,
            outcome: d.outcome,
            urn: d.urn,
            start: d.start_date,
            review: d.review_date,
            corrects: e.supersedes.map(|old| {
                let was = state.entry(old).and_then(|o| match &o.event {
                    Event::Decision(x) => Some(x.outcome),
                    _ => None,
                });
                (old, was)
            }),
            correction_reason: e.correction_reason.clone(),
            corrected_later,
        });
    }

    let decided: HashSet<&str> = decisions.iter().map(|d| d.case_ref.as_str()).collect();
    let mut clocks = Vec::new();
    let mut seen: HashSet<&str> = HashSet::new();
    for k in &c.cases {
        let r = k.reference.as_str();
        if !seen.insert(r) {
            continue;
        }
        let Some(f) = m.case_index(r).and_then(|i| m.facts(i)) else {
            continue;
        };
        let waiting = latest.contains(r) && f.standing.is_open();
        if !waiting && !decided.contains(r) {
            continue;
        }
        let placed = first_placed.get(r).filter(|(d, _)| period.holds(*d));
        let between = |to: Option<Date>| {
            f.agreed
                .zip(to)
                .and_then(|(a, t)| cal.school_days_between(a, t))
        };
        let case = case_of(r).unwrap_or(k);
        clocks.push(ClockRow {
            panel: panel.id.clone(),
            case_ref: k.reference.clone(),
            kind: case.kind,
            year_of_birth: Some(chrono::Datelike::year(&case.pupil.date_of_birth.0)),
            referral: case.referral_date,
            agreed: f.agreed,
            placed: placed.map(|p| p.0),
            start: placed.and_then(|p| p.1),
            to_allocation: between(placed.map(|p| p.0)),
            to_start: between(placed.and_then(|p| p.1)),
            standing: f.standing,
            waiting,
            waited: if waiting { f.clock.since_agreed } else { None },
            overdue: waiting && f.clock_state() == ClockState::Overdue,
            aim: f.clock.aim,
        });
    }

    // Attendance as each meeting in the period ended.
    let mut attendance = Vec::new();
    let mut by_meeting: BTreeMap<(Date, i64), BTreeMap<String, AttendanceRow>> = BTreeMap::new();
    for e in state.entries() {
        let Some(day) = meeting_of(e.meeting_id).filter(|d| period.holds(*d)) else {
            continue;
        };
        let row = |member: &str, status| {
            let who = c.panel.members.iter().find(|x| x.name == member);
            AttendanceRow {
                panel: panel.id.clone(),
                meeting: day,
                member: member.to_owned(),
                organisation: who.map(|x| x.organisation.clone()),
                role: who.map(|x| x.role.clone()),
                urn: who.and_then(|x| x.urn),
                can_decide: who.is_some_and(|x| x.can_decide),
                status,
            }
        };
        let at = by_meeting.entry((day, e.meeting_id)).or_default();
        match &e.event {
            Event::Attendance { member, status, .. } => {
                let mut r = row(member, *status);
                if let Some(old) = at.get(member) {
                    r.organisation = old.organisation.clone().or(r.organisation);
                    r.role = old.role.clone().or(r.role);
                    r.urn = old.urn.or(r.urn);
                    r.can_decide = old.can_decide || r.can_decide;
                }
                at.insert(member.clone(), r);
            }
            Event::Joined(g) => {
                let mut r = row(&g.name, Attendance::Present);
                r.organisation = Some(g.organisation.clone());
                r.role = Some(g.role.clone());
                r.urn = g.urn;
                r.can_decide = g.can_decide;
                at.insert(g.name.clone(), r);
            }
            _ => {}
        }
    }
    for rows in by_meeting.into_values() {
        attendance.extend(rows.into_values());
    }

    let period_tally = Tally::over(state, period.from, period.to);
    let schools = tally::share_vs_even(c, &period_tally)
        .into_iter()
        .filter_map(|(urn, placed, even)| {
            let s = c.schools.iter().find(|s| s.urn == urn)?;
            Some(SchoolRow {
                panel: panel.id.clone(),
                urn,
                name: s.name.clone(),
                school_type: s.school_type.clone(),
                phase: s.phase,
                on_roll: s.on_roll,
                placed,
                even_share: even,
            })
        })
        .collect();
    let places = c
        .places
        .iter()
        .flat_map(|p| {
            let name = c
                .schools
                .iter()
                .find(|s| s.urn == p.urn)
                .map_or_else(|| format!("URN {}", p.urn), |s| s.name.clone());
            p.pools.iter().map(move |x| PlaceRow {
                panel: String::new(),
                urn: p.urn,
                name: name.clone(),
                pool: x.group,
                offered: x.offered,
            })
        })
        .map(|mut r| {
            r.panel = panel.id.clone();
            r
        })
        .collect();
    // The pupils a correction's reason might name, only when there is a reason to read.
    let mut cases: Vec<Case> = Vec::new();
    if decisions.iter().any(|d| d.correction_reason.is_some()) {
        let mut seen: HashSet<&str> = HashSet::new();
        for k in &c.cases {
            if seen.insert(k.reference.as_str()) {
                cases.push(k.clone());
            }
        }
    }
    PanelFacts {
        panel: PanelInfo {
            id: panel.id.clone(),
            name: panel.name.clone(),
            la_code: panel.la_code,
            la_name: panel.la_name.clone(),
            area: panel.area.clone(),
            log_entries,
            head_hash,
        },
        decisions,
        placements,
        clocks,
        attendance,
        schools,
        places,
        cases,
    }
}

/// The value at fraction `p` of the sorted values, by nearest rank (the smallest value with at
/// least `p` of them at or below it): the median is `p = 0.5`. `docs/export.sql` counts it so.
pub fn nearest_rank(sorted: &[i64], p: f64) -> Option<i64> {
    if sorted.is_empty() {
        return None;
    }
    let rank = (p * sorted.len() as f64).ceil() as usize;
    sorted.get(rank.clamp(1, sorted.len()) - 1).copied()
}
