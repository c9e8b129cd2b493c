//! Why the log could not be used, as typed errors; `crate::cli::exit` maps each to its exit code
//! (cli.md: 2 not a log, 3 in use, 5 damaged, 6 the environment).

use std::path::{Path, PathBuf};

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
    /// A file that is not a fairpanel log: bad input, exit 2. It is never converted.
    #[error("{}: not a fairpanel log (it holds something else); check the path: fairpanel never writes into a file it did not make", .path.display())]
    NotALog { path: PathBuf },
    /// The log has another name (a hard link): two names would give SQLite two journals for one
    /// file, and two writers could each think they hold it (exit 2).
    #[error("{}: this log has {links} names (hard links); keep one: remove the other names, or copy the log to a new file and use that", .path.display())]
    HardLinked { path: PathBuf, links: u64 },
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

pub(super) fn sql_err(path: &Path, e: rusqlite::Error) -> LogError {
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
        // A value of the wrong kind where fairpanel only ever writes one kind (a NULL panel, a
        // number for a hash), or tables not as fairpanel made them: the file was changed
        // outside fairpanel (found by tests/fuzz.rs: such a log gave exit 1, "a bug").
        rusqlite::Error::InvalidColumnType(..)
        | rusqlite::Error::FromSqlConversionFailure(..)
        | rusqlite::Error::IntegralValueOutOfRange(..)
        | rusqlite::Error::Utf8Error(..) => LogError::Damaged {
            path,
            why: format!("a value of the wrong kind in the log's tables ({e})"),
        },
        rusqlite::Error::SqliteFailure(_, Some(ref msg))
        | rusqlite::Error::SqlInputError { ref msg, .. }
            if [
                "no such table",
                "no such column",
                "malformed database schema",
            ]
            .iter()
            .any(|m| msg.starts_with(m)) =>
        {
            LogError::Damaged {
                path,
                why: format!("the log's tables are not as fairpanel made them ({e})"),
            }
        }
        e => LogError::Internal { path, source: e },
    }
}
