//! Forgetting on time (UK GDPR Art 5(1)(e), `docs/log.md` section 9): the personal data of cases
//! closed before a cut-off day is removed from the log, and erased from the file.
//!
//! What a case's personal data is, in format 2: its pupil's part in every caseload revision that
//! listed it (names, date of birth, UPN, home, contacts, notes, evidence) and the personal part
//! of every entry about it (free text, and a case added or amended). Each is a `blob` row named
//! by its hash; removing it sets its bytes to null and keeps the row, so every hash in the chain
//! still checks and `verify` lists the entries whose data went. When a case is closed is the
//! domain's rule (`domain::retention`).
//!
//! Erasure: `secure_delete` overwrites what is deleted, `VACUUM` rebuilds the file without free
//! pages, and a `TRUNCATE` checkpoint empties the write-ahead journal, so the removed bytes are
//! nowhere in the log's files. Backups taken before still hold them.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use rusqlite::TransactionBehavior;
use serde_json::Value;

use crate::domain::dates::Date;
use crate::domain::event::Outcome;
use crate::domain::retention::{self, Standing};
use crate::log::error::{LogError, sql_err};
use crate::log::revision;
use crate::log::store::Store;

/// A case whose personal data a purge removes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueCase {
    pub case_ref: String,
    /// The day it closed, and the outcome that closed it.
    pub closed_on: Date,
    pub outcome: Outcome,
    /// The stored parts still holding its data, by hash.
    pub parts: Vec<String>,
}

/// What a purge with a cut-off day would remove, and what it leaves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PurgePlan {
    pub before: Date,
    /// Cases closed before the cut-off whose data is still stored, by reference.
    pub due: Vec<DueCase>,
    /// Cases closed before the cut-off whose data was removed by an earlier purge.
    pub already: usize,
    /// Open cases with nothing recorded since before the cut-off (never removed: listed so the
    /// panel can record that they were withdrawn), with their last day of activity.
    pub stale: Vec<(String, Date)>,
    /// Every other case: open, or closed on or after the cut-off, or active since.
    pub kept: usize,
}

impl PurgePlan {
    /// The stored parts the purge removes.
    pub fn parts(&self) -> usize {
        self.due.iter().map(|c| c.parts.len()).sum()
    }
}

/// What a purge did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Purged {
    /// Stored parts whose bytes were removed.
    pub parts: usize,
    /// Bytes of the log file before and after.
    pub size_before: u64,
    pub size_after: u64,
}

