//! The decision log on disk: one SQLite file per panel, format 2 (`docs/log.md`). This is the
//! only module that speaks SQL.
//!
//! WAL with `synchronous=FULL` (a commit is fsynced before a write returns), foreign keys on,
//! `application_id` marking the file as a fairpanel log. Triggers refuse UPDATE and DELETE: the
//! log is append-only. A writer holds the lock of `lock.rs`, is made whole (a temporary file,
//! then a no-clobber rename) only when its first entry is written, and checks the chain's head
//! before it writes anything. Readers never write: they open read-only (immutable when the folder
//! cannot be written and no journal is pending), and read a format-1 log through an upgraded
//! copy in memory.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags, OptionalExtension, TransactionBehavior, params};
use serde::Deserialize as _;
use serde_json::Value;

use crate::domain::caseload::{Case, Caseload};
use crate::domain::dates::Date;
use crate::domain::event::{Entry, Event};
use crate::log::append::write_batch;
pub use crate::log::append::{Batch, PendingRevision};
use crate::log::chain::{GENESIS, sha256_hex, v2_hash};
use crate::log::codec::{self, Body, MeetingKey};
pub use crate::log::error::LogError;
use crate::log::error::sql_err;
use crate::log::lock::{WriterLock, canonical};
use crate::log::revision::{self, JoinError};
use crate::log::schema::{
    APPLICATION_ID, FORMAT, PLACEMENTS_INDEX, PLACEMENTS_INDEX_NAME, PLACEMENTS_WHERE, V2,
};
use crate::log::upgrade;

pub use crate::log::lock::create_private_dir;

/// A meeting row: (panel id, meeting date) names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeetingRow {
    pub id: i64,
    pub panel_id: String,
    pub meeting_date: String,
}

/// What [`Store::history`] reads for one meeting.
#[derive(Debug, Clone, Copy)]
pub struct HistoryQuery<'a> {
    /// The meeting's row, if the log holds it yet.
    pub meeting_id: Option<i64>,
    /// The references of the meeting's cases.
    pub cases: &'a [String],
    /// The first day of the meeting's academic year (YYYY-MM-DD).
    pub year_from: &'a str,
    /// The last day read: the meeting's date (later meetings' entries are not its history).
    pub upto: &'a str,
    /// The last entry id read (a writer may be appending).
    pub last: i64,
}

/// The columns `decode_rows` reads, of an entry (`e`) and its personal part (`b`).
const SELECT_ENTRIES: &str = "SELECT e.id, e.meeting_id, e.body, b.bytes, e.prev_hash, e.hash \
     FROM entry e LEFT JOIN blob b ON b.sha256 = e.personal_sha256";

/// What `verify` found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    pub entries: usize,
    pub head: String,
    /// Entries carried over from format 1 whose format-1 hash was checked too.
    pub v1_checked: usize,
    /// Stored parts (personal data) removed when their time was up.
    pub removed: usize,
    /// The entries whose personal data has been removed (`purge`): an entry whose free text or
    /// added case was removed, and a caseload revision that lost a case's pupil data. In id order.
    pub purged: Vec<i64>,
    /// Where the head asked for (`verify --expect`) is in the chain: the id of the entry with
    /// that hash, if any.
    pub expected_at: Option<i64>,
}

/// The log's head as it records it of itself: what the minutes print to tie themselves to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogHead {
    /// How many entries the log holds (the last entry's id).
    pub entries: i64,
    /// The last entry's hash (64 zeros for a log with no entry).
    pub hash: String,
}

/// A caseload revision as the log holds it.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredCaseload {
    pub revision: u32,
    /// SHA-256 of the caseload file's bytes when it was opened.
    pub file_sha256: String,
    pub caseload: Caseload,
}

/// What the first bytes of a file say it is.
enum Kind {
    Empty,
    NotSqlite,
    Sqlite,
}

fn kind_of(path: &Path) -> Result<Kind, LogError> {
    use std::io::Read;
    let mut f = std::fs::File::open(path).map_err(|e| LogError::Environment {
        path: path.to_owned(),
        what: "read the log",
        source: e,
    })?;
    let mut head = [0u8; 16];
    let mut got = 0;
    while got < head.len() {
        match f.read(&mut head[got..]) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(e) => {
                return Err(LogError::Environment {
                    path: path.to_owned(),
                    what: "read the log",
                    source: e,
                });
            }
        }
    }
    Ok(match got {
        0 => Kind::Empty,
        16 if &head == b"SQLite format 3\0" => Kind::Sqlite,
        _ => Kind::NotSqlite,
    })
}

pub struct Store {
    /// The path as given, for messages.
    shown: PathBuf,
    /// The file itself (symbolic links resolved, for a writer).
    file: PathBuf,
    /// `None` until a writer writes its first entry into a log that did not exist.
    conn: Option<Connection>,
    lock: Option<WriterLock>,
    /// Close without copying the journal into the file ([`Store::leave_journal_on_close`]).
    leave_journal: bool,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("path", &self.shown).finish()
    }
}

fn configure(conn: &Connection, path: &Path) -> Result<(), LogError> {
    let mode: String = conn
        .query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0))
        .map_err(|e| sql_err(path, e))?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(LogError::Environment {
            path: path.to_owned(),
            what: "switch the log to WAL mode",
            source: std::io::Error::other(format!("the journal mode stayed {mode}")),
        });
    }
    conn.pragma_update(None, "synchronous", "FULL")
        .map_err(|e| sql_err(path, e))?;
    conn.pragma_update(None, "foreign_keys", "ON")
        .map_err(|e| sql_err(path, e))?;
    Ok(())
}

fn no_checkpoint_on_close(conn: &Connection, path: &Path) -> Result<(), LogError> {
    conn.set_db_config(
        rusqlite::config::DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE,
        true,
    )
    .map(|_| ())
    .map_err(|e| sql_err(path, e))
}

fn pragma_i64(conn: &Connection, path: &Path, name: &str) -> Result<i64, LogError> {
    conn.query_row(&format!("PRAGMA {name}"), [], |r| r.get(0))
        .map_err(|e| sql_err(path, e))
}

