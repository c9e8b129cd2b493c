//! A meeting in progress: the caseload, the log's state, and the store. `Session::record` is the
//! one way in for every change of state: it validates, writes the entry durably (one fsynced
//! transaction), and only then changes memory, so the screen is never ahead of the log.

use crate::calendar::SchoolCalendar;
use crate::caseload::model::Caseload;
use crate::dates::Date;
use crate::log::chain::sha256_hex;
use crate::log::event::{Decision, Entry, Event, OptionShown, Outcome};

/// How many ranked schools a decision keeps as "options considered" (plus the chosen one).
pub const OPTIONS_KEPT: usize = 5;
use crate::log::state::LogState;
use crate::rules::{self, Hit, Setting, Severity};
use crate::store::{Store, StoreError};
use crate::year_group::YearGroup;

/// When a decision is taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    /// At the meeting: "today" is the caseload's meeting date; quorum applies.
    Meeting,
    /// Between meetings (`fairpanel record --as-of`): deciders, not quorum.
    Between(Date),
}

#[derive(Debug)]
pub enum RecordError {
    /// A rule refused it; nothing was written. Warnings that also fired are included.
    Refused(Vec<Hit>),
    /// The write failed; nothing changed in memory.
    Store(StoreError),
}

impl From<StoreError> for RecordError {
    fn from(e: StoreError) -> Self {
        RecordError::Store(e)
    }
}

pub struct Session {
    pub caseload: Caseload,
    pub state: LogState,
    pub calendar: SchoolCalendar,
    pub meeting_id: i64,
    store: Store,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("meeting_id", &self.meeting_id)
            .field("store", &self.store)
            .finish()
    }
}

/// The log's timestamp for a new entry (audit only: no rule reads the wall clock).
pub fn now_utc() -> String {
    chrono::Utc::now()
        .format("%Y-%m-%dT%H:%M:%S%.3fZ")
        .to_string()
}