impl Store {
    /// What `purge --before` would remove: every case the log knows, judged by
    /// `domain::retention`, and the stored parts of those due.
    pub fn purge_plan(&self, before: Date) -> Result<PurgePlan, LogError> {
        let path = self.path().to_owned();
        let Some(conn) = self.conn() else {
            return Err(LogError::NotFound { path });
        };
        let sql = |e| sql_err(&path, e);
        let meetings: HashMap<i64, Date> = self
            .meetings()?
            .into_iter()
            .filter_map(|m| Some((m.id, Date::parse(&m.meeting_date)?)))
            .collect();
        let entries = self.all_entries()?;
        // Each caseload revision's skeleton: which cases it listed, and each one's part.
        let mut listed = Vec::new();
        let mut parts: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        {
            let mut stmt = conn
                .prepare(
                    "SELECT e.id, e.meeting_id, b.bytes FROM entry e
                       JOIN blob b ON b.sha256 = json_extract(e.body, '$.caseload')
                      WHERE e.kind = 'caseload_opened' ORDER BY e.id",
                )
                .map_err(sql)?;
            let mut rows = stmt.query([]).map_err(sql)?;
            while let Some(r) = rows.next().map_err(sql)? {
                let id: i64 = r.get(0).map_err(sql)?;
                let meeting: i64 = r.get(1).map_err(sql)?;
                let bytes: Option<Vec<u8>> = r.get(2).map_err(sql)?;
                let skeleton: Value = bytes
                    .and_then(|b| serde_json::from_slice(&b).ok())
                    .ok_or_else(|| LogError::Damaged {
                        path: path.clone(),
                        why: format!("the caseload stored with entry {id} cannot be read"),
                    })?;
                let day = meetings.get(&meeting).copied();
                for (case, sha) in revision::part_hashes(&skeleton) {
                    if let Some(day) = day {
                        listed.push((case.clone(), day));
                    }
                    parts.entry(case).or_default().insert(sha);
                }
            }
        }
        // Every entry's personal part, by case.
        {
            let mut stmt = conn
                .prepare(
                    "SELECT case_ref, personal_sha256 FROM entry
                      WHERE case_ref IS NOT NULL AND personal_sha256 IS NOT NULL",
                )
                .map_err(sql)?;
            let rows = stmt
                .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))
                .map_err(sql)?;
            for row in rows {
                let (case, sha) = row.map_err(sql)?;
                parts.entry(case).or_default().insert(sha);
            }
        }
        let removed: BTreeSet<String> = {
            let mut stmt = conn
                .prepare("SELECT sha256 FROM blob WHERE bytes IS NULL")
                .map_err(sql)?;
            stmt.query_map([], |r| r.get(0))
                .map_err(sql)?
                .collect::<Result<_, _>>()
                .map_err(sql)?
        };
        let cases = retention::assess(&entries, |id| meetings.get(&id).copied(), listed);
        let mut plan = PurgePlan {
            before,
            due: Vec::new(),
            already: 0,
            stale: Vec::new(),
            kept: 0,
        };
        for r in &cases {
            let case_ref = &r.case_ref;
            if r.due(before) {
                let Standing::Closed { on, outcome, .. } = r.standing else {
                    continue;
                };
                let left: Vec<String> = parts
                    .get(case_ref)
                    .into_iter()
                    .flatten()
                    .filter(|sha| !removed.contains(*sha))
                    .cloned()
                    .collect();
                if left.is_empty() {
                    plan.already += 1;
                } else {
                    plan.due.push(DueCase {
                        case_ref: case_ref.clone(),
                        closed_on: on,
                        outcome,
                        parts: left,
                    });
                }
            } else if r.stale(before) {
                plan.stale.push((case_ref.clone(), r.last_activity));
            } else {
                plan.kept += 1;
            }
        }
        Ok(plan)
    }

    /// Removes the personal data `plan` lists and erases it from the log's files: one IMMEDIATE
    /// transaction with `secure_delete` on, then `VACUUM` and a `TRUNCATE` checkpoint. Only a
    /// writer (which holds the lock) may purge.
    pub fn purge(&mut self, plan: &PurgePlan) -> Result<Purged, LogError> {
        let path = self.path().to_owned();
        if !self.is_writer() {
            return Err(LogError::Internal {
                path,
                source: rusqlite::Error::InvalidQuery,
            });
        }
        let file = self.file().to_owned();
        let size = |p: &std::path::Path| std::fs::metadata(p).map_or(0, |m| m.len());
        let size_before = size(&file);
        let Some(conn) = self.conn_mut() else {
            return Err(LogError::NotFound { path });
        };
        let sql = |e| sql_err(&path, e);
        conn.pragma_update(None, "secure_delete", "ON")
            .map_err(sql)?;
        // VACUUM's working copy stays in memory: never a temporary file holding the log.
        conn.pragma_update(None, "temp_store", "MEMORY")
            .map_err(sql)?;
        let mut n = 0;
        {
            let tx = conn
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(sql)?;
            {
                let mut stmt = tx
                    .prepare("UPDATE blob SET bytes = NULL WHERE sha256 = ?1 AND bytes IS NOT NULL")
                    .map_err(sql)?;
                for c in &plan.due {
                    for sha in &c.parts {
                        n += stmt.execute([sha]).map_err(sql)?;
                    }
                }
            }
            tx.commit().map_err(sql)?;
        }
        erase(conn, &path)?;
        Ok(Purged {
            parts: n,
            size_before,
            size_after: size(&file),
        })
    }
}

/// Rebuilds the file without the deleted bytes and empties the journal. A reader holding the log
/// open can keep the journal from being emptied: then it is an error, and purge can be run again.
fn erase(conn: &rusqlite::Connection, path: &std::path::Path) -> Result<(), LogError> {
    let sql = |e| sql_err(path, e);
    checkpoint(conn, path)?;
    conn.execute_batch("VACUUM").map_err(sql)?;
    checkpoint(conn, path)
}

fn checkpoint(conn: &rusqlite::Connection, path: &std::path::Path) -> Result<(), LogError> {
    let (busy, _, _): (i64, i64, i64) = conn
        .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .map_err(|e| sql_err(path, e))?;
    if busy != 0 {
        return Err(LogError::Environment {
            path: path.to_owned(),
            what: "erase the removed data from the log's journal",
            source: std::io::Error::new(
                std::io::ErrorKind::ResourceBusy,
                "another fairpanel is reading the log (the minutes, verify or a backup); the data is removed from the log but may remain in its journal file until that finishes: run purge again then",
            ),
        });
    }
    Ok(())
}
