//! The minutes of a meeting as JSON, format `fairpanel-minutes/1` (domain.md §4 "Minutes").
//!
//! Built from the decision log alone: the caseload revision the log stored for the meeting, the
//! meeting's entries replayed, and the head of the verified hash chain. Nothing is read from the
//! wall clock, the caseload file on disk or the screen, so the same log always gives the same
//! bytes. No pupil name, date of birth, address or UPN is written (domain.md §6 rule 13) unless
//! the LA asks for its internal copy (`with_names`). `docs/minutes.md` documents every field;
//! `fixtures/minutes.schema.json` is generated from these types.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::{Path, PathBuf};

use schemars::JsonSchema;
use serde::Serialize;

use crate::domain::caseload::{CaseKind, Caseload, PanelKind};
use crate::domain::dates::Date;
use crate::domain::event::{Attendance, Decision, Entry, Event, Outcome};
use crate::domain::meeting::Meeting;
use crate::domain::names::NameIndex;
use crate::domain::rules::{self, Severity};
use crate::domain::state::Here;
use crate::domain::view::ClockState as ViewClock;
use crate::domain::year_group::{PoolGroup, YearGroup};
use crate::log::MeetingKey;
use crate::log::store::{LogError, MeetingRow, Store, StoredCaseload};

/// The only format string this build writes.
pub const FORMAT: &str = "fairpanel-minutes/5";

/// First thing after `format` in the LA's internal copy.
pub const NOTICE: &str =
    "LA INTERNAL COPY: contains pupil names, dates of birth and UPNs; do not circulate";

/// What stands in place of free text that names a pupil (rule 13), in the name-free minutes.
pub const WITHHELD: &str =
    "[withheld from the minutes: this text names a pupil; read it in the log]";

/// The minutes of one meeting. Field order is the order of the JSON.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Minutes {
    /// Always `fairpanel-minutes/5` for this version of the format.
    pub format: String,
    /// Only in the LA's internal copy (`--with-names`): that it holds personal data.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notice: Option<String>,
    pub panel: PanelInfo,
    /// The meeting's date: every clock and year group in these minutes is taken on it.
    pub meeting_date: Date,
    /// Where the meeting was held, as the caseload says (since format 5).
    pub venue: Option<String>,
    /// When it started, local `HH:MM`, as the caseload says (since format 5).
    pub starts_at: Option<String>,
    /// The next meeting's date, as the caseload says (since format 5): deferred cases come back
    /// to it.
    pub next_meeting: Option<Date>,
    /// The caseload revisions the log holds for this meeting, oldest first; the last is the one
    /// these minutes read.
    pub caseload_revisions: Vec<RevisionInfo>,
    /// Every member of the panel, in the caseload's order, with their latest attendance.
    pub attendance: Vec<AttendanceLine>,
    /// Members whose latest attendance is apologies.
    pub apologies: Vec<String>,
    /// Quorum on the latest attendance.
    pub quorum: QuorumInfo,
    /// Declarations of interest that stand, in the order they were recorded.
    pub declarations: Vec<DeclarationLine>,
    /// Every case with an entry at this meeting, by case reference.
    pub cases_considered: Vec<CaseMinute>,
    /// AP and specialist places, by provision URN and pool.
    pub places_left: Vec<PlaceLine>,
    /// Decisions taken between the previous meeting and this one (`fairpanel record --as-of`),
    /// oldest first, each with its date.
    pub decided_between_meetings: Vec<BetweenMeetings>,
    /// Cases in the caseload with no standing decision, or deferred for more information.
    pub carried_forward: Vec<String>,
    /// Carried-forward cases whose 20-school-day clock has reached its aim.
    pub overdue: Vec<String>,
    /// Every action agreed with a decision these minutes record (standing decisions of the cases
    /// considered, then decisions between meetings that still stand), with its case (since
    /// format 5).
    pub actions: Vec<ActionLine>,
    /// The name of every school or provision these minutes name by URN (decisions, options
    /// considered, earlier decisions, who joined for a school, places), by URN, as the meeting's
    /// caseload names it (since format 4). A URN the caseload does not list is not here.
    pub schools: Vec<SchoolName>,
    /// Entries these minutes read: the meeting's own (its caseload revisions included) and the
    /// decisions taken between meetings.
    pub entries: usize,
    /// The last entry these minutes read (the chain up to it, and after it, was verified). A log
    /// that grows after the meeting does not change it, so the minutes of a past meeting never
    /// change.
    pub log_entries: usize,
    /// Hash of entry `log_entries`: it fixes the whole log up to there.
    pub head_hash: String,
    /// Where free text was withheld because it names a pupil (not written to the JSON).
    #[serde(skip)]
    pub withheld: Vec<String>,
}

