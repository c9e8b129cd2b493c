//! Where a log may not be safe. SQLite's write-ahead log shares memory between the processes that
//! open the file, which a network file system cannot give it, and a synced folder (OneDrive,
//! Dropbox, Google Drive, iCloud) uploads and replaces the database, its `-wal` and its lock file
//! one by one while they are in use. fairpanel still opens such a log (a council may have no other
//! place) but says so first. The path is judged by its spelling, which is the same on every
//! machine (so it is tested on Linux too), and on Windows by the drive's type as well: a mapped
//! network drive (`H:` mapped to a share) looks like a local path.

use std::path::Path;

/// Why a log's place is not safe for SQLite.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RiskyPlace {
    /// A UNC path: `\\server\share\…` (or `\\?\UNC\server\share\…`).
    NetworkShare,
    /// A drive letter Windows reports as a network drive.
    MappedDrive(char),
    /// A folder a sync client uploads: its name.
    Synced(&'static str),
}

impl RiskyPlace {
    /// The warning, in words, with what to do.
    pub fn warning(self) -> String {
        let place = match self {
            RiskyPlace::NetworkShare => "on a network share".to_owned(),
            RiskyPlace::MappedDrive(d) => format!("on {d}:, a network drive"),
            RiskyPlace::Synced(name) => format!("in a folder {name} synchronises"),
        };
        format!(
            "warning: the decision log is {place}, where SQLite's write-ahead log is not safe \
             (entries can be lost or the file damaged); keep the log on this computer's own disk \
             (the default, the fairpanel data folder) and copy it elsewhere only when no fairpanel \
             has it open"
        )
    }
}

/// Folder names sync clients make, matched at the start of a path's component, without regard
/// to case ("OneDrive - Walsall Council" is OneDrive for Business).
const SYNCED: &[(&str, &str)] = &[
    ("onedrive", "OneDrive"),
    ("dropbox", "Dropbox"),
    ("google drive", "Google Drive"),
    ("googledrive", "Google Drive"),
    ("icloud drive", "iCloud Drive"),
    ("iclouddrive", "iCloud Drive"),
    ("box sync", "Box"),
];

/// The place of the log at `path` (as given or canonical), if it is not safe for SQLite.
pub fn risky_place(path: &Path) -> Option<RiskyPlace> {
    let spelled = path.to_string_lossy();
    by_spelling(&spelled).or_else(|| mapped_drive(&spelled))
}

/// Judged from the spelling alone: a UNC path, or a component named by a sync client.
pub fn by_spelling(path: &str) -> Option<RiskyPlace> {
    let p = path.replace('/', "\\");
    let lower = p.to_lowercase();
    let unc = lower.starts_with("\\\\?\\unc\\")
        || (lower.starts_with("\\\\")
            && !lower.starts_with("\\\\?\\")
            && !lower.starts_with("\\\\.\\"));
    if unc {
        return Some(RiskyPlace::NetworkShare);
    }
    lower.split('\\').find_map(|part| {
        SYNCED
            .iter()
            .find(|(start, _)| part.starts_with(start))
            .map(|(_, name)| RiskyPlace::Synced(name))
    })
}

/// The drive letter a Windows path starts with (`H:\…` or `\\?\H:\…`).
fn drive_letter(path: &str) -> Option<char> {
    let rest = path.strip_prefix("\\\\?\\").unwrap_or(path);
    let mut chars = rest.chars();
    match (chars.next(), chars.next()) {
        (Some(d), Some(':')) if d.is_ascii_alphabetic() => Some(d.to_ascii_uppercase()),
        _ => None,
    }
}

#[cfg(windows)]
fn mapped_drive(path: &str) -> Option<RiskyPlace> {
    use windows_sys::Win32::Storage::FileSystem::GetDriveTypeW;
    const DRIVE_REMOTE: u32 = 4;
    let d = drive_letter(path)?;
    let root: Vec<u16> = format!("{d}:\\").encode_utf16().chain([0]).collect();
    // SAFETY: `root` is a NUL-terminated UTF-16 string that outlives the call, which only reads it.
    let kind = unsafe { GetDriveTypeW(root.as_ptr()) };
    (kind == DRIVE_REMOTE).then_some(RiskyPlace::MappedDrive(d))
}

#[cfg(not(windows))]
fn mapped_drive(path: &str) -> Option<RiskyPlace> {
    // Only Windows has drive letters; the letter is still read, so the code is checked here.
    drive_letter(path).and(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn network_shares_by_spelling() {
        for p in [
            r"\\fileserver\panels\walsall.fairpanel-log",
            r"\\?\UNC\fileserver\panels\walsall.fairpanel-log",
            "//fileserver/panels/walsall.fairpanel-log",
        ] {
            assert_eq!(by_spelling(p), Some(RiskyPlace::NetworkShare), "{p}");
        }
    }

    #[test]
    fn synced_folders_by_spelling() {
        assert_eq!(
            by_spelling(r"C:\Users\jo\OneDrive - Walsall Council\Panel\x.fairpanel-log"),
            Some(RiskyPlace::Synced("OneDrive"))
        );
        assert_eq!(
            by_spelling("/home/jo/Dropbox/panel/x.fairpanel-log"),
            Some(RiskyPlace::Synced("Dropbox"))
        );
    }

    #[test]
    fn local_places_are_safe() {
        for p in [
            r"\\?\C:\Users\jo\AppData\Local\fairpanel\data\x.fairpanel-log",
            r"C:\Users\Zoë Ní Bhriain\Panel files\x.fairpanel-log",
            r"\\.\pipe\x",
            "/home/jo/panel files/x.fairpanel-log",
            "x.fairpanel-log",
        ] {
            assert_eq!(by_spelling(p), None, "{p}");
        }
    }

    #[test]
    fn drive_letters() {
        assert_eq!(drive_letter(r"h:\panel\x"), Some('H'));
        assert_eq!(drive_letter(r"\\?\C:\x"), Some('C'));
        assert_eq!(drive_letter("/home/x"), None);
    }

    #[test]
    fn the_warning_says_where_and_what_to_do() {
        let w = RiskyPlace::Synced("OneDrive").warning();
        assert!(w.contains("OneDrive") && w.contains("own disk"), "{w}");
        assert!(
            RiskyPlace::MappedDrive('H')
                .warning()
                .contains("H:, a network drive")
        );
    }
}
