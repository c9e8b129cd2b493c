//! A meeting's place in the log: the store opened for writing, the meeting it writes for, and a
//! caseload revision waiting to be written with the first entry. It writes what
//! `Meeting::record` hands it ([`LogWriter`]); it never judges an entry itself, and it writes
//! nothing until there is an entry: opening a meeting, or an entry the rules refuse, leaves the
//! log (or its absence) as it was.

use std::path::Path;

use crate::domain::caseload::Caseload;
use crate::domain::dates::Date;
use crate::domain::event::{Entry, Event};
use crate::domain::meeting::{Draft, LogWriter, Meeting};
use crate::domain::state::Here;
use crate::log::chain::sha256_hex;
use crate::log::codec::MeetingKey;
use crate::log::store::{Batch, LogError, MeetingRow, PendingRevision, Store};

pub struct Session {
    store: Store,
    key: MeetingKey,
    pending: Option<PendingRevision>,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("meeting", &self.key)
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
    /// Resumes the meeting (panel id, meeting date) from the log, or starts it. A caseload
    /// whose bytes differ from the meeting's last stored revision (a late referral) becomes a new
    /// revision, written with the first entry; decisions already made stand.
    pub fn open(
        store: Store,
        caseload: Caseload,
        caseload_text: &str,
    ) -> Result<(Session, Meeting), LogError> {
        Self::open_reading(store, caseload, caseload_text, None)
    }

    /// As [`Session::open`], reading the earlier history of one case only, as one decision on
    /// it needs (`fairpanel record`): the meeting's own entries and the year's placements are
    /// read in full, so the rules judge the decision exactly as the screen would.
    pub fn open_for_case(
        store: Store,
        caseload: Caseload,
        caseload_text: &str,
        case_ref: &str,
    ) -> Result<(Session, Meeting), LogError> {
        Self::open_reading(store, caseload, caseload_text, Some(case_ref))
    }

    fn open_reading(
        store: Store,
        caseload: Caseload,
        caseload_text: &str,
        only_case: Option<&str>,
    ) -> Result<(Session, Meeting), LogError> {
        let meetings = store.meetings()?;
        // One log per panel: the demo never writes to a real panel's log, nor one panel to
        // another's.
        if let Some(other) = meetings.iter().find(|m| m.panel_id != caseload.panel.id) {
            return Err(LogError::WrongPanel {
                path: store.path().to_owned(),
                log_panel: other.panel_id.clone(),
                panel: caseload.panel.id.clone(),
            });
        }
        let key = MeetingKey {
            panel: caseload.panel.id.clone(),
            date: caseload.panel.meeting_date.to_string(),
        };
        // Every row is this panel's (checked above): the meeting is the one on its date.
        let row = meetings
            .iter()
            .find(|m| m.meeting_date == key.date)
            .map(|m| m.id);
        // The meeting reads its cases' stories and the academic year's placements from every
        // meeting, and its attendance and caseload revisions from its own entries.
        let entries = store.history_of(&caseload, only_case, row, i64::MAX)?;
        let here = row.map_or(Here::NotYet, Here::Meeting);
        let file_sha256 = sha256_hex(caseload_text.as_bytes());
        let last = entries
            .iter()
            .rev()
            .filter(|e| Some(e.meeting_id) == row)
            .find_map(|e| match &e.event {
                Event::CaseloadOpened { sha256, .. } => Some(sha256.as_str()),
                _ => None,
            });
        let pending = (last != Some(file_sha256.as_str())).then(|| PendingRevision {
            caseload: caseload.clone(),
            file_sha256,
        });
        let dates = meetings
            .iter()
            .filter_map(|m| Some((m.id, Date::parse(&m.meeting_date)?)))
            .collect();
        let meeting = Meeting::resume(caseload, here, entries).with_meeting_dates(dates);
        Ok((
            Session {
                store,
                key,
                pending,
            },
            meeting,
        ))
    }

    /// The store back, for the next meeting to open on.
    pub fn into_store(self) -> Store {
        self.store
    }

    /// The log's path as given.
    pub fn path(&self) -> &Path {
        self.store.path()
    }

    /// The meeting's row, once the log holds it.
    pub fn meeting_row(&self) -> Result<Option<MeetingRow>, LogError> {
        self.store.find_meeting(&self.key)
    }

    /// A second, read-only connection to this session's log (no lock: works while this session
    /// holds the writer), for the minutes, which are built from what the log holds.
    pub fn reader(&self) -> Result<Store, LogError> {
        Store::open_reader(self.store.path())
    }
}

impl LogWriter for Session {
    type Error = LogError;

    fn append(&mut self, draft: Draft) -> Result<Vec<Entry>, LogError> {
        let written = self.store.write(Batch {
            meeting: &self.key,
            revision: self.pending.as_ref(),
            draft,
        })?;
        self.pending = None;
        Ok(written)
    }
}