/// An action and the case it was agreed on.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ActionLine {
    #[serde(rename = "ref")]
    pub reference: String,
    pub owner: String,
    pub what: String,
    pub by: Option<Date>,
}

/// A school's name beside its URN.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SchoolName {
    pub urn: u32,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PanelInfo {
    pub id: String,
    pub name: String,
    pub kind: PanelKind,
    pub la_code: u16,
    pub la_name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RevisionInfo {
    pub revision: u32,
    /// SHA-256 of the caseload file's bytes, 64 lowercase hex characters.
    pub sha256: String,
}

/// A member's latest attendance, or `not_recorded`. `invited_absent`: asked to attend (a
/// school, for a case) and did not come, which is not the same as nothing recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum AttendanceStatus {
    Present,
    Apologies,
    ArrivedLate,
    Left,
    InvitedAbsent,
    NotRecorded,
}

impl From<Attendance> for AttendanceStatus {
    fn from(a: Attendance) -> Self {
        match a {
            Attendance::Present => AttendanceStatus::Present,
            Attendance::Apologies => AttendanceStatus::Apologies,
            Attendance::ArrivedLate => AttendanceStatus::ArrivedLate,
            Attendance::Left => AttendanceStatus::Left,
            Attendance::InvitedAbsent => AttendanceStatus::InvitedAbsent,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AttendanceLine {
    pub member: String,
    /// Null for a name the log records that is not a member in the caseload.
    pub organisation: Option<String>,
    pub role: Option<String>,
    pub can_decide: bool,
    pub status: AttendanceStatus,
    /// A substitute or guest who joined during the meeting: the member they stood in for, or
    /// null for a guest. Absent for the panel's own members.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub joined: Option<Joined>,
    /// When they arrived late or joined (local HH:MM), as recorded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub arrived: Option<String>,
    /// When they left (local HH:MM), as recorded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub left: Option<String>,
}

/// How someone not on the panel's list came to be at the meeting.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Joined {
    /// The member they stood in for; null for a guest.
    pub substitute_for: Option<String>,
    /// The school they spoke for, if any.
    pub urn: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct QuorumInfo {
    pub present: usize,
    pub can_decide: usize,
    pub needed_present: usize,
    pub needed_can_decide: usize,
    pub quorate: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DeclarationLine {
    pub member: String,
    pub case_ref: String,
    pub interest: String,
    pub withdrew: bool,
}

/// The pupil's identifying details: only in the LA's internal copy.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PupilNames {
    pub given_name: String,
    pub family_name: String,
    pub date_of_birth: Date,
    pub upn: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CaseMinute {
    /// The panel's case reference: the minutes name a case by this, never by the pupil's name.
    #[serde(rename = "ref")]
    pub reference: String,
    /// Only in the LA's internal copy (`--with-names`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pupil: Option<PupilNames>,
    /// Null when the case is not in the meeting's latest caseload revision.
    pub kind: Option<CaseKind>,
    /// The pupil's year group on the meeting date (31 August rule).
    pub year_group: Option<YearGroup>,
    /// Fair Access categories claimed, by the Code's letters (SAC21 3.17), a to m.
    pub categories: Vec<String>,
    /// Names of the eligibility rules (domain.md §6 rules 1–4) that refuse this case: empty means
    /// eligible. Null where they do not apply (not a Fair Access panel, or not a Fair Access case).
    pub eligibility: Option<Vec<String>>,
    /// The day the panel agreed to consider the case (the log's record, else the caseload's).
    pub agreed_to_consider: Option<Date>,
    pub clock: ClockInfo,
    /// The decision that stands, if any.
    pub decision: Option<DecisionInfo>,
    /// Earlier decisions on this case that no longer stand, oldest first.
    pub history: Vec<HistoryItem>,
    /// The case added at this meeting (a late referral) or its facts amended, in entry order
    /// (since format 3). What changed is in the log, not here: the minutes name no pupil.
    pub changes: Vec<CaseChange>,
}

/// A case added or amended at the meeting.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CaseChange {
    pub entry_id: i64,
    pub change: ChangeKind,
    /// Why it was amended; null for a case added.
    pub reason: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    /// "case added": a late referral added during the meeting.
    CaseAdded,
    /// "case amended": its facts corrected or added to during the meeting.
    CaseAmended,
}

/// Where the case stands against the aim on the meeting date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ClockState {
    /// Agreed, under 15 school days, no placement yet.
    Running,
    /// From school day 15 with no placement (domain.md §6 rule 7).
    Warning,
    /// Past the aim with no placement.
    Overdue,
    /// The panel has not agreed to consider the case: the clock has not started.
    NotAgreed,
    /// Agreed, but the calendar does not cover the dates, so no count is given.
    Unknown,
    /// A placement, or a decision that closed the case, stopped the clock (since format 2).
    Stopped,
}

impl From<ViewClock> for ClockState {
    fn from(u: ViewClock) -> Self {
        match u {
            ViewClock::OnTime => ClockState::Running,
            ViewClock::DueSoon => ClockState::Warning,
            ViewClock::Overdue => ClockState::Overdue,
            ViewClock::NotAgreed => ClockState::NotAgreed,
            ViewClock::Unknown => ClockState::Unknown,
            ViewClock::Stopped => ClockState::Stopped,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ClockInfo {
    /// School days from the agreed date (day 0) to the meeting date.
    pub school_days_since_agreed: Option<i64>,
    /// The panel's aim in school days (settings.clock_school_days).
    pub aim: i64,
    /// School days left to the aim; negative once past it.
    pub left: Option<i64>,
    pub state: ClockState,
}

#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionInfo {
    /// The log entry that holds the decision.
    pub entry_id: i64,
    pub outcome: Outcome,
    pub urn: Option<u32>,
    pub school_name: Option<String>,
    /// The pupil's year group on the start date.
    pub year_group: Option<YearGroup>,
    pub start_date: Option<Date>,
    pub package: Option<String>,
    pub reduced_timetable: bool,
    pub review_date: Option<Date>,
    pub reasons: String,
    pub agreed_by: Vec<String>,
    pub dissent: Vec<String>,
    /// Taken between meetings (`fairpanel record`).
    pub outside_meeting: bool,
    /// When the entry was written (UTC, the log's own clock).
    pub recorded_at: String,
    /// Why the panel went ahead despite a warning that needs a reason (fair share, local bar).
    pub override_reason: Option<String>,
    /// The ranked schools shown when the decision was taken, with the fair-share figures.
    pub options_considered: Vec<crate::domain::event::OptionShown>,
    /// Who does what, by when, agreed with this decision (since format 5); a `what` that names a
    /// pupil is withheld like the reasons.
    pub actions: Vec<crate::domain::event::Action>,
    /// A deferral: the day the case comes back to the panel (its review date if one was set,
    /// else the next meeting's date; null when neither is known). Null for other outcomes
    /// (since format 5). What was asked for is the deferral's `reasons`.
    pub comes_back: Option<Date>,
}

/// A decision taken between meetings.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BetweenMeetings {
    #[serde(rename = "ref")]
    pub reference: String,
    /// The day it was taken (`--as-of`).
    pub decided_on: Option<Date>,
    /// Whether it still stands at this meeting (a later correction may have replaced it).
    pub stands: bool,
    pub decision: DecisionInfo,
}

#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HistoryItem {
    pub entry_id: i64,
    pub outcome: Outcome,
    pub urn: Option<u32>,
    /// The entry that replaced it.
    pub superseded_by: Option<i64>,
    /// Why, as recorded with the correction; null when a later decision replaced it without one.
    pub correction_reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PlaceLine {
    pub urn: u32,
    pub name: Option<String>,
    pub group: PoolGroup,
    pub offered: i64,
    /// Used before the meeting, as the caseload says.
    pub used_before: i64,
    /// Taken by decisions that stand in this meeting's log.
    pub taken_at_meeting: i64,
    /// offered − used_before − taken_at_meeting, never below 0.
    pub free: i64,
}

fn damaged(store: &Store, what: &str) -> LogError {
    LogError::Damaged {
        path: store.path().to_owned(),
        why: what.to_owned(),
    }
}

/// A meeting's caseload revisions up to entry `last`, each checked against the hash its chained
/// entry records: every revision as (number, file SHA-256), oldest first, and the latest whole,
/// which must be for the meeting's own panel and date. The minutes list them all; both they and
/// `fairpanel next` read the latest.
pub fn revisions(
    store: &Store,
    meeting: &MeetingRow,
    last: i64,
) -> Result<(Vec<RevisionInfo>, StoredCaseload), LogError> {
    let mut rows = store.caseloads(meeting.id, last)?;
    let all = rows
        .iter()
        .map(|r| RevisionInfo {
            revision: r.revision,
            sha256: r.file_sha256.clone(),
        })
        .collect();
    let Some(latest) = rows.pop() else {
        return Err(damaged(store, "the meeting has no caseload revision"));
    };
    let c = &latest.caseload;
    if c.panel.id != meeting.panel_id || c.panel.meeting_date.to_string() != meeting.meeting_date {
        return Err(damaged(
            store,
            "the meeting's caseload is for another panel or date",
        ));
    }
    Ok((all, latest))
}

/// Free text in the name-free minutes: withheld if it names any pupil in the caseload.
struct Redactor {
    names: NameIndex,
    with_names: bool,
    withheld: Vec<String>,
}

impl Redactor {
    fn text(&mut self, s: &str, at: impl FnOnce() -> String) -> String {
        if !self.with_names && self.names.mentions(s) {
            self.withheld.push(at());
            WITHHELD.to_owned()
        } else {
            s.to_owned()
        }
    }
}

/// A decision filed under a meeting but taken on a later day.
fn taken_after(e: &Entry, date: &str) -> bool {
    matches!(&e.event, Event::Decision(d) if d.decided_on.is_some_and(|on| on.to_string().as_str() > date))
}

/// Builds the minutes of `meeting` from the log alone. A broken hash chain, a caseload revision
/// that does not match its entry, or one that no longer parses is `LogError::Damaged`.
pub fn build(store: &Store, meeting: &MeetingRow, with_names: bool) -> Result<Minutes, LogError> {
    // The chain first: minutes are never made from a log that has been changed.
    let verified = store.verify()?;
    // A writer may append while we read: everything below is as of the verified head.
    let head_id = verified.entries as i64;
    let date = meeting.meeting_date.as_str();
    let (caseload_revisions, latest) = revisions(store, meeting, head_id)?;
    let caseload = latest.caseload;
    // The meeting as the screen saw it: its own entries, its cases' stories and the year's
    // placements from the whole log, up to this meeting's day. A decision filed under it but
    // taken on a later day (between meetings) belongs to the next meeting's minutes, so this
    // meeting's never change.
    let mut history: Vec<Entry> = store
        .history_of(&caseload, None, Some(meeting.id), head_id)?
        .into_iter()
        .filter(|e| e.meeting_id != meeting.id || !taken_after(e, date))
        .collect();
    let own: HashSet<i64> = history
        .iter()
        .filter(|e| e.meeting_id == meeting.id)
        .map(|e| e.id)
        .collect();
    // Decisions taken between the previous meeting of the panel and this one.
    let previous = store
        .meetings()?
        .into_iter()
        .filter(|m| m.panel_id == meeting.panel_id && m.meeting_date.as_str() < date)
        .map(|m| m.meeting_date)
        .next_back();
    let between: Vec<Entry> = store
        .decisions_on_days(previous.as_deref(), date, head_id)?
        .into_iter()
        .filter(|e| matches!(&e.event, Event::Decision(d) if d.outside_meeting))
        .filter(|e| !own.contains(&e.id))
        .collect();
    // The minutes read up to the last of their own or between-meeting entries, and name it as
    // their head: entries written after it never change them.
    let (last, head) = history
        .iter()
        .filter(|e| own.contains(&e.id))
        .chain(&between)
        .max_by_key(|e| e.id)
        .map_or((0, String::new()), |e| (e.id, e.hash.clone()));
    let read = own.len() + between.len();
    history.retain(|e| e.id <= last);
    let held: HashSet<i64> = history.iter().map(|e| e.id).collect();
    history.extend(between.iter().filter(|b| !held.contains(&b.id)).cloned());
    history.sort_by_key(|e| e.id);
    let m = Meeting::resume(caseload, Here::Meeting(meeting.id), history);
    let c = m.caseload();
    let state = m.state();
    let mut red = Redactor {
        names: NameIndex::new(&c.cases).with_schools(c.school_names()),
        with_names,
        withheld: Vec::new(),
    };
    let meeting_date = c.panel.meeting_date;

    // Attendance: every member in the caseload's order, then the substitutes and guests who
    // joined, then any other name the log holds.
    let times = |name: &str| {
        (
            state.arrived_at(name).map(str::to_owned),
            state.left_at(name).map(str::to_owned),
        )
    };
    let mut attendance: Vec<AttendanceLine> = c
        .panel
        .members
        .iter()
        .map(|member| {
            let (arrived, left) = times(&member.name);
            AttendanceLine {
                member: member.name.clone(),
                organisation: Some(member.organisation.clone()),
                role: Some(member.role.clone()),
                can_decide: member.can_decide,
                status: state
                    .attendance()
                    .get(&member.name)
                    .map_or(AttendanceStatus::NotRecorded, |a| (*a).into()),
                joined: None,
                arrived,
                left,
            }
        })
        .collect();
    for g in state.guests() {
        let (arrived, left) = times(&g.name);
        attendance.push(AttendanceLine {
            member: g.name.clone(),
            organisation: Some(g.organisation.clone()),
            role: Some(g.role.clone()),
            can_decide: g.can_decide,
            status: state
                .attendance()
                .get(&g.name)
                .map_or(AttendanceStatus::NotRecorded, |a| (*a).into()),
            joined: Some(Joined {
                substitute_for: g.substitute_for.clone(),
                urn: g.urn,
            }),
            arrived,
            left,
        });
    }
    for (name, status) in state.attendance() {
        if state.person(c, name).is_none() {
            let (arrived, left) = times(name);
            attendance.push(AttendanceLine {
                member: name.clone(),
                organisation: None,
                role: None,
                can_decide: false,
                status: (*status).into(),
                joined: None,
                arrived,
                left,
            });
        }
    }
    let apologies = attendance
        .iter()
        .filter(|a| a.status == AttendanceStatus::Apologies)
        .map(|a| a.member.clone())
        .collect();
    let q = m.quorum();
    let quorum = QuorumInfo {
        present: q.present,
        can_decide: q.can_decide,
        needed_present: q.needed_present,
        needed_can_decide: q.needed_can_decide,
        quorate: q.is_quorate(),
    };

    // Declarations made at this meeting (earlier ones stand, and are in earlier minutes).
    let declarations = state
        .declarations()
        .iter()
        .filter(|d| state.entry(d.entry).is_some_and(|e| state.is_here(e)))
        .map(|d| DeclarationLine {
            member: d.member.clone(),
            case_ref: d.case_ref.clone(),
            interest: red.text(&d.interest, || {
                format!("declarations (entry {}).interest", d.entry)
            }),
            withdrew: d.withdrew,
        })
        .collect();

    // Cases with any entry at the meeting itself, by reference.
    let mut considered: BTreeMap<&str, Vec<&Entry>> = BTreeMap::new();
    for e in state.own_entries() {
        if let Some(r) = e.event.case_ref() {
            considered.entry(r).or_default().push(e);
        }
    }
    let mut cases_considered = Vec::new();
    for (r, case_entries) in considered {
        cases_considered.push(case_minute(&m, &case_entries, r, &mut red));
    }

    // Places: by provision URN, then pool.
    let mut places_left = Vec::new();
    let mut provisions: Vec<_> = c.places.iter().collect();
    provisions.sort_by_key(|p| p.urn);
    for p in provisions {
        let mut pools: Vec<_> = p.pools.iter().collect();
        pools.sort_by_key(|x| x.group);
        for pool in pools {
            let taken = m.places_taken(p.urn, pool.group);
            places_left.push(PlaceLine {
                urn: p.urn,
                name: c
                    .schools
                    .iter()
                    .find(|s| s.urn == p.urn)
                    .map(|s| s.name.clone()),
                group: pool.group,
                offered: pool.offered,
                used_before: pool.used,
                taken_at_meeting: taken,
                free: m.pool_left(p.urn, pool),
            });
        }
    }

    let mut carried_forward = Vec::new();
    let mut overdue = Vec::new();
    for (i, case) in c.cases.iter().enumerate() {
        let Some(f) = m.facts(i) else { continue };
        if !f.standing.is_open() {
            continue;
        }
        carried_forward.push(case.reference.clone());
        if f.clock_state() == ViewClock::Overdue {
            overdue.push(case.reference.clone());
        }
    }
    carried_forward.sort();
    carried_forward.dedup();
    overdue.sort();
    overdue.dedup();

    let decided_between_meetings: Vec<BetweenMeetings> = between
        .iter()
        .filter_map(|e| match &e.event {
            Event::Decision(d) => Some(BetweenMeetings {
                reference: d.case_ref.clone(),
                decided_on: d.decided_on,
                stands: state.superseded_by(e.id).is_none(),
                decision: decision_info(
                    c,
                    e,
                    d,
                    &format!("decided_between_meetings[{}]", d.case_ref),
                    &mut red,
                ),
            }),
            _ => None,
        })
        .collect();

    // Every URN named anywhere above, with the caseload's name for it.
    let mut urns: BTreeSet<u32> = BTreeSet::new();
    let add_decision = |d: &DecisionInfo, urns: &mut BTreeSet<u32>| {
        urns.extend(d.urn);
        urns.extend(d.options_considered.iter().map(|o| o.urn));
    };
    for k in &cases_considered {
        if let Some(d) = &k.decision {
            add_decision(d, &mut urns);
        }
        urns.extend(k.history.iter().filter_map(|h| h.urn));
    }
    for b in &decided_between_meetings as &Vec<BetweenMeetings> {
        add_decision(&b.decision, &mut urns);
    }
    urns.extend(
        attendance
            .iter()
            .filter_map(|a| a.joined.as_ref().and_then(|j| j.urn)),
    );
    urns.extend(places_left.iter().map(|p| p.urn));
    let schools = urns
        .into_iter()
        .filter_map(|urn| {
            c.schools.iter().find(|s| s.urn == urn).map(|s| SchoolName {
                urn,
                name: s.name.clone(),
            })
        })
        .collect();

    let mut actions = Vec::new();
    let decisions = cases_considered
        .iter()
        .filter_map(|k| k.decision.as_ref().map(|d| (&k.reference, d)))
        .chain(
            decided_between_meetings
                .iter()
                .filter(|b| b.stands)
                .map(|b| (&b.reference, &b.decision)),
        );
    for (r, d) in decisions {
        actions.extend(d.actions.iter().map(|a| ActionLine {
            reference: r.clone(),
            owner: a.owner.clone(),
            what: a.what.clone(),
            by: a.by,
        }));
    }

    let withheld = std::mem::take(&mut red.withheld);
    Ok(Minutes {
        format: FORMAT.to_owned(),
        notice: with_names.then(|| NOTICE.to_owned()),
        panel: PanelInfo {
            id: c.panel.id.clone(),
            name: c.panel.name.clone(),
            kind: c.panel.kind,
            la_code: c.panel.la_code,
            la_name: c.panel.la_name.clone(),
        },
        meeting_date,
        venue: c.panel.venue.clone(),
        starts_at: c.panel.starts_at.clone(),
        next_meeting: c.panel.next_meeting,
        caseload_revisions,
        attendance,
        apologies,
        quorum,
        declarations,
        cases_considered,
        places_left,
        decided_between_meetings,
        carried_forward,
        overdue,
        actions,
        schools,
        entries: read,
        log_entries: last as usize,
        head_hash: head,
        withheld,
    })
}

/// What the minutes say of one decision; `at` names where its free text sits, should it be
/// withheld.
fn decision_info(
    c: &Caseload,
    e: &Entry,
    d: &Decision,
    at: &str,
    red: &mut Redactor,
) -> DecisionInfo {
    let school_name = |urn: Option<u32>| {
        urn.and_then(|u| c.schools.iter().find(|s| s.urn == u))
            .map(|s| s.name.clone())
    };
    DecisionInfo {
        entry_id: e.id,
        outcome: d.outcome,
        urn: d.urn,
        school_name: school_name(d.urn),
        year_group: d.year_group,
        start_date: d.start_date,
        package: d
            .package
            .as_deref()
            .map(|p| red.text(p, || format!("{at}.package (entry {})", e.id))),
        reduced_timetable: d.reduced_timetable,
        review_date: d.review_date,
        reasons: red.text(&d.reasons, || format!("{at}.reasons (entry {})", e.id)),
        agreed_by: d.agreed_by.clone(),
        dissent: d.dissent.clone(),
        outside_meeting: d.outside_meeting,
        recorded_at: e.recorded_at.clone(),
        override_reason: d
            .override_reason
            .as_deref()
            .map(|o| red.text(o, || format!("{at}.override_reason (entry {})", e.id))),
        options_considered: d.options_considered.clone(),
        actions: d
            .actions
            .iter()
            .enumerate()
            .map(|(i, a)| crate::domain::event::Action {
                what: red.text(&a.what, || {
                    format!("{at}.actions[{i}].what (entry {})", e.id)
                }),
                ..a.clone()
            })
            .collect(),
        comes_back: (d.outcome == Outcome::DeferMoreInfo)
            .then(|| d.review_date.or(c.panel.next_meeting))
            .flatten(),
    }
}

/// One case's minute, from its own entries at the meeting, in order.
fn case_minute(m: &Meeting, entries: &[&Entry], r: &str, red: &mut Redactor) -> CaseMinute {
    let (c, state) = (m.caseload(), m.state());
    let meeting_date = c.panel.meeting_date;
    let aim = c.panel.settings.clock_school_days;
    let index = m.case_index(r);
    let case = index.and_then(|i| m.case(i));
    let facts = index.and_then(|i| m.facts(i));
    let pupil = case.filter(|_| red.with_names).map(|k| PupilNames {
        given_name: k.pupil.given_name.clone(),
        family_name: k.pupil.family_name.clone(),
        date_of_birth: k.pupil.date_of_birth,
        upn: k.pupil.upn.clone(),
    });
    let categories: Vec<String> = case
        .map(|k| {
            let set: BTreeSet<char> = k.categories.iter().map(|x| x.code.letter()).collect();
            set.into_iter().map(String::from).collect()
        })
        .unwrap_or_default();
    let eligibility = case
        .filter(|k| c.panel.kind.is_fair_access() && k.kind == CaseKind::FairAccess)
        .map(|k| {
            let mut hits = Vec::new();
            rules::eligibility(c, k, &mut hits);
            let names: BTreeSet<&str> = hits
                .iter()
                .filter(|h| h.rule.severity == Severity::Refuse)
                .map(|h| h.rule.name)
                .collect();
            names.into_iter().map(str::to_owned).collect()
        });
    let agreed = facts.and_then(|f| f.agreed);
    let clock = match facts {
        Some(f) => ClockInfo {
            school_days_since_agreed: f.clock.since_agreed,
            aim: f.clock.aim,
            left: f.clock.left(),
            state: f.clock_state().into(),
        },
        None => ClockInfo {
            school_days_since_agreed: None,
            aim: i64::from(aim),
            left: None,
            state: ClockState::Unknown,
        },
    };

    let decision = state
        .current_decision(r)
        .map(|(e, d)| decision_info(c, e, d, &format!("cases_considered[{r}].decision"), red));

    // Every other decision on the case: corrected ones, and any replaced by a later decision.
    let standing = decision.as_ref().map(|d| d.entry_id);
    let decisions: Vec<(&Entry, Outcome, Option<u32>)> = entries
        .iter()
        .filter_map(|e| match &e.event {
            Event::Decision(d) => Some((*e, d.outcome, d.urn)),
            _ => None,
        })
        .collect();
    let by_id: BTreeMap<i64, &Entry> = entries.iter().map(|e| (e.id, *e)).collect();
    let mut history = Vec::new();
    for (i, (e, outcome, urn)) in decisions.iter().enumerate() {
        if Some(e.id) == standing {
            continue;
        }
        let (superseded_by, correction_reason) = match state.superseded_by(e.id) {
            Some(by) => (
                Some(by),
                by_id
                    .get(&by)
                    .and_then(|x| x.correction_reason.as_deref())
                    .map(|t| {
                        red.text(t, || {
                            format!("cases_considered[{r}].history (entry {by}).correction_reason")
                        })
                    }),
            ),
            None => (decisions.get(i + 1).map(|(n, _, _)| n.id), None),
        };
        history.push(HistoryItem {
            entry_id: e.id,
            outcome: *outcome,
            urn: *urn,
            superseded_by,
            correction_reason,
        });
    }

    let changes = entries
        .iter()
        .filter_map(|e| match &e.event {
            Event::CaseAdded { .. } => Some(CaseChange {
                entry_id: e.id,
                change: ChangeKind::CaseAdded,
                reason: None,
            }),
            Event::CaseAmended { reason, .. } => Some(CaseChange {
                entry_id: e.id,
                change: ChangeKind::CaseAmended,
                reason: Some(red.text(reason, || {
                    format!("cases_considered[{r}].changes (entry {}).reason", e.id)
                })),
            }),
            _ => None,
        })
        .collect();

    CaseMinute {
        reference: r.to_owned(),
        pupil,
        kind: case.map(|k| k.kind),
        year_group: case.and_then(|k| YearGroup::on(k.pupil.date_of_birth, meeting_date)),
        categories,
        eligibility,
        agreed_to_consider: agreed,
        clock,
        decision,
        history,
        changes,
    }
}

/// The JSON Schema of the format; `fixtures/minutes.schema.json` is this text (tests/minutes.rs).
/// It is `schemars::schema_for!(Minutes)` with the serialisation contract: the minutes are
/// written, never read, so a field that is always written (if only as `null`) is required, and
/// only `notice` and `pupil` (the LA's internal copy) may be absent.
pub fn json_schema() -> String {
    let schema = schemars::generate::SchemaSettings::draft2020_12()
        .for_serialize()
        .into_generator()
        .into_root_schema_for::<Minutes>();
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}

/// `minutes-{panel_id}-{meeting_date}.json`, with anything but ASCII letters, digits, `-` and `_`
/// in the panel id replaced by `_` (the id comes from a file: it must not name another folder).
pub fn file_name(panel_id: &str, meeting_date: &str) -> String {
    crate::io::files::name_for("minutes", panel_id, meeting_date)
}

/// Why minutes could not be written.
#[derive(Debug, thiserror::Error)]
pub enum MinutesError {
    /// The meeting has nothing in the log yet.
    #[error("nothing has been recorded at this meeting yet, so there are no minutes to write")]
    NothingYet,
    #[error(transparent)]
    Log(#[from] LogError),
    #[error("could not write the minutes as JSON: {0}")]
    Json(#[from] serde_json::Error),
    #[error("{}: cannot write the minutes: {source}; check the folder", .path.display())]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// The minutes as they are written: pretty JSON and a final newline, safe for a terminal.
pub fn to_json(m: &Minutes) -> Result<String, MinutesError> {
    Ok(crate::io::json::to_safe_string(m)?)
}

/// A form the minutes are written in beside the log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocForm {
    Json,
    Markdown,
    Html,
    Word,
}

impl DocForm {
    pub const ALL: [DocForm; 4] = [
        DocForm::Json,
        DocForm::Markdown,
        DocForm::Html,
        DocForm::Word,
    ];

    fn extension(self) -> &'static str {
        match self {
            DocForm::Json => "json",
            DocForm::Markdown => "md",
            DocForm::Html => "html",
            DocForm::Word => "docx",
        }
    }
}

/// The screen's `m` key: builds the minutes of a meeting from its log (through a reader, so what
/// is written is what the log holds) and writes each of `forms` atomically, mode 0600, as
/// [`file_name`] in `out_dir` (created 0700 if missing) with the form's extension. Returns the
/// paths, in the order of `forms`.
pub fn write_beside(
    log: &Path,
    key: &MeetingKey,
    out_dir: &Path,
    with_names: bool,
    forms: &[DocForm],
) -> Result<Vec<PathBuf>, MinutesError> {
    let store = Store::open_reader(log)?;
    let meeting = store.find_meeting(key)?.ok_or(MinutesError::NothingYet)?;
    let minutes = build(&store, &meeting, with_names)?;
    crate::log::store::create_private_dir(out_dir).map_err(|e| MinutesError::Write {
        path: out_dir.to_owned(),
        source: e,
    })?;
    let base = out_dir.join(file_name(&meeting.panel_id, &meeting.meeting_date));
    let mut written = Vec::new();
    for form in forms {
        let path = base.with_extension(form.extension());
        let bytes = match form {
            DocForm::Json => to_json(&minutes)?.into_bytes(),
            DocForm::Markdown => crate::io::minutes_text::to_markdown(&minutes).into_bytes(),
            DocForm::Html => crate::io::minutes_text::to_html(&minutes).into_bytes(),
            DocForm::Word => {
                crate::io::minutes_text::to_docx(&minutes).map_err(|e| MinutesError::Write {
                    path: path.clone(),
                    source: e,
                })?
            }
        };
        crate::io::files::write_atomic(&path, &bytes).map_err(|e| MinutesError::Write {
            path: path.clone(),
            source: e,
        })?;
        written.push(path);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_name_cannot_leave_the_folder() {
        assert_eq!(
            file_name("walsall-sec-fap", "2026-03-12"),
            "minutes-walsall-sec-fap-2026-03-12.json"
        );
        assert_eq!(
            file_name("../x/y", "2026-03-12"),
            "minutes-___x_y-2026-03-12.json"
        );
    }
}
