//! A case's whole story across meetings, from the log alone (`fairpanel history`): when it was
//! referred, agreed to be considered, deferred, placed, corrected, and how many school days the
//! child waited. It names the case by reference only: no pupil's name, date of birth or UPN, and
//! free text that names a pupil is withheld as in the minutes.

use crate::domain::calendar::SchoolCalendar;
use crate::domain::caseload::Caseload;
use crate::domain::dates::Date;
use crate::domain::event::{Entry, Event};
use crate::domain::names::NameIndex;
use crate::log::store::{LogError, Store};

/// One line of the story.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub day: Date,
    /// "meeting of Thu 12 Mar 2026", "between meetings", or "referral".
    pub when: String,
    pub what: String,
}

/// The story of a case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Story {
    pub reference: String,
    pub lines: Vec<Line>,
    /// School days from agreeing to consider the case to the placement that stands, or to the
    /// latest meeting while the child still waits; `None` when not agreed or not countable.
    pub waited: Option<(i64, bool)>,
    pub aim: u32,
}

/// The latest stored caseload that holds the case, and the meeting it was stored with.
fn latest_caseload_with(store: &Store, case_ref: &str) -> Result<Option<Caseload>, LogError> {
    let mut meetings = store.meetings()?;
    meetings.sort_by(|a, b| b.meeting_date.cmp(&a.meeting_date));
    for m in meetings {
        if let Some(c) = store.caseloads(m.id, i64::MAX)?.pop().map(|r| r.caseload)
            && c.cases.iter().any(|k| k.reference == case_ref)
        {
            return Ok(Some(c));
        }
    }
    Ok(None)
}

/// The story of `case_ref`, or `None` when the log knows no such case.
pub fn story(store: &Store, case_ref: &str) -> Result<Option<Story>, LogError> {
    store.verify()?;
    let entries = store.entries_for_case(case_ref)?;
    let caseload = latest_caseload_with(store, case_ref)?;
    let case = caseload
        .as_ref()
        .and_then(|c| c.cases.iter().find(|k| k.reference == case_ref));
    if entries.is_empty() && case.is_none() {
        return Ok(None);
    }
    let meetings = store.meetings()?;
    let meeting_date = |e: &Entry| -> Option<Date> {
        meetings
            .iter()
            .find(|m| m.id == e.meeting_id)
            .and_then(|m| Date::parse(&m.meeting_date))
    };
    let names = NameIndex::new(case);
    let safe = |t: &str| -> String {
        if names.mentions(t) {
            "[withheld: names a pupil; read it in the log]".to_owned()
        } else {
            t.to_owned()
        }
    };
    let school = |urn: Option<u32>| -> String {
        urn.map(|u| {
            caseload
                .as_ref()
                .and_then(|c| c.schools.iter().find(|s| s.urn == u))
                .map_or_else(|| format!("URN {u}"), |s| format!("{} (URN {u})", s.name))
        })
        .unwrap_or_default()
    };
    let mut lines = Vec::new();
    if let Some(k) = case {
        lines.push(Line {
            day: k.referral_date,
            when: "referral".into(),
            what: format!(
                "referred by {} ({}); {}",
                k.referrer.organisation,
                k.referrer.role,
                k.kind.label()
            ),
        });
    }
    if let Some(d) = case.and_then(|k| k.fap_agreed_date)
        && !entries
            .iter()
            .any(|e| matches!(e.event, Event::AgreedToConsider { .. }))
    {
        lines.push(Line {
            day: d,
            when: "as the caseload records".into(),
            what: "agreed to consider: day 0 of the school-day clock".into(),
        });
    }
    let superseded: Vec<i64> = entries.iter().filter_map(|e| e.supersedes).collect();
    let mut agreed: Option<Date> = case.and_then(|k| k.fap_agreed_date);
    let mut placed: Option<Date> = None;
    for e in &entries {
        let at = meeting_date(e);
        let (day, what) = match &e.event {
            Event::AgreedToConsider { date, .. } => {
                agreed = Some(*date);
                (
                    *date,
                    "agreed to consider: day 0 of the school-day clock".to_owned(),
                )
            }
            Event::Declaration {
                member, withdrew, ..
            } => (
                at.unwrap_or(Date(chrono::NaiveDate::MIN)),
                format!(
                    "interest declared by {member}{}",
                    if *withdrew { ", who withdrew" } else { "" }
                ),
            ),
            Event::Decision(d) => {
                let mut what = format!("decision {}: {}", e.id, d.outcome.label());
                if d.urn.is_some() {
                    what.push_str(&format!(" → {}", school(d.urn)));
                }
                if let Some(s) = d.start_date {
                    what.push_str(&format!(", start {}", s.long()));
                }
                if let Some(r) = d.review_date {
                    what.push_str(&format!(", review {}", r.long()));
                }
                if let (Some(old), Some(reason)) = (e.supersedes, &e.correction_reason) {
                    what.push_str(&format!("; corrects decision {old}: {}", safe(reason)));
                }
                if superseded.contains(&e.id) {
                    what.push_str(" (later corrected)");
                }
                let day = d.decided_on.or(at).unwrap_or(Date(chrono::NaiveDate::MIN));
                if d.outcome.places_child() && !superseded.contains(&e.id) {
                    placed = Some(day);
                }
                (day, what)
            }
            Event::Attendance { .. } | Event::CaseloadOpened { .. } => continue,
        };
        let when = match (&e.event, at) {
            (Event::Decision(d), _) if d.outside_meeting => "between meetings".to_owned(),
            (_, Some(m)) => format!("meeting of {}", m.long()),
            _ => String::new(),
        };
        lines.push(Line { day, when, what });
    }
    lines.sort_by_key(|l| l.day);
    let aim = caseload
        .as_ref()
        .map_or(20, |c| c.panel.settings.clock_school_days);
    let waited = match (agreed, &caseload) {
        (Some(from), Some(c)) => {
            let cal = SchoolCalendar::new(&c.calendar);
            let until = placed.unwrap_or(c.panel.meeting_date);
            cal.school_days_between(from, until)
                .map(|d| (d, placed.is_some()))
        }
        _ => None,
    };
    Ok(Some(Story {
        reference: case_ref.to_owned(),
        lines,
        waited,
        aim,
    }))
}

impl Story {
    /// The story as text, one line a step, then how long the child waited.
    pub fn text(&self) -> Vec<String> {
        let mut out = vec![format!("Case {}", self.reference)];
        for l in &self.lines {
            let when = if l.when.is_empty() {
                String::new()
            } else {
                format!(" ({})", l.when)
            };
            out.push(format!("{}{when}: {}", l.day.long(), l.what));
        }
        out.push(match self.waited {
            Some((d, true)) => format!(
                "Waited {d} school days from agreement to placement (the duty: within {})",
                self.aim
            ),
            Some((d, false)) => format!(
                "Still waiting: {d} school days since agreement at the latest meeting (the duty: within {})",
                self.aim
            ),
            None => "School days waited: not counted (not agreed to be considered, or outside the calendar)".to_owned(),
        });
        out
    }
}