/// Which format a SQLite file is in: `Some(2)` for this format, `Some(1)` for the format before,
/// `None` for a file that is not a fairpanel log.
fn format_of(conn: &Connection, path: &Path) -> Result<Option<u32>, LogError> {
    let app = pragma_i64(conn, path, "application_id")?;
    let version = pragma_i64(conn, path, "user_version")?;
    let version = u32::try_from(version).unwrap_or(u32::MAX);
    if app == i64::from(APPLICATION_ID) {
        if version > FORMAT {
            return Err(LogError::Newer {
                path: path.to_owned(),
                found: version,
                known: FORMAT,
            });
        }
        return Ok(Some(version));
    }
    if app != 0 {
        return Ok(None);
    }
    // Format 1 had no application id: it is known by its tables.
    let tables: i64 = conn
        .query_row(
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name IN ('entry', 'meeting', 'caseload_revision')",
            [],
            |r| r.get(0),
        )
        .map_err(|e| sql_err(path, e))?;
    match (tables, version) {
        (3, 1) => Ok(Some(1)),
        (3, v) if v > FORMAT => Err(LogError::Newer {
            path: path.to_owned(),
            found: v,
            known: FORMAT,
        }),
        _ => Ok(None),
    }
}

impl Store {
    /// Opens the log for writing, taking the writer lock. A log that does not exist yet is not
    /// made until its first entry is written. A format-1 log is verified and upgraded in one
    /// transaction; any log is checked at its head before anything is written to it.
    pub fn open_writer(path: &Path) -> Result<Store, LogError> {
        let file = canonical(path)?;
        let lock = WriterLock::take(&file)?;
        let mut store = Store {
            shown: path.to_owned(),
            file: file.clone(),
            conn: None,
            lock: Some(lock),
            leave_journal: false,
        };
        remove_leftovers(&file);
        if !file.exists() {
            return Ok(store);
        }
        match kind_of(&file)? {
            Kind::Empty => {
                return Err(store.damaged(
                    "the log is empty: it has been emptied or cut short (a log is never empty)",
                ));
            }
            Kind::NotSqlite => return Err(store.not_a_log()),
            Kind::Sqlite => {}
        }
        let mut conn = Connection::open(&file).map_err(|e| store.sql(e))?;
        match format_of(&conn, path)? {
            None => return Err(store.not_a_log()),
            Some(1) => {
                configure(&conn, path)?;
                let old = upgrade::read_v1(&conn, path)?;
                let tx = conn
                    .transaction_with_behavior(TransactionBehavior::Immediate)
                    .map_err(|e| store.sql(e))?;
                tx.execute_batch(upgrade::DROP_V1)
                    .map_err(|e| sql_err(path, e))?;
                upgrade::write_v2(&tx, path, old)?;
                tx.commit().map_err(|e| sql_err(path, e))?;
            }
            Some(_) => {
                configure(&conn, path)?;
                conn.execute_batch(PLACEMENTS_INDEX)
                    .map_err(|e| sql_err(path, e))?;
            }
        }
        check_head(&conn, path)?;
        store.conn = Some(conn);
        Ok(store)
    }

    /// Opens an existing log read-only, without the lock: works while a writer is open, and on a
    /// log in a folder it cannot write to.
    pub fn open_reader(path: &Path) -> Result<Store, LogError> {
        if !path.exists() {
            return Err(LogError::NotFound {
                path: path.to_owned(),
            });
        }
        let store = Store {
            shown: path.to_owned(),
            file: path.to_owned(),
            conn: None,
            lock: None,
            leave_journal: false,
        };
        match kind_of(path)? {
            Kind::Empty => {
                return Err(store.damaged(
                    "the log is empty: it has been emptied or cut short (a log is never empty)",
                ));
            }
            Kind::NotSqlite => return Err(store.not_a_log()),
            Kind::Sqlite => {}
        }
        let conn = open_read_only(path)?;
        let conn = match format_of(&conn, path)? {
            None => return Err(store.not_a_log()),
            Some(1) => {
                // Readers never write: the upgrade runs on a copy in memory.
                let old = upgrade::read_v1(&conn, path)?;
                let mem = Connection::open_in_memory().map_err(|e| sql_err(path, e))?;
                upgrade::write_v2(&mem, path, old)?;
                mem
            }
            Some(_) => conn,
        };
        Ok(Store {
            conn: Some(conn),
            ..store
        })
    }

    /// For a writer that writes one decision and ends (`fairpanel record`): closing leaves the
    /// write-ahead journal (`FILE-wal`) for the next connection instead of copying it into the
    /// file and deleting it, which costs three more syncs and a file deletion after the decision
    /// is already durable (its commit was synced). SQLite still copies the journal into the file
    /// whenever it passes 1000 pages (`wal_autocheckpoint`), the next writer or reader reads it,
    /// and a writer that closes normally (the screen) empties it (`docs/log.md` section 5).
    pub fn leave_journal_on_close(&mut self) -> Result<(), LogError> {
        self.leave_journal = true;
        match &self.conn {
            Some(c) => no_checkpoint_on_close(c, &self.shown),
            None => Ok(()),
        }
    }

    /// The path as it was given.
    pub fn path(&self) -> &Path {
        &self.shown
    }

    /// The connection, for the log's own modules (`purge`, `backup`); `None` before a writer's
    /// first entry.
    pub(super) fn conn(&self) -> Option<&Connection> {
        self.conn.as_ref()
    }

    /// The file itself (symbolic links resolved for a writer).
    pub(super) fn file(&self) -> &Path {
        &self.file
    }

    pub(super) fn conn_mut(&mut self) -> Option<&mut Connection> {
        self.conn.as_mut()
    }

    /// Whether the log exists on disk yet (a writer's log is made by its first entry).
    pub fn exists(&self) -> bool {
        self.conn.is_some()
    }

    fn sql(&self, e: rusqlite::Error) -> LogError {
        sql_err(&self.shown, e)
    }

    fn damaged(&self, why: &str) -> LogError {
        LogError::Damaged {
            path: self.shown.clone(),
            why: why.to_owned(),
        }
    }

    fn not_a_log(&self) -> LogError {
        LogError::NotALog {
            path: self.shown.clone(),
        }
    }

