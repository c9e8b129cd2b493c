//! The embedded demo panel: real Walsall schools (from GIAS), invented pupils, and an earlier
//! meeting (26 February 2026) that the demo's log is seeded with the first time the demo opens,
//! so the demo shows a panel in its year: cases agreed at that meeting with their clocks running,
//! and a fair-share tally that counts its placements.

use serde::Deserialize;

use crate::domain::caseload::{Case, Caseload};
use crate::domain::dates::Date;
use crate::domain::event::{Attendance, Decision, Event, Proposal};
use crate::domain::meeting::{Meeting, RecordError};
use crate::io::caseload::{Loaded, parse};
use crate::log::{LogError, Session, Store};

/// The demo caseload's JSON, compiled into the binary.
pub const DEMO_CASELOAD: &str = include_str!("../../fixtures/demo-walsall.json");

/// The demo's earlier meeting: its date, the cases it placed, and what it recorded.
pub const DEMO_PAST: &str = include_str!("../../fixtures/demo-walsall-past.json");

/// The demo caseload, checked like any other. `Err` is a bug in this build (a test proves the
/// embedded file is valid).
pub fn load() -> Result<Loaded, Vec<crate::domain::problem::Problem>> {
    parse(DEMO_CASELOAD)
}

/// `fixtures/demo-walsall-past.json` (its `about` says what it is, for people reading the file).
#[derive(Debug, Deserialize)]
struct Past {
    meeting_date: Date,
    cases: Vec<Case>,
    attendance: Vec<(String, Attendance)>,
    agreed: Vec<String>,
    decisions: Vec<Decision>,
}

/// The demo's earlier meeting: its caseload (as the file would have read that day, and its
/// text), and the entries it recorded, in order, each with the time it was recorded.
#[derive(Debug, Clone)]
pub struct PastMeeting {
    pub caseload: Caseload,
    pub text: String,
    pub entries: Vec<(Proposal, String)>,
}

/// The demo's earlier meeting, built from the demo caseload and `DEMO_PAST`. `Err` is a bug in
/// this build (a test proves it records cleanly).
pub fn past() -> Result<PastMeeting, String> {
    let past: Past = serde_json::from_str(DEMO_PAST).map_err(|e| e.to_string())?;
    let mut c = load()
        .map_err(|_| "the embedded demo caseload is invalid".to_owned())?
        .caseload;
    let day = past.meeting_date;
    c.panel.meeting_date = day;
    // The cases referred by that day, none yet agreed after it (or at it: the meeting agrees
    // them in its log), with what happened to them later taken out.
    c.cases.retain(|k| k.referral_date <= day);
    for k in &mut c.cases {
        if k.fap_agreed_date.is_some_and(|a| a >= day) {
            k.fap_agreed_date = None;
        }
        k.in_year_apps.retain(|a| a.date <= day);
        k.pex_history.retain(|p| p.date <= day);
        k.suspensions.retain(|s| s.start <= day);
        k.schools_attended.retain(|a| a.from <= day);
        if let Some(c) = &mut k.consent {
            for d in [&mut c.parent, &mut c.home_school, &mut c.host_school] {
                if d.is_some_and(|d| d > day) {
                    *d = None;
                }
            }
        }
    }
    c.cases.extend(past.cases);
    let text = serde_json::to_string_pretty(&c).map_err(|e| e.to_string())? + "\n";
    let mut entries = Vec::new();
    let at = |n: usize| format!("{day}T10:{:02}:00.000Z", n.min(59));
    for (member, status) in past.attendance {
        entries.push((
            Proposal::at_meeting(Event::Attendance {
                member,
                status,
                time: None,
            }),
            at(entries.len()),
        ));
    }
    for case_ref in past.agreed {
        entries.push((
            Proposal::at_meeting(Event::AgreedToConsider {
                case_ref,
                date: day,
            }),
            at(entries.len()),
        ));
    }
    for d in past.decisions {
        entries.push((Proposal::at_meeting(Event::Decision(d)), at(entries.len())));
    }
    Ok(PastMeeting {
        caseload: c,
        text,
        entries,
    })
}

/// Why the demo's log could not be given its past.
#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    #[error(transparent)]
    Log(#[from] LogError),
    /// A bug in this build: a test proves the embedded meeting records cleanly.
    #[error("the demo's earlier meeting is invalid: {0}")]
    Invalid(String),
}

/// Gives a demo log that holds no meeting yet its earlier meeting, through the one way in (each
/// entry checked by the rules and written durably), and hands the store back for the demo's own
/// meeting. A log that already holds a meeting is left as it is.
pub fn seed(store: Store) -> Result<Store, SeedError> {
    if !store.meetings()?.is_empty() {
        return Ok(store);
    }
    let past = past().map_err(SeedError::Invalid)?;
    let (mut session, mut meeting): (Session, Meeting) =
        Session::open(store, past.caseload, &past.text)?;
    for (proposal, at) in past.entries {
        match meeting.record(&mut session, proposal, at) {
            Ok(_) => {}
            Err(RecordError::Write(e)) => return Err(e.into()),
            Err(RecordError::Refused(hits)) => {
                let names: Vec<&str> = hits.iter().map(|h| h.rule.name).collect();
                return Err(SeedError::Invalid(names.join(", ")));
            }
        }
    }
    Ok(session.into_store())
}
