//! Storage limitation (UK GDPR Art 5(1)(e)): when a case is over, so that its pupil's personal
//! data can be removed from the log once the panel's retention period after that has passed
//! (`fairpanel purge`, `docs/log.md` section 9).
//!
//! A case is **closed** when the decision that stands on it leaves nothing more for the panel to
//! do: no place still to find, and no review still to come.
//!
//! - A school place (`allocate_school`), a return to mainstream at a review
//!   (`review_reintegrated`) or a managed move made permanent (`review_made_permanent`) closes
//!   the case on the day the placement starts (the decision's start date, if later than the day
//!   it was decided).
//! - Not eligible, redirected to the EHCP or looked-after route, withdrawn, or a placement ended
//!   at its review (`review_ended`) close it on the day decided.
//! - Anything else keeps it open: no decision yet, deferred, escalated to a direction, a
//!   placement that broke down, and every placement still under review (an interim AP place, a
//!   managed move agreed, a review that continues or extends a placement), whose next review is
//!   still the panel's.
//!
//! So, by kind of case: a Fair Access referral closes when its school place starts (or it is
//! found not eligible, redirected or withdrawn); a managed move when it is made permanent or
//! ended; a request for an AP or specialist place when the placement ends or the child returns
//! to a school. A case with no decision for a long time is never closed by the calendar alone: it
//! is listed, so the panel can record that it was withdrawn.
//!
//! Its data may go only once nothing has been recorded about it since: a correction, a review or
//! a later meeting's caseload listing the case is activity, and its day counts.

use std::collections::BTreeMap;

use crate::domain::dates::Date;
use crate::domain::event::{Decision, Entry, Outcome};
use crate::domain::state::LogState;
use crate::domain::story::when;

/// The day a decision closes its case, if it does (the module's rules), given the day it was
/// taken.
pub fn closed_on(d: &Decision, decided: Date) -> Option<Date> {
    match d.outcome {
        Outcome::AllocateSchool | Outcome::ReviewReintegrated | Outcome::ReviewMadePermanent => {
            Some(d.start_date.map_or(decided, |s| s.max(decided)))
        }
        Outcome::NotEligibleInYear
        | Outcome::RedirectEhcp
        | Outcome::RedirectLac
        | Outcome::Withdrawn
        | Outcome::ReviewEnded => Some(decided),
        Outcome::AllocateApInterim
        | Outcome::ManagedMoveAgreed
        | Outcome::DeferMoreInfo
        | Outcome::RefusedEscalateDirection
        | Outcome::ReviewConfirmed
        | Outcome::ReviewExtended
        | Outcome::ReviewBreakdown => None,
    }
}

/// Where a case stands for retention.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Standing {
    /// Closed on `on` by the decision standing on it (`entry`, with `outcome`).
    Closed {
        on: Date,
        entry: i64,
        outcome: Outcome,
    },
    /// Still the panel's: no decision, or one that leaves a place to find or a review to come.
    Open { outcome: Option<Outcome> },
}

/// One case as the log tells it, for retention.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseRetention {
    pub case_ref: String,
    pub standing: Standing,
    /// The last day anything about the case was recorded: an entry's day, or the date of a
    /// meeting whose caseload listed it.
    pub last_activity: Date,
}

impl CaseRetention {
    /// Its personal data may be removed under a cut-off of `before`: closed before that day, and
    /// nothing about it recorded on or after it.
    pub fn due(&self, before: Date) -> bool {
        matches!(self.standing, Standing::Closed { on, .. } if on < before)
            && self.last_activity < before
    }

    /// Open, and nothing about it recorded on or after `before`: a case the panel may have
    /// forgotten to close.
    pub fn stale(&self, before: Date) -> bool {
        matches!(self.standing, Standing::Open { .. }) && self.last_activity < before
    }
}