    /// Every meeting the log holds, by date.
    pub fn meetings(&self) -> Result<Vec<MeetingRow>, LogError> {
        let Some(conn) = &self.conn else {
            return Ok(Vec::new());
        };
        let mut stmt = conn
            .prepare_cached(
                "SELECT id, panel_id, meeting_date FROM meeting ORDER BY meeting_date, id",
            )
            .map_err(|e| self.sql(e))?;
        let rows = stmt
            .query_map([], |r| {
                Ok(MeetingRow {
                    id: r.get(0)?,
                    panel_id: r.get(1)?,
                    meeting_date: r.get(2)?,
                })
            })
            .map_err(|e| sql_err(&self.shown, e))?;
        rows.collect::<Result<Vec<_>, _>>()
            .map_err(|e| sql_err(&self.shown, e))
    }

    /// The meeting of a panel on a date, if the log has it.
    pub fn find_meeting(&self, key: &MeetingKey) -> Result<Option<MeetingRow>, LogError> {
        Ok(self
            .meetings()?
            .into_iter()
            .find(|m| m.panel_id == key.panel && m.meeting_date == key.date))
    }

    /// Every entry of the log, in id order.
    pub fn all_entries(&self) -> Result<Vec<Entry>, LogError> {
        let Some(conn) = &self.conn else {
            return Ok(Vec::new());
        };
        let mut stmt = conn
            .prepare_cached(&format!("{SELECT_ENTRIES} ORDER BY e.id"))
            .map_err(|e| self.sql(e))?;
        let rows = stmt.query([]).map_err(|e| self.sql(e))?;
        self.decode_rows(rows)
    }

    /// Entries from rows of (id, meeting_id, body, personal bytes, prev_hash, hash).
    fn decode_rows(&self, mut rows: rusqlite::Rows<'_>) -> Result<Vec<Entry>, LogError> {
        let mut out = Vec::new();
        while let Some(r) = rows.next().map_err(|e| sql_err(&self.shown, e))? {
            let id: i64 = r.get(0).map_err(|e| sql_err(&self.shown, e))?;
            let body_text: String = r.get(2).map_err(|e| sql_err(&self.shown, e))?;
            let personal: Option<Vec<u8>> = r.get(3).map_err(|e| sql_err(&self.shown, e))?;
            let entry_damaged = |why: &str| LogError::Damaged {
                path: self.shown.clone(),
                why: format!("entry {id} cannot be read: {why}"),
            };
            let stored = codec::parse_stored(&body_text, personal.as_deref())
                .map_err(|w| entry_damaged(&w))?;
            let (supersedes, recorded_at) = (stored.supersedes, stored.recorded_at.clone());
            let (event, correction_reason, _purged) =
                codec::decode_stored(stored, personal.as_deref()).map_err(|w| entry_damaged(&w))?;
            out.push(Entry {
                id,
                meeting_id: r.get(1).map_err(|e| sql_err(&self.shown, e))?,
                event,
                supersedes,
                correction_reason,
                recorded_at,
                prev_hash: r.get(4).map_err(|e| sql_err(&self.shown, e))?,
                hash: r.get(5).map_err(|e| sql_err(&self.shown, e))?,
            });
        }
        Ok(out)
    }

    /// Every entry, in id order, each checked as it is read: ids 1 to n with no gap, each
    /// following the one before and matching its hash, its free text matching the hash its body
    /// names, and the log's record of its own head naming the last. What `verify` checks of the
    /// entries, in the one pass that reads them (`fairpanel report` and `export` read whole logs
    /// so); the caseloads they read are checked by [`Store::case_history`].
    pub fn entries_checked(&self) -> Result<Vec<Entry>, LogError> {
        let Some(conn) = &self.conn else {
            return Err(LogError::NotFound {
                path: self.shown.clone(),
            });
        };
        let mut stmt = conn
            .prepare_cached(
                "SELECT e.id, e.meeting_id, e.body, b.bytes, e.prev_hash, e.hash, e.personal_sha256 \
                 FROM entry e LEFT JOIN blob b ON b.sha256 = e.personal_sha256 ORDER BY e.id",
            )
            .map_err(|e| self.sql(e))?;
        let mut rows = stmt.query([]).map_err(|e| self.sql(e))?;
        let mut out = Vec::new();
        let mut prev = GENESIS.to_owned();
        while let Some(r) = rows.next().map_err(|e| self.sql(e))? {
            let get = |e| sql_err(&self.shown, e);
            let id: i64 = r.get(0).map_err(get)?;
            let body_text: String = r.get(2).map_err(get)?;
            let personal: Option<Vec<u8>> = r.get(3).map_err(get)?;
            let prev_hash: String = r.get(4).map_err(get)?;
            let hash: String = r.get(5).map_err(get)?;
            let personal_sha: Option<String> = r.get(6).map_err(get)?;
            let broken =
                |why: &str| self.damaged(&format!("the hash chain is broken at entry {id}: {why}"));
            if id != out.len() as i64 + 1 {
                return Err(broken("an entry is missing before it"));
            }
            if prev_hash != prev || v2_hash(&body_text, &prev_hash) != hash {
                return Err(broken("its content does not match its hash"));
            }
            match (&personal_sha, &personal) {
                (Some(sha), Some(b)) if sha256_hex(b) != *sha => {
                    return Err(broken("its free text does not match its hash"));
                }
                (Some(_), None) if !self.part_removed(personal_sha.as_deref())? => {
                    return Err(broken("its free text is missing"));
                }
                _ => {}
            }
            let stored = codec::parse_stored(&body_text, personal.as_deref())
                .map_err(|w| self.damaged(&format!("entry {id} cannot be read: {w}")))?;
            let (supersedes, recorded_at) = (stored.supersedes, stored.recorded_at.clone());
            let (event, correction_reason, _purged) =
                codec::decode_stored(stored, personal.as_deref())
                    .map_err(|w| self.damaged(&format!("entry {id} cannot be read: {w}")))?;
            out.push(Entry {
                id,
                meeting_id: r.get(1).map_err(get)?,
                event,
                supersedes,
                correction_reason,
                recorded_at,
                prev_hash,
                hash: hash.clone(),
            });
            prev = hash;
        }
        drop(rows);
        match meta_head(conn, &self.shown)? {
            Some((n, head)) if n == out.len() as i64 && head == prev => Ok(out),
            _ => Err(self.damaged(
                "its record of its own head does not match its entries: entries have been removed or added outside fairpanel",
            )),
        }
    }

