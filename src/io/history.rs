//! `fairpanel history`: a case's whole story across meetings, read from the log alone (the
//! story itself is told by `domain::story`, as the detail pane tells it).

use std::collections::HashMap;

use crate::domain::caseload::Caseload;
use crate::domain::dates::Date;
use crate::domain::event::Event;
use crate::domain::story::{Sources, Story};
use crate::log::store::{LogError, Store};

/// The latest stored caseload that holds the case, and the meeting it was stored with.
pub fn latest_caseload_with(store: &Store, case_ref: &str) -> Result<Option<Caseload>, LogError> {
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

/// The story of `case_ref`, or `None` when the log knows no such case. The chain is verified
/// first; the child still waiting is counted to the latest meeting that lists the case.
pub fn story(store: &Store, case_ref: &str) -> Result<Option<Story>, LogError> {
    store.verify()?;
    let entries = store.entries_for_case(case_ref)?;
    let mut caseload = latest_caseload_with(store, case_ref)?;
    // A late referral no later caseload lists: the case as its meeting's log last held it.
    let logged = entries.iter().rev().find_map(|e| match &e.event {
        Event::CaseAdded { case } | Event::CaseAmended { case, .. } => Some((e.meeting_id, case)),
        _ => None,
    });
    if caseload.is_none()
        && let Some((meeting, _)) = logged
    {
        caseload = store
            .caseloads(meeting, i64::MAX)?
            .pop()
            .map(|r| r.caseload);
    }
    let case = caseload
        .as_ref()
        .and_then(|c| c.cases.iter().find(|k| k.reference == case_ref))
        .or(logged.map(|(_, k)| &**k));
    if entries.is_empty() && case.is_none() {
        return Ok(None);
    }
    let meetings: HashMap<i64, Date> = store
        .meetings()?
        .into_iter()
        .filter_map(|m| Some((m.id, Date::parse(&m.meeting_date)?)))
        .collect();
    let until = caseload
        .as_ref()
        .map(|c| c.panel.meeting_date)
        .or_else(|| meetings.values().max().copied())
        .unwrap_or(Date(chrono::NaiveDate::MIN));
    Ok(Some(Story::tell(&Sources {
        case_ref,
        case,
        caseload: caseload.as_ref(),
        entries: entries.iter().collect(),
        meeting_date: &|id| meetings.get(&id).copied(),
        until,
    })))
}
