//! A backup of a log (`fairpanel backup`, `docs/log.md` section 10): one consistent, verified,
//! owner-only file, named by panel and date, never written over another.
//!
//! The copy is SQLite's `VACUUM INTO` on a read-only connection: one read transaction, so it is
//! the log as it stood at one moment, entries in the write-ahead journal included, also while a
//! writer (the screen, `record`) has the log open; a writer is not stopped, and what it appends
//! after that moment is in the next backup. The copy is a single file (its journal mode set back
//! to a rollback journal, so nothing beside it is needed), synced, verified as `verify` verifies,
//! and only then given its name, by a no-clobber rename.

use std::path::{Path, PathBuf};

use rusqlite::Connection;

use crate::domain::dates::Date;
use crate::log::error::{LogError, sql_err};
use crate::log::lock::create_private_dir;
use crate::log::store::{Store, Verified, file_safe};

/// A backup written and verified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Backup {
    pub path: PathBuf,
    /// What verifying the copy found: its entries and head.
    pub verified: Verified,
}

/// The backup's name: `<panel>-<date>.fairpanel-log`, then `-2`, `-3` … for a later backup the
/// same day.
pub fn backup_name(panel_id: &str, today: Date, n: u32) -> String {
    let panel = file_safe(panel_id);
    match n {
        0 | 1 => format!("{panel}-{today}.fairpanel-log"),
        n => format!("{panel}-{today}-{n}.fairpanel-log"),
    }
}

/// Copies the log at `log` into the folder `dir` (made 0700 if missing) as of now, verifies the
/// copy, and names it by its panel and `today`.
pub fn backup(log: &Path, dir: &Path, today: Date) -> Result<Backup, LogError> {
    let env = |what: &'static str, e: std::io::Error| LogError::Environment {
        path: dir.to_owned(),
        what,
        source: e,
    };
    let store = Store::open_reader(log)?;
    let panel = store
        .meetings()?
        .first()
        .map_or_else(|| "log".to_owned(), |m| m.panel_id.clone());
    create_private_dir(dir).map_err(|e| env("create the backup folder", e))?;
    // tempfile makes it 0600; VACUUM INTO writes into an empty file it is given.
    let tmp = tempfile::Builder::new()
        .prefix(".fairpanel-backup-")
        .tempfile_in(dir)
        .map_err(|e| env("write a backup in the folder", e))?
        .into_temp_path();
    let tmp_name = tmp.to_str().ok_or_else(|| {
        env(
            "write a backup in the folder",
            std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                "the folder's path is not valid UTF-8; choose another folder",
            ),
        )
    })?;
    let conn = store.conn().ok_or_else(|| LogError::NotFound {
        path: log.to_owned(),
    })?;
    conn.execute("VACUUM INTO ?1", [tmp_name])
        .map_err(|e| sql_err(log, e))?;
    drop(store);
    {
        let copy = Connection::open(&tmp).map_err(|e| sql_err(&tmp, e))?;
        let _: String = copy
            .query_row("PRAGMA journal_mode=DELETE", [], |r| r.get(0))
            .map_err(|e| sql_err(&tmp, e))?;
        copy.close().map_err(|(_, e)| sql_err(&tmp, e))?;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&tmp, std::fs::Permissions::from_mode(0o600))
            .map_err(|e| env("make the backup owner-only", e))?;
    }
    crate::log::lock::sync_file(&tmp).map_err(|e| env("sync the backup", e))?;
    let verified = Store::open_reader(&tmp)
        .and_then(|s| s.verify())
        .map_err(|e| LogError::Damaged {
            path: log.to_owned(),
            why: format!(
                "its copy did not verify ({}), so no backup was kept",
                e.to_string().replace(&*tmp.to_string_lossy(), "the copy")
            ),
        })?;
    let mut n = 1;
    let mut tmp = tmp;
    let path = loop {
        let path = dir.join(backup_name(&panel, today, n));
        match tmp.persist_noclobber(&path) {
            Ok(()) => break path,
            Err(e) if e.error.kind() == std::io::ErrorKind::AlreadyExists && n < 1000 => {
                tmp = e.path;
                n += 1;
            }
            Err(e) => return Err(env("name the backup", e.error)),
        }
    };
    #[cfg(unix)]
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(Backup { path, verified })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_by_panel_and_date_and_never_lead_out_of_the_folder() {
        let d = Date::parse("2026-12-04").unwrap();
        assert_eq!(
            backup_name("walsall-sec", d, 1),
            "walsall-sec-2026-12-04.fairpanel-log"
        );
        assert_eq!(
            backup_name("walsall-sec", d, 3),
            "walsall-sec-2026-12-04-3.fairpanel-log"
        );
        assert_eq!(
            backup_name("../x/y", d, 1),
            "___x_y-2026-12-04.fairpanel-log"
        );
    }
}
