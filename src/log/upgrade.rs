//! Format 1 → format 2. A writer opening a format-1 log verifies its whole chain and every stored
//! caseload against its hash, then rewrites it in format 2 in one transaction: the meetings keep
//! their ids, every entry its id, time and content, and its format-1 hash (`v1_hash` in its new,
//! hashed body), so the old chain can still be checked entry by entry (`V1Check`, run by
//! `verify`) while the entries' free text is kept. Readers run the same upgrade on a copy in
//! memory and never write.

use std::collections::HashMap;
use std::path::Path;

use rusqlite::{Connection, params};

use crate::domain::caseload::Caseload;
use crate::domain::event::{Entry, Event};
use crate::log::append::{insert_entry, previous_parts, put_caseload, set_head};
use crate::log::chain::{GENESIS, sha256_hex, v1_hash};
use crate::log::codec::{self, Body, MeetingKey};
use crate::log::error::{LogError, sql_err};
use crate::log::schema::V2;

/// Format 1's tables, dropped in the upgrade's transaction (children first).
pub const DROP_V1: &str = "DROP TABLE entry; DROP TABLE caseload_revision; DROP TABLE meeting;";

/// A format-1 log, read whole and verified.
pub struct V1Log {
    meetings: Vec<(i64, String, String)>,
    entries: Vec<Entry>,
    /// Caseload text by (meeting, revision).
    caseloads: HashMap<(i64, u32), String>,
}

fn damaged(path: &Path, why: String) -> LogError {
    LogError::Damaged {
        path: path.to_owned(),
        why,
    }
}

/// Reads and verifies a format-1 log (its chain, and each stored caseload against its hash).
pub fn read_v1(conn: &Connection, path: &Path) -> Result<V1Log, LogError> {
    let e = |x| sql_err(path, x);
    let meetings = conn
        .prepare("SELECT id, panel_id, meeting_date FROM meeting ORDER BY id")
        .map_err(e)?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .map_err(e)?
        .collect::<Result<Vec<(i64, String, String)>, _>>()
        .map_err(e)?;
    let mut entries = Vec::new();
    {
        let mut stmt = conn
            .prepare(
                "SELECT id, meeting_id, event_json, supersedes, correction_reason, recorded_at, prev_hash, hash
                 FROM entry ORDER BY id",
            )
            .map_err(e)?;
        let mut rows = stmt.query([]).map_err(e)?;
        let mut prev = GENESIS.to_owned();
        while let Some(r) = rows.next().map_err(e)? {
            let id: i64 = r.get(0).map_err(e)?;
            // Text or blob: a hand-edited log may hold either.
            let text: Vec<u8> = r
                .get_ref(2)
                .map_err(e)?
                .as_bytes()
                .map_err(|x| e(x.into()))?
                .to_vec();
            let event: Event = std::str::from_utf8(&text)
                .ok()
                .and_then(|t| serde_json::from_str(t).ok())
                .ok_or_else(|| damaged(path, format!("entry {id} cannot be read (format 1)")))?;
            let entry = Entry {
                id,
                meeting_id: r.get(1).map_err(e)?,
                event,
                supersedes: r.get(3).map_err(e)?,
                correction_reason: r.get(4).map_err(e)?,
                recorded_at: r.get(5).map_err(e)?,
                prev_hash: r.get(6).map_err(e)?,
                hash: r.get(7).map_err(e)?,
            };
            let n = entries.len() as i64 + 1;
            let why = if entry.id != n {
                Some("an entry is missing before it")
            } else if entry.prev_hash != prev {
                Some("it does not follow the entry before it")
            } else if v1_hash(&entry, &prev) != entry.hash {
                Some("its content does not match its hash")
            } else {
                None
            };
            if let Some(why) = why {
                return Err(damaged(
                    path,
                    format!("the hash chain is broken at entry {id}: {why}"),
                ));
            }
            prev = entry.hash.clone();
            entries.push(entry);
        }
    }
    let mut caseloads = HashMap::new();
    for e_ in &entries {
        if let Event::CaseloadOpened { revision, sha256 } = &e_.event {
            let stored: Option<(String, Vec<u8>)> = conn
                .query_row(
                    "SELECT sha256, caseload_json FROM caseload_revision WHERE meeting_id = ?1 AND revision = ?2",
                    params![e_.meeting_id, revision],
                    |r| Ok((r.get(0)?, r.get_ref(1)?.as_bytes()?.to_vec())),
                )
                .ok();
            let Some((sha, bytes)) = stored else {
                return Err(damaged(
                    path,
                    format!("the caseload stored with entry {} is missing", e_.id),
                ));
            };
            if sha != *sha256 || sha256_hex(&bytes) != *sha256 {
                return Err(damaged(
                    path,
                    format!(
                        "the caseload stored with entry {} (revision {revision}) does not match its hash",
                        e_.id
                    ),
                ));
            }
            let text = String::from_utf8(bytes).map_err(|_| {
                damaged(
                    path,
                    format!("the caseload stored with entry {} is not UTF-8 text", e_.id),
                )
            })?;
            caseloads.insert((e_.meeting_id, *revision), text);
        }
    }
    Ok(V1Log {
        meetings,
        entries,
        caseloads,
    })
}

