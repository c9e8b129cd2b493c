//! One writer per log file, whatever path reaches it. The lock is an OS lock on a sidecar file
//! named from the log's canonical path (symbolic links resolved), so two paths to one file meet
//! at one lock; the OS frees it when the process ends, however it ends (kill -9 included). A log
//! with a second name (a hard link) has no single canonical path and is refused. The database file
//! itself is never locked this way: SQLite holds its own locks on it.

use std::fs::{File, OpenOptions};
use std::path::{Path, PathBuf};

use crate::log::error::LogError;

/// The writer lock of one log, held for the life of the writer.
#[derive(Debug)]
pub struct WriterLock {
    _file: File,
    lock_path: PathBuf,
    log_path: PathBuf,
}

/// Creates `dir` and its missing parents with mode 0700.
pub fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    let mut b = std::fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        b.mode(0o700);
    }
    b.create(dir)
}

/// Flushes the file at `path` to disk. Opened for writing: Windows flushes a file only through a
/// handle that may write to it (FlushFileBuffers on a read-only handle is "access denied").
pub(crate) fn sync_file(path: &Path) -> std::io::Result<()> {
    OpenOptions::new()
        .write(true)
        .open(path)
        .and_then(|f| f.sync_all())
}

/// The log's canonical path: symbolic links resolved, also for a log not made yet (its folder's
/// canonical path and its name).
pub fn canonical(path: &Path) -> Result<PathBuf, LogError> {
    let env = |what: &'static str, e: std::io::Error| LogError::Environment {
        path: path.to_owned(),
        what,
        source: e,
    };
    if path.exists() {
        return std::fs::canonicalize(path).map_err(|e| env("find the log", e));
    }
    if std::fs::symlink_metadata(path).is_ok() {
        return Err(env(
            "use the log",
            std::io::Error::new(
                std::io::ErrorKind::NotFound,
                "it is a link to a file that is not there",
            ),
        ));
    }
    let name = path.file_name().ok_or_else(|| {
        env(
            "use the log",
            std::io::Error::new(std::io::ErrorKind::InvalidInput, "the path names no file"),
        )
    })?;
    let dir = match path.parent().filter(|d| !d.as_os_str().is_empty()) {
        Some(d) => d.to_owned(),
        None => PathBuf::from("."),
    };
    create_private_dir(&dir).map_err(|e| env("create the log's folder", e))?;
    let dir = std::fs::canonicalize(&dir).map_err(|e| env("find the log's folder", e))?;
    Ok(dir.join(name))
}

impl WriterLock {
    /// Takes the lock of the log at `path` (canonical). `Err(InUse)` if another fairpanel holds
    /// it, through this path or any other.
    pub fn take(path: &Path) -> Result<WriterLock, LogError> {
        let env = |what: &'static str, e: std::io::Error| LogError::Environment {
            path: path.to_owned(),
            what,
            source: e,
        };
        #[cfg(unix)]
        if let Ok(m) = std::fs::metadata(path) {
            use std::os::unix::fs::MetadataExt;
            if m.nlink() > 1 {
                return Err(LogError::HardLinked {
                    path: path.to_owned(),
                    links: m.nlink(),
                });
            }
        }
        let mut lock_path = path.as_os_str().to_owned();
        lock_path.push(".lock");
        let lock_path = PathBuf::from(lock_path);
        let mut o = OpenOptions::new();
        o.create(true).truncate(false).write(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            o.mode(0o600);
        }
        let file = o
            .open(&lock_path)
            .map_err(|e| env("open the log's lock file", e))?;
        match file.try_lock() {
            Ok(()) => Ok(WriterLock {
                _file: file,
                lock_path,
                log_path: path.to_owned(),
            }),
            Err(std::fs::TryLockError::WouldBlock) => Err(LogError::InUse {
                path: path.to_owned(),
            }),
            Err(std::fs::TryLockError::Error(e)) => Err(env("lock the log", e)),
        }
    }
}

impl Drop for WriterLock {
    /// A writer that never wrote leaves nothing behind, not even its lock file. (Removing it while
    /// holding the lock is safe: a log is only ever created by a no-clobber rename, so a second
    /// writer racing on a lock file just removed can never replace a log.)
    fn drop(&mut self) {
        if !self.log_path.exists() {
            let _ = std::fs::remove_file(&self.lock_path);
        }
    }
}
