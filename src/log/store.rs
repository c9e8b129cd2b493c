//! The decision log on disk: one SQLite file per panel. This is the only module that speaks SQL.
//!
//! WAL with `synchronous=FULL` (a commit is fsynced before `append` returns), foreign keys on,
//! schema versioned by `user_version`. Triggers refuse UPDATE and DELETE: the log is append-only.
//! One writer at a time, enforced by an OS lock on `LOG.lock` beside the log (freed by the OS even
//! on kill -9); readers need no lock. Folders are created 0700 and files 0600.

use std::fs::{self, File, OpenOptions};
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags, OptionalExtension, TransactionBehavior, params};

use crate::domain::event::{Entry, Event};
use crate::log::chain::{self, GENESIS};

/// Schema steps; `user_version` is how many have run.
const MIGRATIONS: &[&str] = &[r#"
CREATE TABLE meeting (
  id INTEGER PRIMARY KEY,
  panel_id TEXT NOT NULL,
  meeting_date TEXT NOT NULL,
  UNIQUE (panel_id, meeting_date)
);
CREATE TABLE caseload_revision (
  meeting_id INTEGER NOT NULL REFERENCES meeting(id),
  revision INTEGER NOT NULL,
  sha256 TEXT NOT NULL,
  caseload_json TEXT NOT NULL,
  PRIMARY KEY (meeting_id, revision)
);
CREATE TABLE entry (
  id INTEGER PRIMARY KEY,
  meeting_id INTEGER NOT NULL REFERENCES meeting(id),
  kind TEXT NOT NULL,
  case_ref TEXT,
  event_json TEXT NOT NULL,
  supersedes INTEGER REFERENCES entry(id),
  correction_reason TEXT,
  recorded_at TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE INDEX entry_by_meeting ON entry (meeting_id, id);
CREATE TRIGGER entry_no_update BEFORE UPDATE ON entry
  BEGIN SELECT RAISE(ABORT, 'the decision log is append-only: record a correction instead'); END;
CREATE TRIGGER entry_no_delete BEFORE DELETE ON entry
  BEGIN SELECT RAISE(ABORT, 'the decision log is append-only: entries are never deleted'); END;
CREATE TRIGGER revision_no_update BEFORE UPDATE ON caseload_revision
  BEGIN SELECT RAISE(ABORT, 'caseload revisions are never changed'); END;
CREATE TRIGGER revision_no_delete BEFORE DELETE ON caseload_revision
  BEGIN SELECT RAISE(ABORT, 'caseload revisions are never deleted'); END;
CREATE TRIGGER meeting_no_update BEFORE UPDATE ON meeting
  BEGIN SELECT RAISE(ABORT, 'meetings are never changed'); END;
CREATE TRIGGER meeting_no_delete BEFORE DELETE ON meeting
  BEGIN SELECT RAISE(ABORT, 'meetings are never deleted'); END;
"#];

/// Why the log could not be used. `crate::cli::exit` maps each kind to an exit code (cli.md).
#[derive(Debug, thiserror::Error)]
pub enum LogError {
    /// Another fairpanel holds the writer lock (exit 3).
    #[error("{}: the log is in use by another fairpanel; close the other window (or wait for it to finish) and try again", .path.display())]
    InUse { path: PathBuf },
    /// Unreadable, or its hash chain or stored caseloads do not match (exit 5).
    #[error("{}: {why}; the log has been changed or damaged outside fairpanel: restore it from a backup", .path.display())]
    Damaged { path: PathBuf, why: String },
    /// Written by a newer fairpanel (exit 5).
    #[error("{}: written by a newer fairpanel (log format {found}, this one reads up to {known}); use the newer fairpanel", .path.display())]
    Newer {
        path: PathBuf,
        found: u32,
        known: u32,
    },
    /// No log at that path (a reader never creates one): bad input, exit 2.
    #[error("{}: no such log; check the path (logs live in the fairpanel data folder unless --log names one)", .path.display())]
    NotFound { path: PathBuf },
    /// A file that is not a fairpanel log: bad input, exit 2.
    #[error("{}: not a fairpanel log; check the path", .path.display())]
    NotALog { path: PathBuf },
    /// The log belongs to another panel: bad input, exit 2.
    #[error("{}: this log belongs to panel \"{log_panel}\", not \"{panel}\"; each panel has a log of its own: choose another --log (or none for the default)", .path.display())]
    WrongPanel {
        path: PathBuf,
        log_panel: String,
        panel: String,
    },
    /// A file or folder cannot be read or written: permissions, a full disk (exit 6).
    #[error("{}: cannot {what}: {source}; check the disk and the folder's permissions", .path.display())]
    Environment {
        path: PathBuf,
        what: &'static str,
        source: std::io::Error,
    },
    /// SQLite could not read or write the log for a reason of the machine's (exit 6).
    #[error("{}: the log could not be read or written: {source}; check the disk and the folder's permissions", .path.display())]
    Storage {
        path: PathBuf,
        source: rusqlite::Error,
    },
    /// Anything else SQLite reports: a bug in this fairpanel (exit 1).
    #[error("{}: unexpected error from the log's database: {source}", .path.display())]
    Internal {
        path: PathBuf,
        source: rusqlite::Error,
    },
}

fn sql_err(path: &Path, e: rusqlite::Error) -> LogError {
    use rusqlite::ErrorCode as C;
    let path = path.to_owned();
    match e {
        rusqlite::Error::SqliteFailure(code, _)
            if matches!(code.code, C::NotADatabase | C::DatabaseCorrupt) =>
        {
            LogError::Damaged {
                path,
                why: format!("not a readable fairpanel log ({e})"),
            }
        }
        rusqlite::Error::SqliteFailure(code, _)
            if matches!(
                code.code,
                C::DiskFull
                    | C::ReadOnly
                    | C::CannotOpen
                    | C::PermissionDenied
                    | C::SystemIoFailure
                    | C::DatabaseBusy
                    | C::DatabaseLocked
            ) =>
        {
            LogError::Storage { path, source: e }
        }
        e => LogError::Internal { path, source: e },
    }
}

/// A meeting row: (panel id, meeting date) names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeetingRow {
    pub id: i64,
    pub panel_id: String,
    pub meeting_date: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Revision {
    pub revision: u32,
    pub sha256: String,
    pub caseload_json: String,
}

/// What `verify` found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    pub entries: usize,
    pub head: String,
}

pub struct Store {
    conn: Connection,
    path: PathBuf,
    /// Held for the life of a writer; the OS frees it when the process ends however it ends.
    _lock: Option<File>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("path", &self.path).finish()
    }
}

