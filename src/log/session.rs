//! A meeting's place in the log: the store opened for writing and the meeting's row. It writes
//! what `Meeting::record` hands it ([`LogWriter`]); it never judges an entry itself.

use std::path::Path;

use crate::domain::caseload::Caseload;
use crate::domain::event::{Entry, Event};
use crate::domain::meeting::{Draft, LogWriter, Meeting};
use crate::log::chain::sha256_hex;
use crate::log::store::{LogError, Store};

pub struct Session {
    store: Store,
    meeting_id: i64,
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
    /// Starts or resumes the meeting (panel id, meeting date) and replays its entries into the
    /// meeting. A caseload whose bytes differ from the last revision is stored as a new revision
    /// (a late referral); decisions already made stand.
    pub fn open(
        mut store: Store,
        caseload: Caseload,
        caseload_text: &str,
        now: String,
    ) -> Result<(Session, Meeting), LogError> {
        // One log per panel: the demo never writes to a real panel's log, nor one panel to
        // another's.
        if let Some(other) = store
            .find_meeting(None, None)?
            .into_iter()
            .find(|m| m.panel_id != caseload.panel.id)
        {
            return Err(LogError::WrongPanel {
                path: store.path().to_owned(),
                log_panel: other.panel_id,
                panel: caseload.panel.id.clone(),
            });
        }
        let meeting_id =
            store.meeting(&caseload.panel.id, &caseload.panel.meeting_date.to_string())?;
        let mut entries = store.entries(Some(meeting_id))?;
        let sha = sha256_hex(caseload_text.as_bytes());
        let revisions: Vec<(u32, &str)> = entries
            .iter()
            .filter_map(|e| match &e.event {
                Event::CaseloadOpened { revision, sha256 } => Some((*revision, sha256.as_str())),
                _ => None,
            })
            .collect();
        if revisions.last().map(|(_, s)| *s) != Some(sha.as_str()) {
            let revision = revisions.len() as u32 + 1;
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
            entries.push(e);
        }
        let meeting = Meeting::new(caseload, &entries);
        Ok((Session { store, meeting_id }, meeting))
    }

    pub fn path(&self) -> &Path {
        self.store.path()
    }

    pub fn meeting_id(&self) -> i64 {
        self.meeting_id
    }

    /// A second, read-only connection to this session's log (no lock: works while this session
    /// holds the writer), for the minutes, which are built from what the log holds.
    pub fn reader(&self) -> Result<Store, LogError> {
        Store::open_reader(self.store.path())
    }
}

impl LogWriter for Session {
    type Error = LogError;

    fn append(&mut self, d: Draft) -> Result<Entry, LogError> {
        self.store.append(
            self.meeting_id,
            d.event,
            d.supersedes,
            d.correction_reason,
            d.recorded_at,
            None,
        )
    }
}