    /// Whether the stored part `sha` is there with its bytes removed (its time was up).
    fn part_removed(&self, sha: Option<&str>) -> Result<bool, LogError> {
        let (Some(conn), Some(sha)) = (&self.conn, sha) else {
            return Ok(false);
        };
        conn.query_row("SELECT 1 FROM blob WHERE sha256 = ?1", [sha], |_| Ok(()))
            .optional()
            .map(|r| r.is_some())
            .map_err(|e| self.sql(e))
    }

    /// A panel's cases as its meetings up to entry `last` left them: the latest caseload
    /// revision of the first meeting in `newest_first` that has one, whole, and each case only
    /// earlier meetings' revisions list, as the newest of them has it (`None`: no meeting has a
    /// revision). Every stored part read is checked against its hash, and an earlier
    /// revision's cases that a newer one lists are never read.
    pub fn case_history(
        &self,
        newest_first: &[i64],
        last: i64,
    ) -> Result<Option<(Caseload, Vec<Case>)>, LogError> {
        let Some(conn) = &self.conn else {
            return Ok(None);
        };
        // Each part read is checked against its hash. Every case is joined once (from the
        // newest revision that lists it), so no part is read twice.
        let bad = std::cell::Cell::new(false);
        let part = |sha: &str| -> Option<Option<Vec<u8>>> {
            let stored = self.stored_part(sha).ok().flatten();
            if stored
                .as_ref()
                .and_then(Option::as_deref)
                .is_some_and(|b| sha256_hex(b) != sha)
            {
                bad.set(true);
            }
            stored
        };
        let mut latest: Option<Caseload> = None;
        let mut earlier: Vec<Case> = Vec::new();
        let mut known: std::collections::HashSet<String> = Default::default();
        for &m in newest_first {
            let row: Option<(i64, String)> = conn
                .prepare_cached(
                    "SELECT id, body FROM entry WHERE meeting_id = ?1 AND kind = 'caseload_opened' AND id <= ?2 ORDER BY id DESC LIMIT 1",
                )
                .and_then(|mut s| s.query_row(params![m, last], |r| Ok((r.get(0)?, r.get(1)?))).optional())
                .map_err(|e| self.sql(e))?;
            let Some((id, text)) = row else {
                continue;
            };
            let damaged = |why: String| {
                self.damaged(&format!(
                    "the caseload stored with entry {id} cannot be read: {why}"
                ))
            };
            let body: Body =
                serde_json::from_str(&text).map_err(|_| damaged("its entry".into()))?;
            let skeleton_sha = body.caseload.ok_or_else(|| damaged("no skeleton".into()))?;
            let skeleton = part(&skeleton_sha)
                .flatten()
                .ok_or_else(|| damaged("its skeleton is missing".into()))?;
            let first = latest.is_none();
            let caseload = revision::join_cases(&skeleton, part, |r| first || !known.contains(r))
                .map_err(|e| match e {
                JoinError::Missing(r) => {
                    damaged(format!("the personal data of case {r} is missing"))
                }
                JoinError::Unreadable(what) => damaged(format!("{what} is unreadable")),
            })?;
            if bad.get() {
                return Err(damaged("a stored part does not match its hash".into()));
            }
            for k in &caseload.cases {
                known.insert(k.reference.clone());
            }
            match latest {
                None => latest = Some(caseload),
                Some(_) => earlier.extend(caseload.cases),
            }
        }
        Ok(latest.map(|c| (c, earlier)))
    }

    /// Every entry about one case, across meetings, in id order (through the index on case).
    pub fn entries_for_case(&self, case_ref: &str) -> Result<Vec<Entry>, LogError> {
        let Some(conn) = &self.conn else {
            return Ok(Vec::new());
        };
        let mut stmt = conn
            .prepare_cached(&format!(
                "{SELECT_ENTRIES} WHERE e.case_ref = ?1 ORDER BY e.id"
            ))
            .map_err(|e| self.sql(e))?;
        let rows = stmt.query([case_ref]).map_err(|e| self.sql(e))?;
        self.decode_rows(rows)
    }