impl Session {
    /// Starts or resumes the meeting (panel id, meeting date) and replays its entries. A caseload
    /// whose bytes differ from the last revision is stored as a new revision (a late referral);
    /// decisions already made stand.
    pub fn open(
        mut store: Store,
        caseload: Caseload,
        caseload_text: &str,
        now: String,
    ) -> Result<Session, StoreError> {
        // One log per panel: the demo never writes to a real panel's log, nor one panel to
        // another's.
        if let Some(other) = store
            .find_meeting(None, None)?
            .into_iter()
            .find(|m| m.panel_id != caseload.panel.id)
        {
            return Err(StoreError::WrongPanel(format!(
                "{}: this log belongs to panel \"{}\", not \"{}\"; each panel has a log of its own: choose another --log (or none for the default)",
                crate::text::escape(&store.path().display().to_string()),
                crate::text::escape(&other.panel_id),
                crate::text::escape(&caseload.panel.id)
            )));
        }
        let meeting_id =
            store.meeting(&caseload.panel.id, &caseload.panel.meeting_date.to_string())?;
        let entries = store.entries(Some(meeting_id))?;
        let mut state = LogState::replay(&entries);
        let sha = sha256_hex(caseload_text.as_bytes());
        if state.revisions.last().map(|(_, s)| s.as_str()) != Some(sha.as_str()) {
            let revision = state.revisions.len() as u32 + 1;
            let e = store.append(
                meeting_id,
                Event::CaseloadOpened {
                    revision,
                    sha256: sha.clone(),
                },
                None,
                None,
                now,
                Some((&sha, caseload_text)),
            )?;
            state.apply(e);
        }
        let calendar = SchoolCalendar::new(&caseload.calendar);
        Ok(Session {
            caseload,
            state,
            calendar,
            meeting_id,
            store,
        })
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    /// A second, read-only connection to this session's log (no lock: works while this session
    /// holds the writer), for the minutes, which are built from what the log holds.
    pub fn minutes_reader(&self) -> Result<Store, StoreError> {
        Store::open_reader(self.store.path())
    }

    /// The agreed date of a case: the log's, else the caseload's.
    pub fn agreed_date(&self, case_ref: &str) -> Option<Date> {
        self.state.agreed.get(case_ref).copied().or_else(|| {
            self.caseload
                .cases
                .iter()
                .find(|c| c.reference == case_ref)
                .and_then(|c| c.fap_agreed_date)
        })
    }

    /// Fills in what the decision derives: the year group on the start date and, for a
    /// mainstream placement or direction, the ranked options with their fair-share figures as the
    /// screen shows them now.
    pub fn prepare(&self, mut d: Decision) -> Decision {
        let Some(case) = self
            .caseload
            .cases
            .iter()
            .find(|c| c.reference == d.case_ref)
        else {
            return d;
        };
        if let Some(start) = d.start_date {
            d.year_group = YearGroup::on(case.pupil.date_of_birth, start);
        }
        d.options_considered.clear();
        if matches!(
            d.outcome,
            Outcome::AllocateSchool | Outcome::RefusedEscalateDirection
        ) {
            let start = d.start_date.unwrap_or(self.caseload.panel.meeting_date);
            let ranked = crate::tally::suggest(&self.caseload, &self.state, case, start);
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
        d
    }

    /// Every rule hit for a proposed entry, refusals first. Empty means it may be written.
    pub fn validate(
        &self,
        event: &Event,
        correction: Option<&(i64, String)>,
        when: When,
    ) -> Vec<Hit> {
        let c = &self.caseload;
        let today = match when {
            When::Meeting => c.panel.meeting_date,
            When::Between(d) => d,
        };
        let setting = match when {
            When::Meeting => Setting::Meeting,
            When::Between(_) => Setting::OutsideMeeting,
        };
        let mut hits = Vec::new();
        let is_member = |n: &str| c.panel.members.iter().any(|m| m.name == n);
        let case_of = |r: &str| c.cases.iter().find(|x| x.reference == r);
        match event {
            Event::Decision(d) => hits.extend(rules::check(c, &self.state, d, today, setting)),
            Event::Attendance { member, .. } => {
                if !is_member(member) {
                    hits.push(Hit {
                        rule: &rules::UNKNOWN_MEMBER,
                        detail: crate::text::escape(member).into_owned(),
                    });
                }
            }
            Event::AgreedToConsider { case_ref, date } => match case_of(case_ref) {
                None => hits.push(Hit {
                    rule: &rules::UNKNOWN_CASE,
                    detail: String::new(),
                }),
                Some(case) => {
                    if *date < case.referral_date || *date > today {
                        hits.push(Hit {
                            rule: &rules::AGREED_DATE,
                            detail: String::new(),
                        });
                    }
                    if self.agreed_date(case_ref).is_some() {
                        hits.push(Hit {
                            rule: &rules::ALREADY_AGREED,
                            detail: String::new(),
                        });
                    }
                }
            },
            Event::Declaration {
                member,
                case_ref,
                interest,
                ..
            } => {
                if !is_member(member) {
                    hits.push(Hit {
                        rule: &rules::UNKNOWN_MEMBER,
                        detail: crate::text::escape(member).into_owned(),
                    });
                }
                match case_of(case_ref) {
                    None => hits.push(Hit {
                        rule: &rules::UNKNOWN_CASE,
                        detail: String::new(),
                    }),
                    Some(case) if rules::mentions_pupil(interest, case) => hits.push(Hit {
                        rule: &rules::NAMES_IN_TEXT,
                        detail: String::new(),
                    }),
                    Some(_) => {}
                }
            }
            Event::CaseloadOpened { .. } => hits.push(Hit {
                rule: &rules::BAD_CORRECTION,
                detail: "caseload revisions are recorded when a caseload is opened".into(),
            }),
        }
        // A placement is never replaced silently: a new decision on a placed case is either a
        // correction with a reason or a review of the placement.
        if let Event::Decision(d) = event
            && correction.is_none()
            && !matches!(
                d.outcome,
                crate::log::Outcome::ReviewConfirmed | crate::log::Outcome::ReviewBreakdown
            )
            && self
                .state
                .current_decision(&d.case_ref)
                .is_some_and(|(_, old)| old.outcome.places_child())
        {
            hits.push(Hit {
                rule: &rules::STANDING_PLACEMENT,
                detail: String::new(),
            });
        }
        if let Some((old, reason)) = correction {
            let stands = self
                .state
                .entry(*old)
                .filter(|_| !self.state.superseded_by.contains_key(old));
            let same_case = match (stands.map(|e| &e.event), event) {
                (Some(Event::Decision(a)), Event::Decision(b)) => a.case_ref == b.case_ref,
                _ => false,
            };
            if !same_case || reason.trim().is_empty() {
                hits.push(Hit {
                    rule: &rules::BAD_CORRECTION,
                    detail: format!("entry {old}"),
                });
            }
            if let Some(case) = event.case_ref().and_then(case_of)
                && rules::mentions_pupil(reason, case)
            {
                hits.push(Hit {
                    rule: &rules::NAMES_IN_TEXT,
                    detail: "in the correction reason".into(),
                });
            }
        }
        hits.sort_by_key(|h| h.rule.severity);
        hits
    }

    /// The one way in. On success returns the stored entry and any warnings that fired.
    pub fn record(
        &mut self,
        event: Event,
        correction: Option<(i64, String)>,
        when: When,
        now: String,
    ) -> Result<(Entry, Vec<Hit>), RecordError> {
        let event = match event {
            Event::Decision(d) => {
                let mut d = self.prepare(d);
                d.outside_meeting = matches!(when, When::Between(_));
                d.decided_on = Some(match when {
                    When::Meeting => self.caseload.panel.meeting_date,
                    When::Between(day) => day,
                });
                Event::Decision(d)
            }
            e => e,
        };
        let hits = self.validate(&event, correction.as_ref(), when);
        if hits.iter().any(|h| h.rule.severity == Severity::Refuse) {
            return Err(RecordError::Refused(hits));
        }
        let (supersedes, reason) = match correction {
            Some((id, r)) => (Some(id), Some(r)),
            None => (None, None),
        };
        let entry = self
            .store
            .append(self.meeting_id, event, supersedes, reason, now, None)?;
        self.state.apply(entry.clone());
        Ok((entry, hits))
    }
}
