//! The meeting as the log says it stands: built by replaying entries in order, and updated by the
//! same `apply` after each durable write, so memory always equals what a reopen reads. `apply` is
//! visible to the domain only: outside it, the log's state changes through `Meeting::record`.

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::domain::caseload::{Caseload, Member};
use crate::domain::dates::Date;
use crate::domain::event::{Attendance, Decision, Entry, Event, Guest};
use crate::domain::year_group::PoolGroup;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeclarationRec {
    pub entry: i64,
    pub member: String,
    pub case_ref: String,
    pub interest: String,
    pub withdrew: bool,
}

/// Which of the entries read are the meeting's own. A meeting reads its cases' stories and the
/// academic year's placements from the whole log, but its attendance, quorum and caseload
/// revisions only from its own entries.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Here {
    /// Every entry is the meeting's own (a log of one meeting, or one in memory).
    #[default]
    All,
    /// The meeting's row in the log.
    Meeting(i64),
    /// The log does not hold the meeting yet: its first entry will say which row it is.
    NotYet,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct LogState {
    here: Here,
    entries: Vec<Entry>,
    /// Where the meeting's own entries are in `entries`, in order.
    own: Vec<usize>,
    /// Corrected entry → the entry that corrects it.
    superseded_by: HashMap<i64, i64>,
    /// Latest attendance per member name (substitutes and guests included).
    attendance: BTreeMap<String, Attendance>,
    /// When each person arrived late and left, as recorded (local HH:MM).
    arrived_at: BTreeMap<String, String>,
    left_at: BTreeMap<String, String>,
    /// Substitutes and guests who joined, in the order they joined.
    guests: Vec<Guest>,
    /// The same people as members (for quorum, votes and declarations).
    guest_members: Vec<Member>,
    /// Cases the panel agreed to consider, with the date (overrides the caseload's own).
    agreed: HashMap<String, Date>,
    declarations: Vec<DeclarationRec>,
    /// The current (not superseded) decision entry per case.
    decision_of: HashMap<String, i64>,
    /// Caseload revisions seen, in order: (revision, sha256).
    revisions: Vec<(u32, String)>,
}

impl LogState {
    /// The entries of one meeting, all its own.
    pub fn replay(entries: &[Entry]) -> LogState {
        Self::replay_in(Here::All, entries)
    }

    /// A meeting's history from the log (entries in id order), knowing which are its own.
    pub fn replay_in(here: Here, entries: &[Entry]) -> LogState {
        Self::replay_owned(here, entries.to_vec())
    }

    /// The same, taking the entries.
    pub fn replay_owned(here: Here, entries: Vec<Entry>) -> LogState {
        let mut s = LogState {
            here,
            entries: Vec::with_capacity(entries.len()),
            ..LogState::default()
        };
        for e in entries {
            s.apply(e);
        }
        s
    }

    /// Which entries are the meeting's own.
    pub fn here(&self) -> Here {
        self.here
    }

    /// Is the entry the meeting's own (rather than an earlier meeting's, or one between them)?
    pub fn is_here(&self, e: &Entry) -> bool {
        match self.here {
            Here::All => true,
            Here::Meeting(id) => e.meeting_id == id,
            Here::NotYet => false,
        }
    }

    /// Applies an entry the meeting itself just wrote: the first one tells a meeting new to the
    /// log which row is its own.
    pub(super) fn apply_own(&mut self, entry: Entry) {
        if self.here == Here::NotYet {
            self.here = Here::Meeting(entry.meeting_id);
        }
        self.apply(entry);
    }

