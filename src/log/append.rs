//! Appending to the log: the primitives one write is made of (the meeting's row, stored parts,
//! a caseload revision, an entry in the chain, the head), shared by the writer (`store`) and the
//! format-1 upgrade, and the batch a session writes in one transaction.

use std::collections::HashMap;
use std::path::Path;

use rusqlite::{Connection, OptionalExtension, params};

use crate::domain::caseload::Caseload;
use crate::domain::event::{Entry, Event};
use crate::domain::meeting::Draft;
use crate::log::chain::{GENESIS, v2_hash};
use crate::log::codec::{self, Body, MeetingKey};
use crate::log::error::{LogError, sql_err};
use crate::log::revision;
use serde_json::Value;

/// A caseload revision waiting for the first entry of a session to be written with it.
#[derive(Debug, Clone, PartialEq)]
pub struct PendingRevision {
    pub caseload: Caseload,
    pub file_sha256: String,
}

/// What one write puts in the log, in one transaction: the meeting's row if it has none yet, a
/// caseload revision if one is pending, then the entry.
#[derive(Debug)]
pub struct Batch<'a> {
    pub meeting: &'a MeetingKey,
    pub revision: Option<&'a PendingRevision>,
    pub draft: Draft,
}

/// The meeting's row id, made if it has none.
fn meeting_id(tx: &Connection, path: &Path, key: &MeetingKey) -> Result<i64, LogError> {
    let found: Option<i64> = tx
        .query_row(
            "SELECT id FROM meeting WHERE panel_id = ?1 AND meeting_date = ?2",
            params![key.panel, key.date],
            |r| r.get(0),
        )
        .optional()
        .map_err(|e| sql_err(path, e))?;
    if let Some(id) = found {
        return Ok(id);
    }
    tx.execute(
        "INSERT INTO meeting (panel_id, meeting_date) VALUES (?1, ?2)",
        params![key.panel, key.date],
    )
    .map_err(|e| sql_err(path, e))?;
    Ok(tx.last_insert_rowid())
}

/// The number of caseload revisions of a meeting, and the personal parts of its latest, for the
/// next revision to reuse.
pub(super) fn previous_parts(
    tx: &Connection,
    path: &Path,
    meeting: i64,
) -> Result<(u32, revision::Parts), LogError> {
    let mut stmt = tx
        .prepare_cached(
            "SELECT body FROM entry WHERE meeting_id = ?1 AND kind = 'caseload_opened' ORDER BY id",
        )
        .map_err(|e| sql_err(path, e))?;
    let bodies: Vec<String> = stmt
        .query_map([meeting], |r| r.get(0))
        .map_err(|e| sql_err(path, e))?
        .collect::<Result<_, _>>()
        .map_err(|e| sql_err(path, e))?;
    let revisions = bodies.len() as u32;
    let Some(last) = bodies.last() else {
        return Ok((0, HashMap::new()));
    };
    let blob = |sha: &str| -> Option<Vec<u8>> {
        tx.query_row("SELECT bytes FROM blob WHERE sha256 = ?1", [sha], |r| {
            r.get::<_, Option<Vec<u8>>>(0)
        })
        .ok()
        .flatten()
    };
    let skeleton = serde_json::from_str::<Body>(last)
        .ok()
        .and_then(|b| b.caseload)
        .and_then(|sha| blob(&sha))
        .and_then(|b| serde_json::from_slice::<Value>(&b).ok());
    Ok((
        revisions,
        skeleton.map_or_else(HashMap::new, |s| revision::previous_parts(&s, blob)),
    ))
}

fn put_blob(tx: &Connection, path: &Path, sha: &str, bytes: &[u8]) -> Result<(), LogError> {
    tx.prepare_cached("INSERT OR IGNORE INTO blob (sha256, bytes) VALUES (?1, ?2)")
        .and_then(|mut s| s.execute(params![sha, bytes]))
        .map_err(|e| sql_err(path, e))?;
    Ok(())
}