    /// What a meeting needs from the whole log, in id order, up to entry `last`: every entry of
    /// the meeting itself (`meeting_id`, once the log holds it); every entry about one of
    /// `cases` dated up to `upto`, from any meeting (a case agreed or deferred earlier carries its
    /// story); and the academic year's placements, dated in `year_from..=upto`, for the
    /// fair-share tally, with every correction and review that may have replaced one (the only
    /// decisions that follow a placement: the rules refuse any other), through their own partial
    /// index. Three indexed reads, no scan of the log.
    pub fn history(&self, q: &HistoryQuery<'_>) -> Result<Vec<Entry>, LogError> {
        let Some(conn) = &self.conn else {
            return Ok(Vec::new());
        };
        let cases = serde_json::to_string(q.cases).map_err(|e| self.damaged(&e.to_string()))?;
        // A log made before the placements index reads the year's decisions by day instead.
        let indexed: bool = conn
            .query_row(
                "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?1)",
                [PLACEMENTS_INDEX_NAME],
                |r| r.get(0),
            )
            .map_err(|e| self.sql(e))?;
        let by = if indexed {
            format!("INDEXED BY {PLACEMENTS_INDEX_NAME}")
        } else {
            String::new()
        };
        let sql = format!(
            "WITH ids(id) AS (
               SELECT id FROM entry WHERE meeting_id = ?1 AND id <= ?5
               UNION
               SELECT id FROM entry {by}
                WHERE {PLACEMENTS_WHERE} AND day >= ?2 AND day <= ?3 AND id <= ?5
               UNION
               SELECT e.id FROM json_each(?4) AS j
                 JOIN entry e ON e.case_ref = j.value
                WHERE e.day <= ?3 AND e.id <= ?5
             )
             {SELECT_ENTRIES} WHERE e.id IN ids ORDER BY e.id"
        );
        let mut stmt = conn.prepare_cached(&sql).map_err(|e| self.sql(e))?;
        let rows = stmt
            .query(params![
                q.meeting_id.unwrap_or(0),
                q.year_from,
                q.upto,
                cases,
                q.last
            ])
            .map_err(|e| self.sql(e))?;
        self.decode_rows(rows)
    }

    /// A meeting's history (see [`Store::history`]) for its caseload (or one case of it), up to
    /// entry `last`.
    pub fn history_of(
        &self,
        caseload: &Caseload,
        only_case: Option<&str>,
        meeting_id: Option<i64>,
        last: i64,
    ) -> Result<Vec<Entry>, LogError> {
        let upto = caseload.panel.meeting_date;
        self.history_until(caseload, only_case, meeting_id, upto, last)
    }

    /// The same, with its cases' entries read up to `upto` rather than the meeting's own day
    /// (`fairpanel next` reads on to the next meeting's day, decisions between meetings included).
    pub fn history_until(
        &self,
        caseload: &Caseload,
        only_case: Option<&str>,
        meeting_id: Option<i64>,
        upto: Date,
        last: i64,
    ) -> Result<Vec<Entry>, LogError> {
        let cases: Vec<String> = match only_case {
            Some(r) => vec![r.to_owned()],
            None => caseload.cases.iter().map(|k| k.reference.clone()).collect(),
        };
        let year = caseload.panel.meeting_date.academic_year_start();
        let year_from = format!("{year:04}-09-01");
        self.history(&HistoryQuery {
            meeting_id,
            cases: &cases,
            year_from: &year_from,
            upto: &upto.to_string(),
            last,
        })
    }

    /// Decisions taken on days after `after` (if given) up to and including `upto`, of any
    /// meeting, in id order (through the index on kind and day).
    pub fn decisions_on_days(
        &self,
        after: Option<&str>,
        upto: &str,
        last: i64,
    ) -> Result<Vec<Entry>, LogError> {
        let Some(conn) = &self.conn else {
            return Ok(Vec::new());
        };
        let mut stmt = conn
            .prepare_cached(&format!(
                "{SELECT_ENTRIES}
                     WHERE e.kind = 'decision' AND e.day > ?1 AND e.day <= ?2 AND e.id <= ?3
                     ORDER BY e.id"
            ))
            .map_err(|e| self.sql(e))?;
        let rows = stmt
            .query(params![after.unwrap_or(""), upto, last])
            .map_err(|e| self.sql(e))?;
        self.decode_rows(rows)
    }

    /// The caseload revisions of a meeting as stored, oldest first, up to entry `last`.
    pub fn caseloads(&self, meeting_id: i64, last: i64) -> Result<Vec<StoredCaseload>, LogError> {
        let Some(conn) = &self.conn else {
            return Ok(Vec::new());
        };
        let mut stmt = conn
            .prepare_cached(
                "SELECT id, body FROM entry WHERE meeting_id = ?1 AND kind = 'caseload_opened' AND id <= ?2 ORDER BY id",
            )
            .map_err(|e| self.sql(e))?;
        let rows: Vec<(i64, String)> = stmt
            .query_map(params![meeting_id, last], |r| Ok((r.get(0)?, r.get(1)?)))
            .map_err(|e| self.sql(e))?
            .collect::<Result<_, _>>()
            .map_err(|e| self.sql(e))?;
        let mut out = Vec::new();
        for (id, text) in rows {
            let damaged = |why: String| LogError::Damaged {
                path: self.shown.clone(),
                why: format!("the caseload stored with entry {id} cannot be read: {why}"),
            };
            let body: Body =
                serde_json::from_str(&text).map_err(|_| damaged("its entry".into()))?;
            let Ok(Event::CaseloadOpened { revision, sha256 }) =
                serde_json::from_value::<Event>(body.event.clone())
            else {
                return Err(damaged("its entry".into()));
            };
            let skeleton_sha = body.caseload.ok_or_else(|| damaged("no skeleton".into()))?;
            let skeleton = self
                .blob(&skeleton_sha)?
                .ok_or_else(|| damaged("its skeleton is missing".into()))?;
            let caseload = revision::join(&skeleton, |sha| self.stored_part(sha).ok().flatten())
                .map_err(|e| match e {
                    JoinError::Missing(r) => {
                        damaged(format!("the personal data of case {r} is missing"))
                    }
                    JoinError::Unreadable(what) => damaged(format!("{what} is unreadable")),
                })?;
            out.push(StoredCaseload {
                revision,
                file_sha256: sha256,
                caseload,
            });
        }
        Ok(out)
    }

    /// A stored part: `None` if the log does not hold it, `Some(None)` if its bytes were removed
    /// when its time was up.
    fn stored_part(&self, sha: &str) -> Result<Option<Option<Vec<u8>>>, LogError> {
        let Some(conn) = &self.conn else {
            return Ok(None);
        };
        conn.prepare_cached("SELECT bytes FROM blob WHERE sha256 = ?1")
            .and_then(|mut s| {
                s.query_row([sha], |r| r.get::<_, Option<Vec<u8>>>(0))
                    .optional()
            })
            .map_err(|e| self.sql(e))
    }

    fn blob(&self, sha: &str) -> Result<Option<Vec<u8>>, LogError> {
        Ok(self.stored_part(sha)?.flatten())
    }

    /// Writes one batch in one IMMEDIATE transaction, fsynced on commit, making the log whole
    /// first if this is its first entry. Returns the entries written, in order.
    pub(super) fn write(&mut self, batch: Batch<'_>) -> Result<Vec<Entry>, LogError> {
        if self.conn.is_none() {
            return self.create(batch);
        }
        let shown = self.shown.clone();
        let Some(conn) = self.conn.as_mut() else {
            return Err(LogError::NotFound { path: shown });
        };
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| sql_err(&shown, e))?;
        let written = write_batch(&tx, &shown, batch)?;
        tx.commit().map_err(|e| sql_err(&shown, e))?;
        Ok(written)
    }

    /// Makes the log whole with its first entries: a temporary file beside it gets the schema
    /// and the batch, is synced and closed, then takes the log's name only if no file has it.
    fn create(&mut self, batch: Batch<'_>) -> Result<Vec<Entry>, LogError> {
        let shown = self.shown.clone();
        let env = |what: &'static str, e: std::io::Error| LogError::Environment {
            path: shown.clone(),
            what,
            source: e,
        };
        let dir = self
            .file
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("."));
        let tmp = tempfile::Builder::new()
            .prefix(&new_prefix(&self.file))
            .tempfile_in(&dir)
            .map_err(|e| env("create the log", e))?
            .into_temp_path();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&tmp, std::fs::Permissions::from_mode(0o600))
                .map_err(|e| env("make the log owner-only", e))?;
        }
        let written = {
            let mut conn = Connection::open(&tmp).map_err(|e| sql_err(&shown, e))?;
            configure(&conn, &shown)?;
            let tx = conn
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(|e| sql_err(&shown, e))?;
            tx.execute_batch(V2).map_err(|e| sql_err(&shown, e))?;
            init_meta(&tx, &shown)?;
            let written = write_batch(&tx, &shown, batch)?;
            tx.commit().map_err(|e| sql_err(&shown, e))?;
            conn.close().map_err(|(_, e)| sql_err(&shown, e))?;
            written
        };
        crate::log::lock::sync_file(&tmp).map_err(|e| env("sync the new log", e))?;
        tmp.persist_noclobber(&self.file).map_err(|e| {
            if e.error.kind() == std::io::ErrorKind::AlreadyExists {
                LogError::InUse {
                    path: shown.clone(),
                }
            } else {
                env("create the log", e.error)
            }
        })?;
        #[cfg(unix)]
        if let Ok(d) = std::fs::File::open(&dir) {
            let _ = d.sync_all();
        }
        let conn = Connection::open(&self.file).map_err(|e| sql_err(&shown, e))?;
        configure(&conn, &shown)?;
        if self.leave_journal {
            no_checkpoint_on_close(&conn, &shown)?;
        }
        self.conn = Some(conn);
        Ok(written)
    }

    /// Walks the whole chain, streaming (memory stays flat whatever the log's length). `Err`
    /// names the first entry that does not match.
    pub fn verify(&self) -> Result<Verified, LogError> {
        let Some(conn) = &self.conn else {
            return Err(LogError::NotFound {
                path: self.shown.clone(),
            });
        };
        verify(conn, &self.shown, None)
    }

    /// [`Store::verify`], also finding the entry whose hash is `head` (`verify --expect`: the
    /// head a set of minutes printed). [`Verified::expected_at`] is `None` if no entry has it.
    pub fn verify_expecting(&self, head: &str) -> Result<Verified, LogError> {
        let Some(conn) = &self.conn else {
            return Err(LogError::NotFound {
                path: self.shown.clone(),
            });
        };
        verify(conn, &self.shown, Some(head))
    }

    /// The log's head as it records it of itself (entry count and last hash), read in one
    /// indexed look-up, without walking the chain: what the minutes print and `verify --expect`
    /// compares. A reader that must vouch for it calls [`Store::verify`] first, whose
    /// `entries` and `head` are the same for an undamaged log.
    pub fn head(&self) -> Result<LogHead, LogError> {
        let Some(conn) = &self.conn else {
            return Ok(LogHead {
                entries: 0,
                hash: GENESIS.to_owned(),
            });
        };
        let (entries, hash) = meta_head(conn, &self.shown)?
            .ok_or_else(|| self.damaged("its record of its own head is missing"))?;
        Ok(LogHead { entries, hash })
    }

    /// Test hook: runs raw SQL (to prove the triggers hold and a cut-off transaction leaves no
    /// trace). Only in builds with the `test-hooks` feature, which only the tests turn on.
    #[cfg(feature = "test-hooks")]
    pub fn raw_connection(&mut self) -> Option<&mut Connection> {
        self.conn.as_mut()
    }

    /// Whether this store holds the writer lock (readers never do).
    pub fn is_writer(&self) -> bool {
        self.lock.is_some()
    }
}