/// Writes a verified format-1 log into `conn` (empty, or with format 1's tables dropped) as
/// format 2, in the caller's transaction.
pub fn write_v2(conn: &Connection, path: &Path, old: V1Log) -> Result<(), LogError> {
    let e = |x| sql_err(path, x);
    conn.execute_batch(V2).map_err(e)?;
    conn.pragma_update(None, "application_id", crate::log::schema::APPLICATION_ID)
        .map_err(e)?;
    conn.pragma_update(None, "user_version", crate::log::schema::FORMAT)
        .map_err(e)?;
    conn.execute(
        "INSERT INTO log_meta (key, value) VALUES ('entries', '0'), ('head', ?1)",
        [GENESIS],
    )
    .map_err(e)?;
    let mut keys = HashMap::new();
    for (id, panel, date) in &old.meetings {
        conn.execute(
            "INSERT INTO meeting (id, panel_id, meeting_date) VALUES (?1, ?2, ?3)",
            params![id, panel, date],
        )
        .map_err(e)?;
        keys.insert(
            *id,
            MeetingKey {
                panel: panel.clone(),
                date: date.clone(),
            },
        );
    }
    let mut prev = GENESIS.to_owned();
    let mut last = 0;
    for entry in old.entries {
        let key = keys
            .get(&entry.meeting_id)
            .cloned()
            .ok_or_else(|| damaged(path, format!("entry {} names no meeting", entry.id)))?;
        let mut skeleton = None;
        if let Event::CaseloadOpened { revision, .. } = &entry.event {
            let text = old
                .caseloads
                .get(&(entry.meeting_id, *revision))
                .ok_or_else(|| {
                    damaged(
                        path,
                        format!("the caseload of entry {} is missing", entry.id),
                    )
                })?;
            // Typed only, not re-checked: it was valid for the fairpanel that stored it.
            let c: Caseload =
                serde_json::from_str(text.trim_start_matches('\u{feff}')).map_err(|_| {
                    damaged(
                        path,
                        format!(
                            "the caseload stored with entry {} cannot be read by this fairpanel",
                            entry.id
                        ),
                    )
                })?;
            let (_, before) = previous_parts(conn, path, entry.meeting_id)?;
            let sha = put_caseload(conn, path, &c, &before)?;
            skeleton = Some(sha);
        }
        let v1 = Some(entry.hash.clone());
        last = entry.id;
        let written = insert_entry(conn, path, entry, &key, skeleton, v1, &prev)?;
        prev = written.hash;
    }
    set_head(conn, path, last, &prev)
}

/// Checks, entry by entry, the format-1 hashes that upgraded entries carry: each must be the
/// format-1 hash of the entry as it now reads, following the one before.
#[derive(Default)]
pub struct V1Check {
    prev: Option<String>,
    pub checked: usize,
}

impl V1Check {
    pub fn check(
        &mut self,
        conn: &Connection,
        path: &Path,
        body: &Body,
        meeting_id: i64,
    ) -> Result<(), LogError> {
        let Some(claimed) = &body.v1_hash else {
            return Ok(());
        };
        let prev = self.prev.clone().unwrap_or_else(|| GENESIS.to_owned());
        let personal: Option<Vec<u8>> = match &body.personal {
            Some(sha) => conn
                .query_row("SELECT bytes FROM blob WHERE sha256 = ?1", [sha], |r| {
                    r.get::<_, Option<Vec<u8>>>(0)
                })
                .ok()
                .flatten(),
            None => None,
        };
        let removed = body.personal.is_some() && personal.is_none();
        if !removed {
            let (event, correction_reason, _) = codec::decode(body, personal.as_deref())
                .map_err(|w| damaged(path, format!("entry {} cannot be read: {w}", body.id)))?;
            let e = Entry {
                id: body.id,
                meeting_id,
                event,
                supersedes: body.supersedes,
                correction_reason,
                recorded_at: body.recorded_at.clone(),
                prev_hash: prev.clone(),
                hash: String::new(),
            };
            if v1_hash(&e, &prev) != *claimed {
                return Err(damaged(
                    path,
                    format!(
                        "entry {} does not match the format-1 hash it was upgraded with",
                        body.id
                    ),
                ));
            }
            self.checked += 1;
        }
        self.prev = Some(claimed.clone());
        Ok(())
    }
}