    /// Applies one entry already on disk.
    pub(super) fn apply(&mut self, entry: Entry) {
        let here = self.is_here(&entry);
        if let Some(old) = entry.supersedes {
            self.superseded_by.insert(old, entry.id);
            // A corrected decision no longer stands.
            self.decision_of.retain(|_, id| *id != old);
            self.declarations.retain(|d| d.entry != old);
        }
        match &entry.event {
            Event::CaseloadOpened { revision, sha256 } => {
                if here {
                    self.revisions.push((*revision, sha256.clone()))
                }
            }
            Event::Attendance {
                member,
                status,
                time,
            } if here => {
                self.attendance.insert(member.clone(), *status);
                let at = match status {
                    Attendance::ArrivedLate => Some(&mut self.arrived_at),
                    Attendance::Left => Some(&mut self.left_at),
                    _ => None,
                };
                if let (Some(at), Some(t)) = (at, time) {
                    at.insert(member.clone(), t.clone());
                }
            }
            Event::Joined(g) if here => {
                self.attendance.insert(g.name.clone(), Attendance::Present);
                if let Some(t) = &g.time {
                    self.arrived_at.insert(g.name.clone(), t.clone());
                }
                self.guest_members.push(Member {
                    name: g.name.clone(),
                    role: g.role.clone(),
                    organisation: g.organisation.clone(),
                    urn: g.urn,
                    can_decide: g.can_decide,
                });
                self.guests.push(g.clone());
            }
            Event::AgreedToConsider { case_ref, date } => {
                self.agreed.insert(case_ref.clone(), *date);
            }
            Event::Declaration {
                member,
                case_ref,
                interest,
                withdrew,
            } => self.declarations.push(DeclarationRec {
                entry: entry.id,
                member: member.clone(),
                case_ref: case_ref.clone(),
                interest: interest.clone(),
                withdrew: *withdrew,
            }),
            Event::Decision(d) => {
                self.decision_of.insert(d.case_ref.clone(), entry.id);
            }
            // Another meeting's attendance: this meeting records its own. Cases added or
            // amended change the caseload, which the meeting holds (`Meeting::apply`).
            Event::Attendance { .. }
            | Event::Joined(_)
            | Event::CaseAdded { .. }
            | Event::CaseAmended { .. } => {}
        }
        if here {
            self.own.push(self.entries.len());
        }
        self.entries.push(entry);
    }

    /// The meeting's own entries, in id order (today's, on the screen).
    pub fn own_entries(&self) -> impl DoubleEndedIterator<Item = &Entry> {
        self.own.iter().filter_map(|&i| self.entries.get(i))
    }

    /// The meeting's `n`th own entry.
    pub fn own_entry(&self, n: usize) -> Option<&Entry> {
        self.own.get(n).and_then(|&i| self.entries.get(i))
    }

    /// How many entries are the meeting's own.
    pub fn own_len(&self) -> usize {
        self.own.len()
    }

    /// Every entry read (the meeting's own, and its history), in id order.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The entries read about one case, in id order (its story).
    pub fn case_entries<'a>(&'a self, case_ref: &'a str) -> impl Iterator<Item = &'a Entry> {
        self.entries
            .iter()
            .filter(move |e| e.event.case_ref() == Some(case_ref))
    }

    /// The entry that corrects entry `id`, if one does.
    pub fn superseded_by(&self, id: i64) -> Option<i64> {
        self.superseded_by.get(&id).copied()
    }

    /// Latest attendance per member name.
    pub fn attendance(&self) -> &BTreeMap<String, Attendance> {
        &self.attendance
    }

    /// When someone arrived late (or joined), as recorded.
    pub fn arrived_at(&self, member: &str) -> Option<&str> {
        self.arrived_at.get(member).map(String::as_str)
    }

    /// When someone left, as recorded.
    pub fn left_at(&self, member: &str) -> Option<&str> {
        self.left_at.get(member).map(String::as_str)
    }

    /// Substitutes and guests who joined, in the order they joined.
    pub fn guests(&self) -> &[Guest] {
        &self.guests
    }

    /// Everyone who can be in the room: the panel's members, then the substitutes and guests
    /// who joined, in that order (an index into it stays valid as people join).
    pub fn people<'a>(&'a self, c: &'a Caseload) -> Vec<&'a Member> {
        c.panel
            .members
            .iter()
            .chain(self.guest_members.iter())
            .collect()
    }

    /// A member, substitute or guest by name.
    pub fn person<'a>(&'a self, c: &'a Caseload, name: &str) -> Option<&'a Member> {
        c.panel
            .members
            .iter()
            .chain(self.guest_members.iter())
            .find(|m| m.name == name)
    }

    pub fn is_present(&self, member: &str) -> bool {
        self.attendance.get(member).is_some_and(|a| a.is_present())
    }

    /// The day the log records the panel agreed to consider the case.
    pub fn agreed_in_log(&self, case_ref: &str) -> Option<Date> {
        self.agreed.get(case_ref).copied()
    }

    /// Declarations that stand, in the order they were recorded.
    pub fn declarations(&self) -> &[DeclarationRec] {
        &self.declarations
    }