/// The name a log's temporary file starts with while the log is made: `.<log name>.new-`.
fn new_prefix(file: &Path) -> String {
    format!(
        ".{}.new-",
        file.file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
    )
}

/// Removes what a writer killed while making this log left behind (a temporary file that may hold
/// the caseload). Only the holder of the log's lock makes these, so the lock holder may remove them.
fn remove_leftovers(file: &Path) {
    let (Some(dir), prefix) = (file.parent(), new_prefix(file)) else {
        return;
    };
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        if e.file_name().to_string_lossy().starts_with(&prefix) {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

/// A read-only connection. In a folder the reader cannot write to, SQLite cannot make the WAL's
/// shared-memory file; when no journal is pending the file is then read as immutable.
fn open_read_only(path: &Path) -> Result<Connection, LogError> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let probe = |c: &Connection| {
        c.query_row("SELECT COUNT(*) FROM sqlite_master", [], |r| {
            r.get::<_, i64>(0)
        })
    };
    let conn = Connection::open_with_flags(path, flags).map_err(|e| sql_err(path, e))?;
    match probe(&conn) {
        Ok(_) => return Ok(conn),
        Err(rusqlite::Error::SqliteFailure(f, _))
            if matches!(
                f.code,
                rusqlite::ErrorCode::ReadOnly | rusqlite::ErrorCode::CannotOpen
            ) => {}
        Err(e) => return Err(sql_err(path, e)),
    }
    let mut wal = path.as_os_str().to_owned();
    wal.push("-wal");
    if std::fs::metadata(&wal).is_ok_and(|m| m.len() > 0) {
        return Err(LogError::Environment {
            path: path.to_owned(),
            what: "read the log",
            source: std::io::Error::new(
                std::io::ErrorKind::PermissionDenied,
                "its journal holds entries not yet in the file, and the folder cannot be written to; open it once with write access, or copy the log and its -wal file to a folder you can write to",
            ),
        });
    }
    let mut uri = String::from("file:");
    for b in path.to_string_lossy().bytes() {
        match b {
            b'%' | b'?' | b'#' => uri.push_str(&format!("%{b:02X}")),
            _ => uri.push(b as char),
        }
    }
    uri.push_str("?immutable=1");
    let conn = Connection::open_with_flags(&uri, flags | OpenFlags::SQLITE_OPEN_URI)
        .map_err(|e| sql_err(path, e))?;
    probe(&conn).map_err(|e| sql_err(path, e))?;
    Ok(conn)
}

fn init_meta(tx: &Connection, path: &Path) -> Result<(), LogError> {
    tx.pragma_update(None, "application_id", APPLICATION_ID)
        .map_err(|e| sql_err(path, e))?;
    tx.pragma_update(None, "user_version", FORMAT)
        .map_err(|e| sql_err(path, e))?;
    tx.execute(
        "INSERT INTO log_meta (key, value) VALUES ('entries', '0'), ('head', ?1)",
        [GENESIS],
    )
    .map_err(|e| sql_err(path, e))?;
    Ok(())
}

/// The log's head as it records it of itself: (entries, head hash).
fn meta_head(conn: &Connection, path: &Path) -> Result<Option<(i64, String)>, LogError> {
    let get = |k: &str| -> Result<Option<String>, LogError> {
        conn.query_row("SELECT value FROM log_meta WHERE key = ?1", [k], |r| {
            r.get(0)
        })
        .optional()
        .map_err(|e| sql_err(path, e))
    };
    match (get("entries")?, get("head")?) {
        (Some(n), Some(h)) => Ok(n.parse().ok().map(|n| (n, h))),
        _ => Ok(None),
    }
}

fn damaged(path: &Path, why: String) -> LogError {
    LogError::Damaged {
        path: path.to_owned(),
        why,
    }
}

/// Look before writing: the entries the log holds must be exactly those its own record of its
/// head says, and the last one must match its hash and follow the one before. Cheap at any
/// length (an edit in the middle is for `verify`).
fn check_head(conn: &Connection, path: &Path) -> Result<(), LogError> {
    // Two queries, not one: a bare COUNT(*) is SQLite's b-tree count and MAX(id) a seek to the
    // last row, where `SELECT COUNT(*), MAX(id)` scans every row (5 ms at 100,000 entries).
    let count: i64 = conn
        .query_row("SELECT COUNT(*) FROM entry", [], |r| r.get(0))
        .map_err(|e| sql_err(path, e))?;
    let max: Option<i64> = conn
        .query_row("SELECT MAX(id) FROM entry", [], |r| r.get(0))
        .map_err(|e| sql_err(path, e))?;
    let Some((recorded, head)) = meta_head(conn, path)? else {
        return Err(damaged(
            path,
            "its record of its own head is missing".into(),
        ));
    };
    let max = max.unwrap_or(0);
    if count != max {
        return Err(damaged(
            path,
            format!("entries are missing: it holds {count} of entries 1 to {max}"),
        ));
    }
    if count != recorded {
        return Err(damaged(
            path,
            format!(
                "it holds {count} entries but its record of itself says {recorded}: entries have been removed or added outside fairpanel"
            ),
        ));
    }
    if count == 0 {
        return if head == GENESIS {
            Ok(())
        } else {
            Err(damaged(path, "its head does not match its entries".into()))
        };
    }
    let row = |id: i64| -> Result<Option<(String, String, String)>, LogError> {
        conn.query_row(
            "SELECT body, prev_hash, hash FROM entry WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()
        .map_err(|e| sql_err(path, e))
    };
    let Some((body, prev, hash)) = row(max)? else {
        return Err(damaged(path, format!("entry {max} is missing")));
    };
    if v2_hash(&body, &prev) != hash {
        return Err(damaged(
            path,
            format!("the hash chain is broken at entry {max}: its content does not match its hash"),
        ));
    }
    if hash != head {
        return Err(damaged(
            path,
            format!(
                "entry {max} is not the head the log recorded: entries have been changed outside fairpanel"
            ),
        ));
    }
    let before = if max > 1 {
        row(max - 1)?.map(|(_, _, h)| h)
    } else {
        Some(GENESIS.to_owned())
    };
    if before.as_deref() != Some(prev.as_str()) {
        return Err(damaged(
            path,
            format!(
                "the hash chain is broken at entry {max}: it does not follow the entry before it"
            ),
        ));
    }
    Ok(())
}

/// What `verify` reads of a body to hold its row to it, borrowed (the event itself is skipped:
/// the hash already covers it).
#[derive(serde::Deserialize)]
struct Head<'a> {
    id: i64,
    #[serde(borrow)]
    kind: std::borrow::Cow<'a, str>,
    #[serde(borrow)]
    case: Option<std::borrow::Cow<'a, str>>,
    #[serde(borrow)]
    day: std::borrow::Cow<'a, str>,
    #[serde(borrow)]
    meeting: HeadMeeting<'a>,
    #[serde(borrow)]
    personal: Option<std::borrow::Cow<'a, str>>,
    #[serde(default, borrow)]
    caseload: Option<std::borrow::Cow<'a, str>>,
    #[serde(default, deserialize_with = "present")]
    v1_hash: bool,
}

#[derive(serde::Deserialize)]
struct HeadMeeting<'a> {
    #[serde(borrow)]
    panel: std::borrow::Cow<'a, str>,
    #[serde(borrow)]
    date: std::borrow::Cow<'a, str>,
}