/// Appends one entry (already given its id, meeting and time) with its body and personal part,
/// after `prev_hash`; returns it with its hashes.
pub(super) fn insert_entry(
    tx: &Connection,
    path: &Path,
    mut entry: Entry,
    key: &MeetingKey,
    caseload: Option<String>,
    v1: Option<String>,
    prev_hash: &str,
) -> Result<Entry, LogError> {
    let enc = codec::encode(&entry, key, caseload, v1, codec::nonce).map_err(|why| {
        LogError::Internal {
            path: path.to_owned(),
            source: rusqlite::Error::ToSqlConversionFailure(why.into()),
        }
    })?;
    if let Some((sha, bytes)) = &enc.personal {
        put_blob(tx, path, sha, bytes)?;
    }
    entry.prev_hash = prev_hash.to_owned();
    entry.hash = v2_hash(&enc.body_text, prev_hash);
    tx.prepare_cached(
        "INSERT INTO entry (id, meeting_id, kind, case_ref, day, body, personal_sha256, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )
    .and_then(|mut s| {
        s.execute(params![
            entry.id,
            entry.meeting_id,
            enc.body.kind,
            enc.body.case,
            enc.body.day,
            enc.body_text,
            enc.body.personal,
            entry.prev_hash,
            entry.hash
        ])
    })
    .map_err(|e| sql_err(path, e))?;
    Ok(entry)
}

/// Stores a caseload revision's skeleton and the personal parts that changed; returns the
/// skeleton's hash.
pub(super) fn put_caseload(
    tx: &Connection,
    path: &Path,
    c: &Caseload,
    previous: &revision::Parts,
) -> Result<String, LogError> {
    let split = revision::split(c, previous, || codec::nonce().map_err(|e| e.to_string()))
        .map_err(|why| LogError::Internal {
            path: path.to_owned(),
            source: rusqlite::Error::ToSqlConversionFailure(why.into()),
        })?;
    put_blob(tx, path, &split.skeleton_sha, split.skeleton.as_bytes())?;
    for (sha, bytes) in &split.parts {
        put_blob(tx, path, sha, bytes)?;
    }
    Ok(split.skeleton_sha)
}

pub(super) fn set_head(
    tx: &Connection,
    path: &Path,
    entries: i64,
    head: &str,
) -> Result<(), LogError> {
    tx.prepare_cached("UPDATE log_meta SET value = ?2 WHERE key = ?1")
        .and_then(|mut s| {
            s.execute(params!["entries", entries.to_string()])?;
            s.execute(params!["head", head])
        })
        .map_err(|e| sql_err(path, e))?;
    Ok(())
}

pub(super) fn write_batch(
    tx: &Connection,
    path: &Path,
    batch: Batch<'_>,
) -> Result<Vec<Entry>, LogError> {
    let meeting = meeting_id(tx, path, batch.meeting)?;
    let (mut last_id, mut prev): (i64, String) = tx
        .query_row(
            "SELECT id, hash FROM entry ORDER BY id DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()
        .map_err(|e| sql_err(path, e))?
        .unwrap_or((0, GENESIS.to_owned()));
    let mut written = Vec::new();
    let draft = batch.draft;
    if let Some(rev) = batch.revision {
        let (revisions, previous) = previous_parts(tx, path, meeting)?;
        let skeleton = put_caseload(tx, path, &rev.caseload, &previous)?;
        last_id += 1;
        let e = Entry {
            id: last_id,
            meeting_id: meeting,
            event: Event::CaseloadOpened {
                revision: revisions + 1,
                sha256: rev.file_sha256.clone(),
            },
            supersedes: None,
            correction_reason: None,
            recorded_at: draft.recorded_at.clone(),
            prev_hash: String::new(),
            hash: String::new(),
        };
        let e = insert_entry(tx, path, e, batch.meeting, Some(skeleton), None, &prev)?;
        prev = e.hash.clone();
        written.push(e);
    }
    last_id += 1;
    let e = Entry {
        id: last_id,
        meeting_id: meeting,
        event: draft.event,
        supersedes: draft.supersedes,
        correction_reason: draft.correction_reason,
        recorded_at: draft.recorded_at,
        prev_hash: String::new(),
        hash: String::new(),
    };
    let e = insert_entry(tx, path, e, batch.meeting, None, None, &prev)?;
    set_head(tx, path, last_id, &e.hash)?;
    written.push(e);
    Ok(written)
}
