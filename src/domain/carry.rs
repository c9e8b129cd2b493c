//! The next meeting's caseload, carried from this one as its log stands (`fairpanel next`): what
//! a chair re-typed by hand before. Every fact comes from the meeting view, so what is carried is
//! what the screen and the minutes said: a case still waiting is carried with its clock, a
//! deferral with what was asked for, a placement only when its review falls due, AP places with
//! what this meeting used. Pure: the log is read, and the file written, by `io::next`.

use crate::domain::caseload::{Caseload, Deferred, FORMAT, ReviewDue};
use crate::domain::dates::Date;
use crate::domain::event::{Decision, Event, Outcome};
use crate::domain::meeting::Meeting;
use crate::domain::state::pool_for;
use crate::domain::view::Standing;
use crate::domain::words;

/// What was carried, by case reference, for the summary and the tests.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Carried {
    /// Still waiting for a place (not yet decided, escalated, or back after a breakdown).
    pub open: Vec<String>,
    pub deferred: Vec<String>,
    /// Placements whose review falls due by the next meeting.
    pub reviews: Vec<String>,
    /// Placed with no review due, or closed: not carried.
    pub left: Vec<String>,
    /// Added or amended at this meeting (carried as the log holds them, if carried at all).
    pub added: Vec<String>,
    pub amended: Vec<String>,
}

impl Carried {
    /// What was carried, by count only (never a pupil), as the CLI and the screen say it.
    pub fn words(&self) -> String {
        let carried = self.open.len() + self.deferred.len() + self.reviews.len();
        let changed = match (self.added.len(), self.amended.len()) {
            (0, 0) => String::new(),
            (a, m) => format!(
                "; {} and {} amended at the meeting, as the log holds them",
                words::count(a as i64, "case added", "cases added"),
                m
            ),
        };
        format!(
            "{} ({} waiting, {} deferred, {} due for review){changed}; {} placed or closed left out",
            words::count(carried as i64, "case", "cases"),
            self.open.len(),
            self.deferred.len(),
            self.reviews.len(),
            self.left.len(),
        )
    }
}

/// The next meeting's caseload, on `date`, from `m` as its log stands; and what was carried.
/// The caller checks `date` is after the meeting and the result passes the caseload checks.
pub fn next_caseload(m: &Meeting, date: Date) -> (Caseload, Carried) {
    let mut c = m.caseload().clone();
    let state = m.state();
    let mut carried = Carried::default();
    for e in state.own_entries() {
        match &e.event {
            Event::CaseAdded { case } => carried.added.push(case.reference.clone()),
            Event::CaseAmended { case, .. } if !carried.amended.contains(&case.reference) => {
                carried.amended.push(case.reference.clone())
            }
            _ => {}
        }
    }

    let mut cases = Vec::new();
    for (i, k) in m.caseload().cases.iter().enumerate() {
        let Some(f) = m.facts(i) else { continue };
        let decision = state.current_decision(&k.reference).map(|(e, d)| (e.id, d));
        let mut next = k.clone();
        next.fap_agreed_date = f.agreed;
        next.deferred = None;
        next.review = None;
        let keep = match (f.standing, decision) {
            (Standing::Deferred, Some((_, d))) => {
                next.deferred = Some(Deferred {
                    on: d.decided_on.unwrap_or(m.meeting_date()),
                    asked_for: d.reasons.clone(),
                });
                carried.deferred.push(k.reference.clone());
                true
            }
            (Standing::Open | Standing::Escalated | Standing::BrokeDown, _) => {
                carried.open.push(k.reference.clone());
                true
            }
            (Standing::Placed, Some((entry, d))) => match f
                .review
                .filter(|r| *r <= date)
                .map(|r| review_due(entry, d, r))
            {
                Some(r) => {
                    next.review = Some(r);
                    carried.reviews.push(k.reference.clone());
                    true
                }
                None => false,
            },
            _ => false,
        };
        if keep {
            cases.push(next);
        } else {
            carried.left.push(k.reference.clone());
        }
    }
    c.cases = cases;

    // Places: those this meeting took are used; those a review ended are free again.
    for prov in &mut c.places {
        for pool in &mut prov.pools {
            pool.used += m.places_taken(prov.urn, pool.group);
        }
    }
    for (e, d) in state.current_decisions() {
        if !state.is_here(e) || !frees_place(d) {
            continue;
        }
        let Some(r) = &d.review_of else { continue };
        let Some(urn) = r.urn else { continue };
        let placed = Decision {
            urn: r.urn,
            year_group: r.year_group,
            start_date: r.start_date,
            ..Decision::new(&d.case_ref, r.outcome)
        };
        let Some(group) = pool_for(m.caseload(), urn, &placed) else {
            continue;
        };
        if let Some(pool) = c
            .places
            .iter_mut()
            .find(|p| p.urn == urn)
            .and_then(|p| p.pools.iter_mut().find(|x| x.group == group))
        {
            pool.used = (pool.used - 1).max(0);
        }
    }

    c.format = FORMAT.to_owned();
    c.panel.meeting_date = date;
    // The venue, start time and LA contact usually stay; the meeting after the next is not
    // known yet.
    c.panel.next_meeting = None;
    (c, carried)
}

/// A review outcome after which the child no longer takes the place reviewed.
fn frees_place(d: &Decision) -> bool {
    matches!(
        d.outcome,
        Outcome::ReviewEnded | Outcome::ReviewBreakdown | Outcome::ReviewReintegrated
    )
}

/// The review, due on `date` (the meeting view's), of the standing placement `d` (log entry
/// `entry`).
fn review_due(entry: i64, d: &Decision, date: Date) -> ReviewDue {
    ReviewDue {
        placement: d.placed_by().as_str().to_owned(),
        urn: d.urn,
        start_date: d.start_date,
        review_date: date,
        reduced_timetable: d.reduced_timetable,
        entry,
    }
}