/// Creates `dir` and its missing parents with mode 0700.
pub fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    let mut b = fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        b.mode(0o700);
    }
    b.create(dir)
}

fn create_private_file(path: &Path) -> std::io::Result<File> {
    let mut o = OpenOptions::new();
    o.create(true).append(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600);
    }
    o.open(path)
}

impl Store {
    /// Opens (creating if need be) the log for writing, taking the writer lock.
    pub fn open_writer(path: &Path) -> Result<Store, LogError> {
        let io = |what: &'static str, e: std::io::Error| LogError::Environment {
            path: path.to_owned(),
            what,
            source: e,
        };
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            create_private_dir(dir).map_err(|e| io("create the log's folder", e))?;
        }
        let mut lock_path = path.as_os_str().to_owned();
        lock_path.push(".lock");
        let lock =
            create_private_file(Path::new(&lock_path)).map_err(|e| io("open the lock file", e))?;
        match lock.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => {
                return Err(LogError::InUse {
                    path: path.to_owned(),
                });
            }
            Err(std::fs::TryLockError::Error(e)) => return Err(io("lock the log", e)),
        }
        // Create the file ourselves so it is 0600 from the first byte; SQLite gives its -wal and
        // -shm files the same mode.
        create_private_file(path).map_err(|e| io("create the log", e))?;
        let conn = Connection::open(path).map_err(|e| sql_err(path, e))?;
        let mut store = Store {
            conn,
            path: path.to_owned(),
            _lock: Some(lock),
        };
        store.configure()?;
        store.migrate()?;
        Ok(store)
    }

    /// Opens an existing log read-only, without the lock: works while a writer is open.
    pub fn open_reader(path: &Path) -> Result<Store, LogError> {
        if !path.exists() {
            return Err(LogError::NotFound {
                path: path.to_owned(),
            });
        }
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| sql_err(path, e))?;
        let store = Store {
            conn,
            path: path.to_owned(),
            _lock: None,
        };
        let v = store.user_version()?;
        if v as usize > MIGRATIONS.len() {
            return Err(store.newer(v));
        }
        if v == 0 {
            return Err(LogError::NotALog {
                path: path.to_owned(),
            });
        }
        Ok(store)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn err(&self, e: rusqlite::Error) -> LogError {
        sql_err(&self.path, e)
    }

    fn configure(&mut self) -> Result<(), LogError> {
        let mode: String = self
            .conn
            .query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0))
            .map_err(|e| self.err(e))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(LogError::Environment {
                path: self.path.clone(),
                what: "switch the log to WAL mode",
                source: std::io::Error::other(format!("the journal mode stayed {mode}")),
            });
        }
        self.conn
            .pragma_update(None, "synchronous", "FULL")
            .map_err(|e| self.err(e))?;
        self.conn
            .pragma_update(None, "foreign_keys", "ON")
            .map_err(|e| self.err(e))?;
        Ok(())
    }

    fn user_version(&self) -> Result<u32, LogError> {
        self.conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(|e| self.err(e))
    }

    fn newer(&self, v: u32) -> LogError {
        LogError::Newer {
            path: self.path.clone(),
            found: v,
            known: MIGRATIONS.len() as u32,
        }
    }

    /// Runs each missing schema step in its own transaction.
    fn migrate(&mut self) -> Result<(), LogError> {
        let v = self.user_version()? as usize;
        if v > MIGRATIONS.len() {
            return Err(self.newer(v as u32));
        }
        for (i, step) in MIGRATIONS.iter().enumerate().skip(v) {
            let path = self.path.clone();
            let tx = self
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(|e| sql_err(&path, e))?;
            tx.execute_batch(step).map_err(|e| sql_err(&path, e))?;
            tx.pragma_update(None, "user_version", (i + 1) as u32)
                .map_err(|e| sql_err(&path, e))?;
            tx.commit().map_err(|e| sql_err(&path, e))?;
        }
        Ok(())
    }

    /// The meeting's row, created on first use.
    pub fn meeting(&mut self, panel_id: &str, meeting_date: &str) -> Result<i64, LogError> {
        let found: Option<i64> = self
            .conn
            .query_row(
                "SELECT id FROM meeting WHERE panel_id = ?1 AND meeting_date = ?2",
                params![panel_id, meeting_date],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| self.err(e))?;
        if let Some(id) = found {
            return Ok(id);
        }
        self.conn
            .execute(
                "INSERT INTO meeting (panel_id, meeting_date) VALUES (?1, ?2)",
                params![panel_id, meeting_date],
            )
            .map_err(|e| self.err(e))?;
        Ok(self.conn.last_insert_rowid())
    }

    /// Looks a meeting up without creating it (readers).
    pub fn find_meeting(
        &self,
        panel_id: Option<&str>,
        meeting_date: Option<&str>,
    ) -> Result<Vec<MeetingRow>, LogError> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT id, panel_id, meeting_date FROM meeting ORDER BY meeting_date, id",
            )
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([], |r| {
                Ok(MeetingRow {
                    id: r.get(0)?,
                    panel_id: r.get(1)?,
                    meeting_date: r.get(2)?,
                })
            })
            .map_err(|e| sql_err(&self.path, e))?;
        let mut out = Vec::new();
        for r in rows {
            let r = r.map_err(|e| sql_err(&self.path, e))?;
            if panel_id.is_none_or(|p| p == r.panel_id)
                && meeting_date.is_none_or(|d| d == r.meeting_date)
            {
                out.push(r);
            }
        }
        Ok(out)
    }

    pub fn revisions(&self, meeting_id: i64) -> Result<Vec<Revision>, LogError> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT revision, sha256, caseload_json FROM caseload_revision WHERE meeting_id = ?1 ORDER BY revision",
            )
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([meeting_id], |r| {
                Ok(Revision {
                    revision: r.get(0)?,
                    sha256: r.get(1)?,
                    caseload_json: r.get(2)?,
                })
            })
            .map_err(|e| sql_err(&self.path, e))?;
        rows.collect::<Result<Vec<_>, _>>()
            .map_err(|e| sql_err(&self.path, e))
    }

    /// Appends one entry in one IMMEDIATE transaction, fsynced on commit; returns it as stored.
    /// With `revision`, the caseload revision row is written in the same transaction.
    pub(super) fn append(
        &mut self,
        meeting_id: i64,
        event: Event,
        supersedes: Option<i64>,
        correction_reason: Option<String>,
        recorded_at: String,
        revision: Option<(&str, &str)>,
    ) -> Result<Entry, LogError> {
        let path = self.path.clone();
        let e = |x| sql_err(&path, x);
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(e)?;
        let head: Option<(i64, String)> = tx
            .query_row(
                "SELECT id, hash FROM entry ORDER BY id DESC LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .map_err(e)?;
        let (last_id, prev_hash) = head.unwrap_or((0, GENESIS.to_owned()));
        let mut entry = Entry {
            id: last_id + 1,
            meeting_id,
            event,
            supersedes,
            correction_reason,
            recorded_at,
            prev_hash: prev_hash.clone(),
            hash: String::new(),
        };
        entry.hash = chain::hash_of(&entry, &prev_hash);
        if let (Some((sha, json)), Event::CaseloadOpened { revision, .. }) =
            (revision, &entry.event)
        {
            tx.execute(
                "INSERT INTO caseload_revision (meeting_id, revision, sha256, caseload_json) VALUES (?1, ?2, ?3, ?4)",
                params![meeting_id, revision, sha, json],
            )
            .map_err(e)?;
        }
        let event_json = serde_json::to_string(&entry.event).map_err(|x| LogError::Internal {
            path: path.clone(),
            source: rusqlite::Error::ToSqlConversionFailure(Box::new(x)),
        })?;
        tx.execute(
            "INSERT INTO entry (id, meeting_id, kind, case_ref, event_json, supersedes, correction_reason, recorded_at, prev_hash, hash)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            params![
                entry.id,
                entry.meeting_id,
                entry.event.kind(),
                entry.event.case_ref(),
                event_json,
                entry.supersedes,
                entry.correction_reason,
                entry.recorded_at,
                entry.prev_hash,
                entry.hash
            ],
        )
        .map_err(e)?;
        tx.commit().map_err(e)?;
        Ok(entry)
    }

    /// Entries in id order, of one meeting or of the whole log.
    pub fn entries(&self, meeting_id: Option<i64>) -> Result<Vec<Entry>, LogError> {
        let sql = "SELECT id, meeting_id, event_json, supersedes, correction_reason, recorded_at, prev_hash, hash
                   FROM entry WHERE (?1 IS NULL OR meeting_id = ?1) ORDER BY id";
        let mut stmt = self.conn.prepare_cached(sql).map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([meeting_id], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, Option<i64>>(3)?,
                    r.get::<_, Option<String>>(4)?,
                    r.get::<_, String>(5)?,
                    r.get::<_, String>(6)?,
                    r.get::<_, String>(7)?,
                ))
            })
            .map_err(|e| sql_err(&self.path, e))?;
        let mut out = Vec::new();
        for row in rows {
            let (id, meeting_id, json, supersedes, correction_reason, recorded_at, prev_hash, hash) =
                row.map_err(|e| sql_err(&self.path, e))?;
            let event: Event = serde_json::from_str(&json).map_err(|_| LogError::Damaged {
                path: self.path.clone(),
                why: format!(
                    "entry {id} cannot be read (its event is not in a form this fairpanel knows)"
                ),
            })?;
            out.push(Entry {
                id,
                meeting_id,
                event,
                supersedes,
                correction_reason,
                recorded_at,
                prev_hash,
                hash,
            });
        }
        Ok(out)
    }

    /// Walks the whole chain. `Err(Damaged)` names the first entry that does not match.
    pub fn verify(&self) -> Result<Verified, LogError> {
        let entries = self.entries(None)?;
        let mut prev = GENESIS.to_owned();
        for (i, e) in entries.iter().enumerate() {
            let why = if e.id != i as i64 + 1 {
                Some("an entry is missing before it")
            } else if e.prev_hash != prev {
                Some("it does not follow the entry before it")
            } else if chain::hash_of(e, &prev) != e.hash {
                Some("its content does not match its hash")
            } else {
                None
            };
            if let Some(why) = why {
                return Err(LogError::Damaged {
                    path: self.path.clone(),
                    why: format!("the hash chain is broken at entry {}: {why}", e.id),
                });
            }
            prev = e.hash.clone();
            // A stored caseload must still be the one its chained entry names.
            if let Event::CaseloadOpened { revision, sha256 } = &e.event {
                let stored: Option<(String, String)> = self
                    .conn
                    .query_row(
                        "SELECT sha256, caseload_json FROM caseload_revision WHERE meeting_id = ?1 AND revision = ?2",
                        params![e.meeting_id, revision],
                        |r| Ok((r.get(0)?, r.get(1)?)),
                    )
                    .optional()
                    .map_err(|x| self.err(x))?;
                let ok = stored.is_some_and(|(sha, json)| {
                    &sha == sha256 && chain::sha256_hex(json.as_bytes()) == *sha256
                });
                if !ok {
                    return Err(LogError::Damaged {
                        path: self.path.clone(),
                        why: format!(
                            "the caseload stored with entry {} (revision {revision}) does not match its hash",
                            e.id
                        ),
                    });
                }
            }
        }
        Ok(Verified {
            entries: entries.len(),
            head: prev,
        })
    }

    /// Test hook: runs raw SQL (to prove the triggers hold and a cut-off transaction leaves no
    /// trace). Only in builds with the `test-hooks` feature, which only the tests turn on.
    #[cfg(feature = "test-hooks")]
    pub fn raw_connection(&mut self) -> &mut Connection {
        &mut self.conn
    }
}

/// Where logs live: `FAIRPANEL_DATA_DIR`, else the user's data directory under `fairpanel/`.
pub fn data_dir() -> Option<PathBuf> {
    if let Some(d) = std::env::var_os("FAIRPANEL_DATA_DIR").filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(d));
    }
    directories::ProjectDirs::from("", "", "fairpanel").map(|p| p.data_dir().to_owned())
}

/// The default log of a panel: one file per panel id; the demo has its own.
pub fn default_log_path(panel_id: &str, demo: bool) -> Option<PathBuf> {
    let safe: String = panel_id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let name = if demo {
        format!("demo-{safe}.fairpanel-log")
    } else {
        format!("{safe}.fairpanel-log")
    };
    data_dir().map(|d| d.join(name))
}
