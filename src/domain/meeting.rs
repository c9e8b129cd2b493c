//! A meeting: its caseload, what its log holds, and the facts every screen reads. The one way in
//! for every change of state is [`Meeting::record`]: it checks the entry against the rules,
//! hands it to the log to write durably, and only then changes memory. The log itself is behind
//! the [`LogWriter`] trait, so the domain never speaks SQL and a test can use a log in memory, or
//! one that fails.

use std::collections::HashMap;

use crate::domain::calendar::SchoolCalendar;
use crate::domain::caseload::{Case, CaseKind, Caseload, Pool, School};
use crate::domain::dates::Date;
use crate::domain::event::{
    Decision, Entry, Event, OptionShown, Outcome, Proposal, Reviewed, When,
};
use crate::domain::rules::{self, Hit, Severity};
use crate::domain::state::{Here, LogState, Quorum};
use crate::domain::story::{self, Place, Sources, Story};
use crate::domain::tally::{self, Suggestion, Tally};
use crate::domain::view::{CaseFacts, Ctx, Facts, Summary};
use crate::domain::year_group::{PoolGroup, YearGroup};

/// How many ranked schools a decision keeps as "options considered" (plus the chosen one).
pub const OPTIONS_KEPT: usize = 5;

/// An entry for the log to write: the event, what it corrects, and when it was written.
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    pub event: Event,
    pub supersedes: Option<i64>,
    pub correction_reason: Option<String>,
    /// UTC, RFC 3339: the log's own clock, for the audit trail only.
    pub recorded_at: String,
}

/// Where entries are written durably. The SQLite log implements it; so does a log in memory.
pub trait LogWriter {
    type Error: std::fmt::Display;
    /// Writes one entry so that it survives a crash (fsynced), and returns what was written, in
    /// order, with ids and places in the hash chain: the draft's entry last, after any entry the
    /// log writes with it (a caseload revision waiting for the meeting's first entry). On `Err`
    /// nothing was written.
    fn append(&mut self, draft: Draft) -> Result<Vec<Entry>, Self::Error>;
}

/// What `record` wrote, and the warnings that fired on it.
#[derive(Debug, Clone, PartialEq)]
pub struct Recorded {
    pub entry: Entry,
    pub warnings: Vec<Hit>,
}

#[derive(Debug)]
pub enum RecordError<E> {
    /// A rule refused it; nothing was written. Warnings that also fired are included.
    Refused(Vec<Hit>),
    /// The log could not write it; nothing changed, on disk or in memory.
    Write(E),
}

/// The checks and ranked schools for one case, as the detail pane shows them.
#[derive(Debug, Clone, PartialEq)]
pub struct Working {
    pub case: usize,
    pub checks: Vec<Hit>,
    /// Mainstream schools that may be asked, as the rules judge naming each in a placement
    /// starting on `start`: those nothing stands against first, then those that need a reason,
    /// each group in the tally's order. A school a rule refuses is not suggested.
    pub suggestions: Vec<Suggested>,
    /// The pupil's preferences in order, each as the rules judge it, suggested or not.
    pub preferences: Vec<Preference>,
    /// The start date the suggestions assume: the next school day after the meeting.
    pub start: Date,
    pub year_on_start: Option<YearGroup>,
}

/// A school that may be asked, with what naming it would add to the rules' findings.
#[derive(Debug, Clone, PartialEq)]
pub struct Suggested {
    pub school: Suggestion,
    /// Warnings and checks that need a reason; never a refusal.
    pub hits: Vec<Hit>,
}

impl Suggested {
    /// Naming it needs an override reason (fair-share cap, top of the tally, a local bar).
    pub fn needs_reason(&self) -> bool {
        self.hits
            .iter()
            .any(|h| h.rule.severity == Severity::NeedsReason)
    }
}