/// Every case the log knows, by reference: `entries` are the log's entries in id order,
/// `meeting_date` gives a meeting's date by its row id, and `listed` the cases each meeting's
/// caseload revisions listed, as (case reference, meeting date).
pub fn assess(
    entries: &[Entry],
    meeting_date: impl Fn(i64) -> Option<Date>,
    listed: impl IntoIterator<Item = (String, Date)>,
) -> Vec<CaseRetention> {
    let mut last: BTreeMap<String, Date> = BTreeMap::new();
    let mut bump = |case: &str, day: Date| {
        last.entry(case.to_owned())
            .and_modify(|d| *d = (*d).max(day))
            .or_insert(day);
    };
    for (case, day) in listed {
        bump(&case, day);
    }
    for e in entries {
        if let (Some(case), Some((day, _))) = (e.event.case_ref(), when(e, &meeting_date)) {
            bump(case, day);
        }
    }
    let state = LogState::replay(entries);
    last.into_iter()
        .map(|(case_ref, last_activity)| {
            let standing = match state.current_decision(&case_ref) {
                Some((e, d)) => {
                    let decided = when(e, &meeting_date).map(|(day, _)| day);
                    match decided.and_then(|day| closed_on(d, day)) {
                        Some(on) => Standing::Closed {
                            on,
                            entry: e.id,
                            outcome: d.outcome,
                        },
                        None => Standing::Open {
                            outcome: Some(d.outcome),
                        },
                    }
                }
                None => Standing::Open { outcome: None },
            };
            // A placement that starts later than anything recorded is activity until it starts.
            let last_activity = match standing {
                Standing::Closed { on, .. } => last_activity.max(on),
                Standing::Open { .. } => last_activity,
            };
            CaseRetention {
                case_ref,
                standing,
                last_activity,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::event::{Attendance, Event};

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    fn entry(id: i64, meeting: i64, event: Event, supersedes: Option<i64>) -> Entry {
        Entry {
            id,
            meeting_id: meeting,
            event,
            supersedes,
            correction_reason: supersedes.map(|_| "Wrong outcome".into()),
            recorded_at: "2026-03-12T10:00:00.000Z".into(),
            prev_hash: String::new(),
            hash: String::new(),
        }
    }

    fn decision(case: &str, outcome: Outcome, start: Option<&str>) -> Event {
        let mut x = Decision::new(case, outcome);
        x.start_date = start.map(d);
        Event::Decision(x)
    }

    #[test]
    fn each_outcome_closes_or_keeps_open_as_documented() {
        let day = d("2026-03-12");
        let start = d("2026-04-20");
        for o in Outcome::ALL {
            let mut x = Decision::new("FA-1", o);
            x.start_date = Some(start);
            let got = closed_on(&x, day);
            let want = match o {
                Outcome::AllocateSchool
                | Outcome::ReviewReintegrated
                | Outcome::ReviewMadePermanent => Some(start),
                Outcome::NotEligibleInYear
                | Outcome::RedirectEhcp
                | Outcome::RedirectLac
                | Outcome::Withdrawn
                | Outcome::ReviewEnded => Some(day),
                _ => None,
            };
            assert_eq!(got, want, "{o:?}");
        }
        // A start date before the decision (a placement already begun) closes on the day decided.
        let mut x = Decision::new("FA-1", Outcome::AllocateSchool);
        x.start_date = Some(d("2026-03-01"));
        assert_eq!(closed_on(&x, day), Some(day));
    }

    #[test]
    fn a_case_is_due_only_when_closed_and_quiet_before_the_cut_off() {
        let meetings = |id: i64| match id {
            1 => Some(d("2020-03-12")),
            2 => Some(d("2021-03-11")),
            _ => None,
        };
        let entries = vec![
            entry(
                1,
                1,
                Event::Attendance {
                    member: "Janet Okafor".into(),
                    status: Attendance::Present,
                    time: None,
                },
                None,
            ),
            // Placed, starting after Easter 2020.
            entry(
                2,
                1,
                decision("FA-1", Outcome::AllocateSchool, Some("2020-04-20")),
                None,
            ),
            // Deferred, never decided again.
            entry(3, 1, decision("FA-2", Outcome::DeferMoreInfo, None), None),
            // An interim AP place: reviewed a year later and ended.
            entry(
                4,
                1,
                decision("AP-3", Outcome::AllocateApInterim, Some("2020-03-16")),
                None,
            ),
            entry(5, 2, decision("AP-3", Outcome::ReviewEnded, None), None),
            // Allocated, then corrected to a deferral: open.
            entry(
                6,
                1,
                decision("FA-4", Outcome::AllocateSchool, Some("2020-03-16")),
                None,
            ),
            entry(
                7,
                1,
                decision("FA-4", Outcome::DeferMoreInfo, None),
                Some(6),
            ),
        ];
        // FA-1 was listed again in the 2021 meeting's caseload.
        let listed = vec![
            ("FA-1".to_owned(), d("2020-03-12")),
            ("FA-5".to_owned(), d("2020-03-12")),
        ];
        let all = assess(&entries, meetings, listed.clone());
        let by = |r: &str| all.iter().find(|c| c.case_ref == r).unwrap().clone();
        assert_eq!(all.len(), 5);
        assert_eq!(
            by("FA-1").standing,
            Standing::Closed {
                on: d("2020-04-20"),
                entry: 2,
                outcome: Outcome::AllocateSchool
            }
        );
        assert_eq!(by("FA-1").last_activity, d("2020-04-20"));
        assert!(by("FA-1").due(d("2020-04-21")));
        assert!(
            !by("FA-1").due(d("2020-04-20")),
            "closed on the cut-off day"
        );
        assert!(!by("FA-2").due(d("2030-01-01")));
        assert!(by("FA-2").stale(d("2021-01-01")));
        assert!(!by("FA-2").stale(d("2020-03-12")));
        assert_eq!(by("AP-3").last_activity, d("2021-03-11"));
        assert!(!by("AP-3").due(d("2021-03-11")));
        assert!(by("AP-3").due(d("2021-03-12")));
        assert_eq!(
            by("FA-4").standing,
            Standing::Open {
                outcome: Some(Outcome::DeferMoreInfo)
            }
        );
        assert_eq!(by("FA-5").standing, Standing::Open { outcome: None });

        // Listed in a later meeting's caseload: activity that keeps it.
        let mut later = listed;
        later.push(("FA-1".to_owned(), d("2021-03-11")));
        let all = assess(&entries, meetings, later);
        let fa1 = all.iter().find(|c| c.case_ref == "FA-1").unwrap();
        assert!(!fa1.due(d("2021-01-01")));
        assert!(fa1.due(d("2021-03-12")));
    }
}
