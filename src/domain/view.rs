//! The meeting view: every fact a screen, the CLI or the minutes show about the meeting and its
//! cases, derived in one place from the caseload and the log, so no two of them can disagree.
//!
//! [`Facts`] is built once when a meeting opens and brought up to date by `Meeting::record` after
//! each entry (only the cases and pools the entry touches are recomputed). Renderers read it and
//! never compute a clock, a count or a place of their own.

use std::collections::HashMap;

use crate::domain::calendar::SchoolCalendar;
use crate::domain::caseload::{Case, Caseload, Pool};
use crate::domain::clock::{Clock, Urgency};
use crate::domain::dates::Date;
use crate::domain::event::{Decision, Outcome, When};
use crate::domain::names::NameIndex;
use crate::domain::state::{LogState, pool_for};
use crate::domain::tally::Tally;
use crate::domain::year_group::{PoolGroup, YearGroup};

/// What a case's standing decision means for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// No decision yet.
    Open,
    /// Deferred for more information: the clock runs on.
    Deferred,
    /// A school refused: escalated to a direction; the clock runs on.
    Escalated,
    /// Placed (a school, an AP place or a managed move): the clock stops.
    Placed,
    /// Closed without a placement (not eligible, redirected, withdrawn, a placement ended).
    Closed,
    /// A placement broke down at its review: back with the panel, with its history; the clock
    /// it once stopped stays stopped.
    BrokeDown,
}

impl Standing {
    fn of(outcome: Option<Outcome>) -> Standing {
        match outcome {
            None => Standing::Open,
            Some(Outcome::DeferMoreInfo) => Standing::Deferred,
            Some(Outcome::RefusedEscalateDirection) => Standing::Escalated,
            Some(Outcome::ReviewBreakdown) => Standing::BrokeDown,
            Some(o) if o.places_child() || o.continues_placement() => Standing::Placed,
            Some(_) => Standing::Closed,
        }
    }

    /// A decision stopped the case's clock: a placement, a closing outcome, or a placement that
    /// later broke down (the clock it stopped stays stopped).
    pub fn stops_clock(self) -> bool {
        !self.is_open() || self == Standing::BrokeDown
    }

    /// Still waiting for a place: carried to the next meeting.
    pub fn is_open(self) -> bool {
        matches!(
            self,
            Standing::Open | Standing::Deferred | Standing::Escalated | Standing::BrokeDown
        )
    }
}

/// Where a case stands against the 20-school-day aim, as every screen and the minutes say it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClockState {
    NotAgreed,
    OnTime,
    /// From five school days before the aim (day 15 of 20) to the aim itself: a place allocated
    /// on day 20 is on time (domain.md §6 rule 7).
    DueSoon,
    /// From the school day after the aim (day 21 of 20) with no placement.
    Overdue,
    /// Agreed, but the calendar does not cover the dates: no count is given.
    Unknown,
    /// A placement (or a decision that closes the case) stopped a clock that had started.
    Stopped,
}

/// One case as the meeting sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseFacts {
    /// The day the panel agreed to consider the case: the log's record, else the caseload's.
    pub agreed: Option<Date>,
    /// Counted to the meeting date, or to the decision that stopped it.
    pub clock: Clock,
    /// Year group on the meeting date (31 August rule).
    pub year: Option<YearGroup>,
    pub standing: Standing,
    /// The next review of a standing placement that has one (AP, managed move, reduced
    /// timetable), and whether it falls due by this meeting.
    pub review: Option<Date>,
    pub review_due: bool,
}

impl CaseFacts {
    pub fn clock_state(&self) -> ClockState {
        if self.standing.stops_clock() && self.agreed.is_some() {
            return ClockState::Stopped;
        }
        match self.clock.urgency() {
            Urgency::NotAgreed => ClockState::NotAgreed,
            Urgency::Unknown => ClockState::Unknown,
            Urgency::Running => ClockState::OnTime,
            Urgency::Warning => ClockState::DueSoon,
            Urgency::Overdue => ClockState::Overdue,
        }
    }
}

/// The counts the status line, the agenda line and the minutes give.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    pub cases: usize,
    pub agreed: usize,
    pub overdue: usize,
    /// Cases with an entry at this meeting (as the minutes' `cases_considered`).
    pub heard: usize,
    /// Cases whose standing decision is not a deferral.
    pub decided: usize,
    /// Cases deferred for more information.
    pub deferred: usize,
    pub free_places: i64,
}

/// Per-case facts and places taken, kept up to date entry by entry.
#[derive(Debug, Clone)]
pub struct Facts {
    by_ref: HashMap<String, usize>,
    cases: Vec<CaseFacts>,
    /// Places taken by standing decisions, per provision and pool.
    taken: HashMap<(u32, PoolGroup), i64>,
    /// What identifies any of the caseload's pupils in free text (full names, dates of birth,
    /// contacts, UPNs), the schools' names masked: the rules read it for every text typed.
    /// Built on the first text checked ([`Ctx::names`]), not when the meeting opens: on a large
    /// caseload it is most of the opening time, and a meeting that only reads never needs it.
    /// `Facts` is rebuilt whenever the caseload changes, so it never outlives its pupils.
    names: std::sync::OnceLock<NameIndex>,
}

/// Everything a rule or a fact reads, borrowed from the meeting.
#[derive(Clone, Copy)]
pub struct Ctx<'a> {
    pub caseload: &'a Caseload,
    pub calendar: &'a SchoolCalendar,
    pub state: &'a LogState,
    pub facts: &'a Facts,
    /// The fair-share tally of the academic year, kept live.
    pub tally: &'a Tally,
}