/// One of the pupil's preferences (domain.md §2: weighed, never a bar by itself).
#[derive(Debug, Clone, PartialEq)]
pub struct Preference {
    /// 1 for the first preference.
    pub rank: usize,
    pub urn: u32,
    /// What naming it would add to the rules' findings: a refusal says why it cannot be named.
    pub hits: Vec<Hit>,
    /// Its place in `Working::suggestions`, if suggested.
    pub suggested: Option<usize>,
}

impl Preference {
    pub fn refused(&self) -> bool {
        self.hits
            .iter()
            .any(|h| h.rule.severity == Severity::Refuse)
    }
}

/// A case added or amended changes the caseload: the added case joins the end, an amended one
/// takes its place. Says whether `event` was one.
pub fn apply_case(c: &mut Caseload, event: &Event) -> bool {
    match event {
        Event::CaseAdded { case } => {
            c.cases.push((**case).clone());
            true
        }
        Event::CaseAmended { case, .. } => {
            if let Some(slot) = c.cases.iter_mut().find(|k| k.reference == case.reference) {
                *slot = (**case).clone();
            }
            true
        }
        _ => false,
    }
}

/// The outcome a case's decision usually takes, by what the case asks for.
pub fn usual_outcome(kind: CaseKind) -> Outcome {
    match kind {
        CaseKind::FairAccess => Outcome::AllocateSchool,
        CaseKind::ManagedMove => Outcome::ManagedMoveAgreed,
        CaseKind::PlaceRequest => Outcome::AllocateApInterim,
    }
}

#[derive(Debug, Clone)]
pub struct Meeting {
    caseload: Caseload,
    calendar: SchoolCalendar,
    state: LogState,
    facts: Facts,
    /// Fair Access placements this academic year (kept live, decision by decision), and each
    /// school's share against an even split by roll (worked out again after each decision).
    tally: Tally,
    shares: Vec<(u32, u32, f64)>,
    /// Counts every entry applied, so cached working can tell it is stale.
    version: u64,
    /// The date of each earlier meeting the history names, by its row in the log.
    meeting_dates: HashMap<i64, Date>,
}

impl Meeting {
    /// The meeting as its own entries say it stands (a log of one meeting, or one in memory).
    pub fn new(caseload: Caseload, entries: &[Entry]) -> Meeting {
        Self::resume(caseload, Here::All, entries.to_vec())
    }

    /// The meeting as the log says it stands: `entries` is its history (its own entries, its
    /// cases' earlier ones, the academic year's placements), `here` says which are its own.
    pub fn resume(mut caseload: Caseload, here: Here, entries: Vec<Entry>) -> Meeting {
        let calendar = SchoolCalendar::new(&caseload.calendar);
        let state = LogState::replay_owned(here, entries);
        // Cases this meeting added or amended: the log wins over the file it opened.
        for e in state.own_entries() {
            apply_case(&mut caseload, &e.event);
        }
        let facts = Facts::build(&caseload, &calendar, &state);
        let tally = Tally::build(&caseload, &state);
        let shares = tally::share_vs_even(&caseload, &tally);
        Meeting {
            caseload,
            calendar,
            state,
            facts,
            tally,
            shares,
            version: 0,
            meeting_dates: HashMap::new(),
        }
    }

    /// The dates of the meetings the log holds, by row, for the cases' stories.
    pub fn with_meeting_dates(mut self, dates: HashMap<i64, Date>) -> Meeting {
        self.meeting_dates = dates;
        self
    }

    /// The date of the meeting with this row in the log: this meeting's own, or an earlier one.
    fn date_of_meeting(&self, id: i64) -> Option<Date> {
        match self.state.here() {
            Here::All => Some(self.meeting_date()),
            Here::Meeting(own) if own == id => Some(self.meeting_date()),
            _ => self.meeting_dates.get(&id).copied(),
        }
    }

    /// When and where an entry read from the log happened (its day, and the meeting or "between
    /// meetings").
    pub fn entry_when(&self, e: &Entry) -> Option<(Date, Place)> {
        story::when(e, |id| self.date_of_meeting(id))
    }