/// A field that is there at all (its value is checked elsewhere).
fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    serde::de::IgnoredAny::deserialize(d).map(|_| true)
}

/// The whole chain, row by row; then the log's record of its head, the stored parts against
/// their hashes, and each caseload skeleton's parts.
fn verify(conn: &Connection, path: &Path, expect: Option<&str>) -> Result<Verified, LogError> {
    // Parts removed when their time was up (few): the entries that named them are listed.
    let removed_parts: std::collections::HashSet<String> = {
        let mut stmt = conn
            .prepare("SELECT sha256 FROM blob WHERE bytes IS NULL")
            .map_err(|e| sql_err(path, e))?;
        stmt.query_map([], |r| r.get(0))
            .map_err(|e| sql_err(path, e))?
            .collect::<Result<_, _>>()
            .map_err(|e| sql_err(path, e))?
    };
    let mut purged = Vec::new();
    let mut expected_at = None;
    let meetings: HashMap<i64, (String, String)> = {
        let mut stmt = conn
            .prepare("SELECT id, panel_id, meeting_date FROM meeting")
            .map_err(|e| sql_err(path, e))?;
        stmt.query_map([], |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?))))
            .map_err(|e| sql_err(path, e))?
            .collect::<Result<_, _>>()
            .map_err(|e| sql_err(path, e))?
    };
    let mut stmt = conn
        .prepare(
            "SELECT id, meeting_id, kind, case_ref, day, body, personal_sha256, prev_hash, hash FROM entry ORDER BY id",
        )
        .map_err(|e| sql_err(path, e))?;
    let mut rows = stmt.query([]).map_err(|e| sql_err(path, e))?;
    let mut prev = GENESIS.to_owned();
    let mut n: i64 = 0;
    let mut skeletons: Vec<(i64, String)> = Vec::new();
    let mut v1 = upgrade::V1Check::default();
    while let Some(r) = rows.next().map_err(|e| sql_err(path, e))? {
        n += 1;
        let get_err = |e| sql_err(path, e);
        let id: i64 = r.get(0).map_err(get_err)?;
        let meeting_id: i64 = r.get(1).map_err(get_err)?;
        let kind: String = r.get(2).map_err(get_err)?;
        let case_ref: Option<String> = r.get(3).map_err(get_err)?;
        let day: String = r.get(4).map_err(get_err)?;
        let body_text: String = r.get(5).map_err(get_err)?;
        let personal: Option<String> = r.get(6).map_err(get_err)?;
        let prev_hash: String = r.get(7).map_err(get_err)?;
        let hash: String = r.get(8).map_err(get_err)?;
        let broken = |why: &str| {
            damaged(
                path,
                format!("the hash chain is broken at entry {id}: {why}"),
            )
        };
        if id != n {
            return Err(broken("an entry is missing before it"));
        }
        if prev_hash != prev {
            return Err(broken("it does not follow the entry before it"));
        }
        if v2_hash(&body_text, &prev_hash) != hash {
            return Err(broken("its content does not match its hash"));
        }
        let body: Head<'_> =
            serde_json::from_str(&body_text).map_err(|_| broken("its content cannot be read"))?;
        let meeting = meetings.get(&meeting_id);
        if body.id != id
            || body.kind != kind
            || body.case.as_deref() != case_ref.as_deref()
            || body.day != day
            || body.personal.as_deref() != personal.as_deref()
            || meeting.map(|(p, d)| (p.as_str(), d.as_str()))
                != Some((&*body.meeting.panel, &*body.meeting.date))
        {
            return Err(broken(
                "its row does not say what its hashed content says (its meeting, case, day or kind was changed)",
            ));
        }
        if let Some(sha) = body.caseload {
            skeletons.push((id, sha.into_owned()));
        }
        if personal.as_ref().is_some_and(|p| removed_parts.contains(p)) {
            purged.push(id);
        }
        if expect == Some(hash.as_str()) {
            expected_at = Some(id);
        }
        if body.v1_hash {
            let full: Body = serde_json::from_str(&body_text)
                .map_err(|_| broken("its content cannot be read"))?;
            v1.check(conn, path, &full, meeting_id)?;
        }
        prev = hash;
    }
    drop(rows);
    match meta_head(conn, path)? {
        Some((entries, head)) if entries == n && head == prev => {}
        _ => {
            return Err(damaged(
                path,
                format!(
                    "its record of its own head does not match its {n} entries: entries have been removed or added outside fairpanel"
                ),
            ));
        }
    }
    let missing: Option<i64> = conn
        .query_row(
            "SELECT e.id FROM entry e LEFT JOIN blob b ON b.sha256 = e.personal_sha256
             WHERE e.personal_sha256 IS NOT NULL AND b.sha256 IS NULL LIMIT 1",
            [],
            |r| r.get(0),
        )
        .optional()
        .map_err(|e| sql_err(path, e))?;
    if let Some(id) = missing {
        return Err(damaged(
            path,
            format!("the free text of entry {id} is missing"),
        ));
    }
    let mut removed = 0;
    {
        let mut stmt = conn
            .prepare("SELECT sha256, bytes FROM blob")
            .map_err(|e| sql_err(path, e))?;
        let mut rows = stmt.query([]).map_err(|e| sql_err(path, e))?;
        while let Some(r) = rows.next().map_err(|e| sql_err(path, e))? {
            let sha: String = r.get(0).map_err(|e| sql_err(path, e))?;
            let bytes: Option<Vec<u8>> = r.get(1).map_err(|e| sql_err(path, e))?;
            match bytes {
                None => removed += 1,
                Some(b) if sha256_hex(&b) == sha => {}
                Some(_) => {
                    return Err(damaged(
                        path,
                        "a stored part (a caseload or an entry's free text) does not match its hash"
                            .into(),
                    ));
                }
            }
        }
    }
    for (id, sha) in skeletons {
        let skeleton: Option<Option<Vec<u8>>> = conn
            .query_row("SELECT bytes FROM blob WHERE sha256 = ?1", [&sha], |r| {
                r.get(0)
            })
            .optional()
            .map_err(|e| sql_err(path, e))?;
        let Some(Some(bytes)) = skeleton else {
            return Err(damaged(
                path,
                format!("the caseload stored with entry {id} is missing"),
            ));
        };
        let value: Value = serde_json::from_slice(&bytes).map_err(|_| {
            damaged(
                path,
                format!("the caseload stored with entry {id} cannot be read"),
            )
        })?;
        let mut lost = false;
        for (case, part) in revision::part_hashes(&value) {
            let there: bool = conn
                .query_row("SELECT 1 FROM blob WHERE sha256 = ?1", [&part], |_| {
                    Ok(true)
                })
                .optional()
                .map_err(|e| sql_err(path, e))?
                .unwrap_or(false);
            lost |= removed_parts.contains(&part);
            if !there {
                return Err(damaged(
                    path,
                    format!("the personal data of case {case} stored with entry {id} is missing"),
                ));
            }
        }
        if lost {
            purged.push(id);
        }
    }
    purged.sort_unstable();
    Ok(Verified {
        entries: n as usize,
        head: prev,
        v1_checked: v1.checked,
        removed,
        purged,
        expected_at,
    })
}

/// Where logs live: `FAIRPANEL_DATA_DIR`, else the user's local (never roaming: councils sync
/// roaming profiles to servers, where SQLite's journal is not safe) data directory under
/// `fairpanel/`.
pub fn data_dir() -> Option<PathBuf> {
    if let Some(d) = std::env::var_os("FAIRPANEL_DATA_DIR").filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(d));
    }
    directories::ProjectDirs::from("", "", "fairpanel").map(|p| p.data_local_dir().to_owned())
}

/// The default log of a panel: one file per panel id; the demo has its own.
pub fn default_log_path(panel_id: &str, demo: bool) -> Option<PathBuf> {
    let safe = file_safe(panel_id);
    let name = if demo {
        format!("demo-{safe}.fairpanel-log")
    } else {
        format!("{safe}.fairpanel-log")
    };
    data_dir().map(|d| d.join(name))
}

/// A panel id as part of a file name: anything but ASCII letters, digits, `-` and `_` becomes
/// `_`, so an id from a file cannot lead out of the folder.
pub fn file_safe(panel_id: &str) -> String {
    panel_id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}