    /// The standing decision entry of a case.
    pub fn decision_entry(&self, case_ref: &str) -> Option<i64> {
        self.decision_of.get(case_ref).copied()
    }

    /// Caseload revisions seen, in order: (revision, sha256).
    pub fn revisions(&self) -> &[(u32, String)] {
        &self.revisions
    }

    pub fn entry(&self, id: i64) -> Option<&Entry> {
        // Ids are increasing; entries are in id order.
        self.entries
            .binary_search_by_key(&id, |e| e.id)
            .ok()
            .map(|i| &self.entries[i])
    }

    pub fn current_decision(&self, case_ref: &str) -> Option<(&Entry, &Decision)> {
        let e = self.entry(*self.decision_of.get(case_ref)?)?;
        match &e.event {
            Event::Decision(d) => Some((e, d)),
            _ => None,
        }
    }

    /// Every decision that stands, in entry order.
    pub fn current_decisions(&self) -> Vec<(&Entry, &Decision)> {
        let ids: HashSet<i64> = self.decision_of.values().copied().collect();
        self.entries
            .iter()
            .filter(|e| ids.contains(&e.id))
            .filter_map(|e| match &e.event {
                Event::Decision(d) => Some((e, d)),
                _ => None,
            })
            .collect()
    }

    /// Members present now (present or arrived late, and not since left or sent apologies).
    pub fn present<'c>(&self, members: &'c [Member]) -> Vec<&'c Member> {
        members
            .iter()
            .filter(|m| self.is_present(&m.name))
            .collect()
    }

    /// Quorum from the attendance events and the caseload's rule (domain.md §4; local ToR):
    /// substitutes and guests who joined count as they can decide.
    pub fn quorum(&self, c: &Caseload) -> Quorum {
        let present: Vec<&Member> = self
            .people(c)
            .into_iter()
            .filter(|m| self.is_present(&m.name))
            .collect();
        let can_decide = present.iter().filter(|m| m.can_decide).count();
        let q = &c.panel.settings.quorum;
        Quorum {
            present: present.len(),
            can_decide,
            needed_present: q.min_present as usize,
            needed_can_decide: q.min_can_decide as usize,
        }
    }

    /// Places taken in a provision's pool by the meeting's own decisions that stand (places
    /// used before the meeting are the caseload's `used`).
    pub fn places_taken(&self, c: &Caseload, urn: u32, group: PoolGroup) -> i64 {
        self.current_decisions()
            .iter()
            .filter(|(e, _)| self.is_here(e))
            .filter(|(_, d)| d.outcome.places_child() && d.urn == Some(urn))
            .filter(|(_, d)| pool_for(c, urn, d).is_some_and(|g| g == group))
            .count() as i64
    }

    /// Did the member declare an interest in the case (and the declaration still stands)?
    pub fn declared(&self, member: &str, case_ref: &str) -> Option<&DeclarationRec> {
        self.declarations
            .iter()
            .find(|d| d.member == member && d.case_ref == case_ref)
    }
}

/// The pool of provision `urn` a decision draws on: its year group's pool if the provision counts
/// by year group, else its key stage's.
pub fn pool_for(c: &Caseload, urn: u32, d: &Decision) -> Option<PoolGroup> {
    let y = d.year_group?;
    let prov = c.places.iter().find(|p| p.urn == urn)?;
    prov.pools.iter().map(|p| p.group).find(|g| g.covers(y))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quorum {
    pub present: usize,
    pub can_decide: usize,
    pub needed_present: usize,
    pub needed_can_decide: usize,
}

impl Quorum {
    pub fn is_quorate(&self) -> bool {
        self.present >= self.needed_present && self.can_decide >= self.needed_can_decide
    }

    /// "quorate: 7 present, 5 can decide" / "NOT QUORATE: 2 present (4 needed), 1 can decide
    /// (3 needed)": never a count put over a smaller one ("7 of 4").
    pub fn label(&self) -> String {
        if self.is_quorate() {
            format!(
                "quorate: {} present, {} can decide",
                self.present, self.can_decide
            )
        } else {
            format!(
                "NOT QUORATE: {} present ({} needed), {} can decide ({} needed)",
                self.present, self.needed_present, self.can_decide, self.needed_can_decide
            )
        }
    }
}