    /// A case's whole story across meetings, as the log holds it.
    pub fn story(&self, case: usize) -> Option<Story> {
        let k = self.caseload.cases.get(case)?;
        let entries: Vec<&Entry> = self.state.case_entries(&k.reference).collect();
        Some(Story::tell(&Sources {
            case_ref: &k.reference,
            case: Some(k),
            caseload: Some(&self.caseload),
            entries,
            meeting_date: &|id| self.date_of_meeting(id),
            until: self.meeting_date(),
        }))
    }

    pub fn caseload(&self) -> &Caseload {
        &self.caseload
    }

    pub fn calendar(&self) -> &SchoolCalendar {
        &self.calendar
    }

    /// What the log holds, replayed.
    pub fn state(&self) -> &LogState {
        &self.state
    }

    pub fn version(&self) -> u64 {
        self.version
    }

    pub fn ctx(&self) -> Ctx<'_> {
        Ctx {
            caseload: &self.caseload,
            calendar: &self.calendar,
            state: &self.state,
            facts: &self.facts,
            tally: &self.tally,
        }
    }

    pub fn meeting_date(&self) -> Date {
        self.caseload.panel.meeting_date
    }

    pub fn case(&self, i: usize) -> Option<&Case> {
        self.caseload.cases.get(i)
    }

    pub fn case_index(&self, case_ref: &str) -> Option<usize> {
        self.facts.index_of(case_ref)
    }

    pub fn facts(&self, i: usize) -> Option<&CaseFacts> {
        self.facts.case(i)
    }

    pub fn summary(&self) -> Summary {
        self.facts.summary(&self.caseload, &self.state)
    }

    pub fn quorum(&self) -> Quorum {
        self.state.quorum(&self.caseload)
    }

    /// The date a new placement starts by default: the next school day after the meeting.
    pub fn default_start(&self) -> Option<Date> {
        self.calendar.nth_school_day_after(self.meeting_date(), 1)
    }

    /// Places taken at this meeting from a provision's pool, by the decisions that stand.
    pub fn places_taken(&self, urn: u32, group: PoolGroup) -> i64 {
        self.facts.taken(urn, group)
    }

    /// Places left in a pool now: offered, less used before the meeting, less taken in the log.
    pub fn pool_left(&self, urn: u32, pool: &Pool) -> i64 {
        self.facts.left(urn, pool)
    }

    /// The pool of provision `urn` a pupil in year group `y` would draw on: its group, places
    /// left and places offered.
    pub fn pool_for_year(&self, urn: u32, y: YearGroup) -> Option<(PoolGroup, i64, i64)> {
        let prov = self.caseload.places.iter().find(|p| p.urn == urn)?;
        let pool = prov.pools.iter().find(|p| p.group.covers(y))?;
        Some((pool.group, self.pool_left(urn, pool), pool.offered))
    }

    /// Fair Access placements this academic year, per school and year group.
    pub fn tally(&self) -> &Tally {
        &self.tally
    }

    /// A mainstream school's placements this year and its even share by roll.
    pub fn share(&self, urn: u32) -> Option<(u32, f64)> {
        self.shares
            .iter()
            .find(|(u, _, _)| *u == urn)
            .map(|(_, placed, even)| (*placed, *even))
    }

    /// The fair-share cap of a school for a year group (local setting), if the panel sets one.
    pub fn cap(&self, s: &School, y: YearGroup) -> Option<u32> {
        tally::cap(&self.caseload, s, y)
    }

    /// The checks and ranked schools for a case, each school judged by the rules as a
    /// placement of the case's usual outcome starting the next school day.
    pub fn working(&self, case: usize) -> Working {
        let x = self.ctx();
        let start = self.default_start().unwrap_or(self.meeting_date());
        let k = self.caseload.cases.get(case);
        let ranked = k
            .map(|k| {
                let t = self.tally.except(&self.state, &k.reference);
                tally::suggest_with(&self.caseload, &t, k, start)
            })
            .unwrap_or_default();
        let (mut suggestions, mut preferences) = (Vec::new(), Vec::new());
        if let Some(k) = k {
            let mut d = Decision::new(&k.reference, usual_outcome(k.kind));
            d.start_date = Some(start);
            let p = Proposal::at_meeting(Event::Decision(d));
            let urns: Vec<u32> = ranked.iter().map(|s| s.urn).collect();
            let judged = self.school_findings(&p, &urns);
            let (mut clear, mut reason) = (Vec::new(), Vec::new());
            for (school, hits) in ranked.into_iter().zip(judged) {
                let s = Suggested { school, hits };
                if s.hits.iter().any(|h| h.rule.severity == Severity::Refuse) {
                    continue;
                }
                if s.needs_reason() {
                    &mut reason
                } else {
                    &mut clear
                }
                .push(s);
            }
            suggestions = clear;
            suggestions.append(&mut reason);
            let prefs = self.school_findings(&p, &k.preferences);
            for (i, (urn, hits)) in k.preferences.iter().zip(prefs).enumerate() {
                preferences.push(Preference {
                    rank: i + 1,
                    urn: *urn,
                    hits,
                    suggested: suggestions.iter().position(|s| s.school.urn == *urn),
                });
            }
        }
        Working {
            case,
            checks: rules::case_checks(&x, case),
            suggestions,
            preferences,
            start,
            year_on_start: k.and_then(|k| YearGroup::on(k.pupil.date_of_birth, start)),
        }
    }

    /// What naming each of `urns` in the decision `p` would add to the rules' findings: the
    /// hits of `p` with that school, less those `p` draws with no school at all (quorum, votes,
    /// the case's own eligibility) and the derived "needs a reason" refusal. The same
    /// `Meeting::check` the confirm view shows, so a school is marked as the rules will judge
    /// it before the chair gets there. Empty lists for an entry that is not a decision.
    pub fn school_findings(&self, p: &Proposal, urns: &[u32]) -> Vec<Vec<Hit>> {
        let with = |urn: Option<u32>| {
            let mut q = p.clone();
            match &mut q.event {
                Event::Decision(d) => d.urn = urn,
                _ => return None,
            }
            Some(self.check(&q))
        };
        let Some(without) = with(None) else {
            return vec![Vec::new(); urns.len()];
        };
        urns.iter()
            .map(|u| {
                with(Some(*u))
                    .unwrap_or_default()
                    .into_iter()
                    .filter(|h| {
                        h.rule.name != rules::OVERRIDE_REASON.name
                            && !without.iter().any(|w| w.rule.name == h.rule.name)
                    })
                    .collect()
            })
            .collect()
    }

    /// Fills in what a decision derives: its date and setting, the year group on the start date
    /// and, for a mainstream placement or direction, the ranked options with their fair-share
    /// figures as the screen shows them now.
    pub fn prepare(&self, mut p: Proposal) -> Proposal {
        let Event::Decision(d) = &mut p.event else {
            return p;
        };
        d.outside_meeting = matches!(p.when, When::Between(_));
        d.decided_on = Some(self.ctx().today(p.when));
        self.fill_decision(d);
        p
    }

    fn fill_decision(&self, d: &mut Decision) {
        let Some(case) = self
            .case_index(&d.case_ref)
            .and_then(|i| self.caseload.cases.get(i))
        else {
            return;
        };
        d.review_of = None;
        if d.outcome.is_review()
            && let Some((e, old)) = self.state.current_decision(&d.case_ref)
        {
            // A chain of reviews keeps the first placement; a continuing one keeps its school
            // and start.
            let placed = old.review_of.clone().unwrap_or(Reviewed {
                entry: e.id,
                outcome: old.outcome,
                urn: old.urn,
                start_date: old.start_date,
                year_group: old.year_group,
                decided_on: old.decided_on,
            });
            if d.outcome.continues_placement() {
                d.urn = old.urn;
                d.start_date = old.start_date;
            }
            d.review_of = Some(placed);
        }
        d.year_group = d
            .start_date
            .and_then(|s| YearGroup::on(case.pupil.date_of_birth, s));
        d.options_considered.clear();
        if matches!(
            d.outcome,
            Outcome::AllocateSchool | Outcome::RefusedEscalateDirection
        ) {
            let start = d.start_date.unwrap_or(self.meeting_date());
            let t = self.tally.except(&self.state, &case.reference);
            let ranked = tally::suggest_with(&self.caseload, &t, case, start);
            for (i, s) in ranked.iter().enumerate() {
                let chosen = d.urn == Some(s.urn);
                if i < OPTIONS_KEPT || chosen {
                    d.options_considered.push(OptionShown {
                        rank: i as u32 + 1,
                        urn: s.urn,
                        in_year_group: s.in_year_group,
                        per_100_on_roll: s.per_100.map(|p| format!("{p:.2}")),
                        this_year: s.total,
                        cap: s.cap,
                        distance_km: s.distance_km.map(|k| format!("{k:.1}")),
                        chosen,
                    });
                }
            }
        }
    }

    /// Every rule hit for a proposal as it will be written, refusals first. Empty means it may
    /// be written. The confirm view shows exactly these; `record` refuses on exactly these.
    pub fn check(&self, p: &Proposal) -> Vec<Hit> {
        rules::check(&self.ctx(), p)
    }

    /// The one way in: prepares the proposal, checks it, has the log write it durably, and
    /// only then applies it to memory. On any error memory is as it was.
    pub fn record<L: LogWriter>(
        &mut self,
        log: &mut L,
        proposal: Proposal,
        now: String,
    ) -> Result<Recorded, RecordError<L::Error>> {
        let p = self.prepare(proposal);
        let hits = self.check(&p);
        if hits.iter().any(|h| h.rule.severity == Severity::Refuse) {
            return Err(RecordError::Refused(hits));
        }
        let (supersedes, correction_reason) = match p.correction {
            Some(c) => (Some(c.entry), Some(c.reason)),
            None => (None, None),
        };
        let written = log
            .append(Draft {
                event: p.event,
                supersedes,
                correction_reason,
                recorded_at: now,
            })
            .map_err(RecordError::Write)?;
        let mut last = None;
        for entry in written {
            last = Some(entry.clone());
            self.apply(entry);
        }
        match last {
            Some(entry) => Ok(Recorded {
                entry,
                warnings: hits,
            }),
            None => Err(RecordError::Refused(hits)),
        }
    }

    /// Applies an entry already on disk.
    fn apply(&mut self, entry: Entry) {
        if apply_case(&mut self.caseload, &entry.event) {
            self.state.apply_own(entry);
            self.facts = Facts::build(&self.caseload, &self.calendar, &self.state);
            self.version += 1;
            return;
        }
        let case_ref = entry.event.case_ref().map(str::to_owned);
        // The case's standing decision before this entry, and whether this meeting took it.
        let (standing, here) = match case_ref
            .as_deref()
            .and_then(|r| self.state.current_decision(r))
        {
            Some((e, d)) => (Some(d.clone()), self.state.is_here(e)),
            None => (None, false),
        };
        let old = standing.clone().filter(|_| here);
        let decision = matches!(entry.event, Event::Decision(_));
        self.state.apply_own(entry);
        if decision {
            let new = case_ref
                .as_deref()
                .and_then(|r| self.state.current_decision(r))
                .map(|(_, d)| d);
            self.tally.replace(standing.as_ref(), new);
            self.shares = tally::share_vs_even(&self.caseload, &self.tally);
        }
        if let Some(r) = case_ref {
            self.facts.update(
                &self.caseload,
                &self.calendar,
                &self.state,
                &r,
                old.as_ref(),
            );
        }
        self.version += 1;
    }
}