impl<'a> Ctx<'a> {
    /// The case with this reference, and its index in the caseload.
    pub fn case(&self, case_ref: &str) -> Option<(usize, &'a Case)> {
        let i = *self.facts.by_ref.get(case_ref)?;
        self.caseload.cases.get(i).map(|c| (i, c))
    }

    /// "Today" for an entry: the meeting date, or the date between meetings.
    pub fn today(&self, when: When) -> Date {
        match when {
            When::Meeting => self.caseload.panel.meeting_date,
            When::Between(d) => d,
        }
    }

    /// The free-text index of the caseload's pupils (see `Facts`), built on first use.
    pub fn names(&self) -> &'a NameIndex {
        self.facts.names.get_or_init(|| {
            NameIndex::identities(&self.caseload.cases).with_schools(self.caseload.school_names())
        })
    }

    /// The agreed date of a case: the log's, else the caseload's.
    pub fn agreed(&self, case_ref: &str) -> Option<Date> {
        self.case(case_ref)
            .and_then(|(i, _)| self.facts.cases.get(i))
            .and_then(|f| f.agreed)
    }
}

impl Facts {
    pub fn build(c: &Caseload, cal: &SchoolCalendar, state: &LogState) -> Facts {
        let by_ref = c
            .cases
            .iter()
            .enumerate()
            .map(|(i, k)| (k.reference.clone(), i))
            .collect();
        let cases = c
            .cases
            .iter()
            .map(|k| case_facts(c, cal, state, k))
            .collect();
        let mut f = Facts {
            by_ref,
            cases,
            taken: HashMap::new(),
            names: std::sync::OnceLock::new(),
        };
        // Places are the meeting's: those used before it are the caseload's `used`.
        for (e, d) in state.current_decisions() {
            if state.is_here(e) {
                f.take(c, d, 1);
            }
        }
        f
    }

    /// Brings the facts up to date after `state` took a new entry of the meeting's own for
    /// `case_ref` that may have replaced the meeting's decision `old` (a correction frees its
    /// place).
    pub fn update(
        &mut self,
        c: &Caseload,
        cal: &SchoolCalendar,
        state: &LogState,
        case_ref: &str,
        old: Option<&Decision>,
    ) {
        let new = state.current_decision(case_ref).map(|(_, d)| d);
        if old != new {
            if let Some(d) = old {
                self.take(c, d, -1);
            }
            if let Some(d) = new {
                self.take(c, d, 1);
            }
        }
        if let Some(&i) = self.by_ref.get(case_ref)
            && let (Some(slot), Some(k)) = (self.cases.get_mut(i), c.cases.get(i))
        {
            *slot = case_facts(c, cal, state, k);
        }
    }

    fn take(&mut self, c: &Caseload, d: &Decision, n: i64) {
        if !d.outcome.places_child() {
            return;
        }
        if let Some(urn) = d.urn
            && let Some(g) = pool_for(c, urn, d)
        {
            *self.taken.entry((urn, g)).or_default() += n;
        }
    }

    pub fn case(&self, i: usize) -> Option<&CaseFacts> {
        self.cases.get(i)
    }

    pub fn index_of(&self, case_ref: &str) -> Option<usize> {
        self.by_ref.get(case_ref).copied()
    }

    /// Places taken at this meeting from a pool by the decisions that stand.
    pub fn taken(&self, urn: u32, group: PoolGroup) -> i64 {
        self.taken.get(&(urn, group)).copied().unwrap_or(0)
    }

    /// Places left in a pool now: offered, less used before the meeting, less taken in the log.
    pub fn left(&self, urn: u32, pool: &Pool) -> i64 {
        (pool.offered - pool.used - self.taken(urn, pool.group)).max(0)
    }

    pub fn summary(&self, c: &Caseload, state: &LogState) -> Summary {
        let mut s = Summary {
            cases: self.cases.len(),
            ..Summary::default()
        };
        for f in &self.cases {
            s.agreed += usize::from(f.agreed.is_some());
            s.overdue += usize::from(f.clock_state() == ClockState::Overdue);
            s.decided += usize::from(!matches!(f.standing, Standing::Open | Standing::Deferred));
            s.deferred += usize::from(f.standing == Standing::Deferred);
        }
        let heard: std::collections::HashSet<&str> = state
            .own_entries()
            .filter_map(|e| e.event.case_ref())
            .filter(|r| self.by_ref.contains_key(*r))
            .collect();
        s.heard = heard.len();
        s.free_places = c
            .places
            .iter()
            .flat_map(|p| p.pools.iter().map(move |x| self.left(p.urn, x)))
            .sum();
        s
    }
}

fn case_facts(c: &Caseload, cal: &SchoolCalendar, state: &LogState, k: &Case) -> CaseFacts {
    let agreed = state.agreed_in_log(&k.reference).or(k.fap_agreed_date);
    let decision = state.current_decision(&k.reference).map(|(_, d)| d);
    let standing = Standing::of(decision.map(|d| d.outcome));
    let meeting = c.panel.meeting_date;
    let review = decision
        .filter(|d| d.is_reviewable())
        .and_then(|d| d.review_date);
    // A placement stops the clock on the day it was decided.
    let until = match (standing.stops_clock(), decision.and_then(|d| d.decided_on)) {
        (true, Some(on)) if on < meeting => on,
        _ => meeting,
    };
    CaseFacts {
        agreed,
        clock: Clock::of(k, agreed, cal, until, c.panel.settings.clock_school_days),
        year: YearGroup::on(k.pupil.date_of_birth, meeting),
        standing,
        review,
        review_due: review.is_some_and(|r| r <= meeting),
    }
}
