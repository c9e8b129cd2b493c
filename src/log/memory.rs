//! A log held in memory, hash-chained like the file: for tests of the screen's logic and for
//! benchmarks that measure the domain without a disk. It can be told to fail, to show what the
//! screen does when a write fails.

use crate::domain::event::Entry;
use crate::domain::meeting::{Draft, LogWriter};
use crate::log::chain::{GENESIS, v2_hash};
use crate::log::codec::{self, MeetingKey};

#[derive(Debug, Default)]
pub struct MemoryLog {
    entries: Vec<Entry>,
    /// When set, every append fails with this message and writes nothing.
    fail_with: Option<String>,
}

/// The error a failing [`MemoryLog`] gives.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct MemoryLogError(pub String);

impl MemoryLog {
    pub fn new() -> MemoryLog {
        MemoryLog::default()
    }

    /// From now on every write fails as a full disk would, with `message`.
    pub fn fail_with(&mut self, message: &str) {
        self.fail_with = Some(message.to_owned());
    }

    /// Writes succeed again (the disk has room).
    pub fn recover(&mut self) {
        self.fail_with = None;
    }

    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }
}

impl LogWriter for MemoryLog {
    type Error = MemoryLogError;

    fn append(&mut self, d: Draft) -> Result<Vec<Entry>, MemoryLogError> {
        if let Some(m) = &self.fail_with {
            return Err(MemoryLogError(m.clone()));
        }
        let prev_hash = self
            .entries
            .last()
            .map_or_else(|| GENESIS.to_owned(), |e| e.hash.clone());
        let mut entry = Entry {
            id: self.entries.len() as i64 + 1,
            meeting_id: 1,
            event: d.event,
            supersedes: d.supersedes,
            correction_reason: d.correction_reason,
            recorded_at: d.recorded_at,
            prev_hash: prev_hash.clone(),
            hash: String::new(),
        };
        let key = MeetingKey {
            panel: "memory".into(),
            date: String::new(),
        };
        let enc = codec::encode(&entry, &key, None, None, codec::nonce).map_err(MemoryLogError)?;
        entry.hash = v2_hash(&enc.body_text, &prev_hash);
        self.entries.push(entry.clone());
        Ok(vec![entry])
    }
}
