//! Keeping a log and forgetting on time: `fairpanel verify` (with `--expect`), `backup` and
//! `purge` (`docs/log.md` sections 8 to 10).

use std::path::Path;

use crate::cli::Failure;
use crate::cli::out::{eprint, eprint_lines, print};
use crate::domain::dates::Date;
use crate::log::purge::PurgePlan;
use crate::log::{LogError, Store};

fn stdout_failed(e: std::io::Error) -> Failure {
    Failure::io(Path::new("standard output"), "write", e)
}

fn today() -> Date {
    Date(chrono::Local::now().date_naive())
}

/// Entry ids as runs: `3-17, 20, 24-25`.
pub fn runs(ids: &[i64]) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < ids.len() {
        let start = ids[i];
        let mut end = start;
        while i + 1 < ids.len() && ids[i + 1] == end + 1 {
            i += 1;
            end = ids[i];
        }
        out.push(if start == end {
            start.to_string()
        } else {
            format!("{start}-{end}")
        });
        i += 1;
    }
    out.join(", ")
}

/// A head hash as typed: 64 hex characters (either case).
fn parse_head(s: &str) -> Result<String, Failure> {
    let h = s.trim().to_ascii_lowercase();
    if h.len() == 64 && h.bytes().all(|b| b.is_ascii_hexdigit()) {
        Ok(h)
    } else {
        Err(Failure::BadInput(
            "--expect: not a head hash; give the 64 characters (0-9, a-f) the minutes print as their head hash".to_owned(),
        ))
    }
}

pub(super) fn verify(log: &Path, expect: Option<&str>) -> Result<(), Failure> {
    let expect = expect.map(parse_head).transpose()?;
    let store = Store::open_reader(log)?;
    let v = match &expect {
        Some(h) => store.verify_expecting(h)?,
        None => store.verify()?,
    };
    if let Some(h) = &expect {
        let Some(at) = v.expected_at else {
            return Err(LogError::Damaged {
                path: log.to_owned(),
                why: format!(
                    "it does not hold the head expected ({h}): it holds {} entries, head {}, so entries that were in it when that head was printed have been removed or replaced",
                    v.entries, v.head
                ),
            }
            .into());
        };
        let since = v.entries as i64 - at;
        eprint(if since == 0 {
            format!(
                "The head expected is the log's head: entry {at}; nothing has been removed or added since."
            )
        } else {
            format!(
                "The head expected is entry {at}: the log still holds every entry up to it, and {since} {} written since.",
                if since == 1 {
                    "entry was"
                } else {
                    "entries were"
                }
            )
        });
    }
    print(format!("{} entries, head {}", v.entries, v.head)).map_err(stdout_failed)?;
    if !v.purged.is_empty() {
        print(format!(
            "personal data removed (past its retention date) from {} {}: {} stored parts",
            if v.purged.len() == 1 {
                "entry"
            } else {
                "entries"
            },
            runs(&v.purged),
            v.removed
        ))
        .map_err(stdout_failed)?;
    }
    Ok(())
}

pub(super) fn backup(log: &Path, out: &Path) -> Result<(), Failure> {
    let b = crate::log::backup::backup(log, out, today())?;
    eprint(format!(
        "Backup of {} written and verified: {} entries, head {}. It holds the pupils' personal data as the log does: keep it owner-only, on an encrypted disk; a later purge does not reach it.",
        log.display(),
        b.verified.entries,
        b.verified.head
    ));
    print(b.path.display().to_string()).map_err(stdout_failed)
}

fn plan_lines(plan: &PurgePlan) -> Vec<String> {
    plan.due
        .iter()
        .map(|c| {
            format!(
                "{}: closed {} ({}); {} stored {}",
                c.case_ref,
                c.closed_on.long(),
                c.outcome.label(),
                c.parts.len(),
                if c.parts.len() == 1 { "part" } else { "parts" }
            )
        })
        .collect()
}

/// One line per open case left quiet since before the cut-off (the dry run lists them).
fn stale_lines(plan: &PurgePlan) -> Vec<String> {
    plan.stale
        .iter()
        .map(|(r, last)| {
            format!(
                "{r}: still open, nothing recorded since {}: kept",
                last.long()
            )
        })
        .collect()
}

/// The same in one note (a purge).
fn stale_note(plan: &PurgePlan) -> Vec<String> {
    let n = plan.stale.len();
    if n == 0 {
        return Vec::new();
    }
    let mut refs: Vec<&str> = plan.stale.iter().take(5).map(|(r, _)| r.as_str()).collect();
    if n > 5 {
        refs.push("…");
    }
    vec![format!(
        "note: {n} open {} nothing recorded since before {} ({}): {} kept; if a case is over, record that it was withdrawn and a later purge removes its data (--dry-run lists them all)",
        if n == 1 { "case has" } else { "cases have" },
        plan.before.long(),
        refs.join(", "),
        if n == 1 {
            "its data is"
        } else {
            "their data is"
        }
    )]
}

pub(super) fn purge(log: &Path, before: Date, dry_run: bool) -> Result<(), Failure> {
    if before > today() {
        return Err(Failure::BadInput(format!(
            "--before: {before} is after today; give the day before which closed cases' personal data goes (today minus the retention period, docs/log.md)"
        )));
    }
    if !log.exists() {
        return Err(LogError::NotFound {
            path: log.to_owned(),
        }
        .into());
    }
    if dry_run {
        let store = Store::open_reader(log)?;
        store.verify()?;
        let plan = store.purge_plan(before)?;
        for l in plan_lines(&plan).into_iter().chain(stale_lines(&plan)) {
            print(l).map_err(stdout_failed)?;
        }
        eprint(format!(
            "Dry run: the personal data of {} {} closed before {} ({} stored parts) would be removed; {} already removed; {} kept. Nothing was changed.",
            plan.due.len(),
            if plan.due.len() == 1 { "case" } else { "cases" },
            before.long(),
            plan.parts(),
            plan.already,
            plan.kept + plan.stale.len()
        ));
        return Ok(());
    }
    let mut store = Store::open_writer(log)?;
    // Nothing is removed from a log that does not verify whole.
    let was = store.verify()?;
    let plan = store.purge_plan(before)?;
    eprint_lines(&stale_note(&plan));
    if plan.due.is_empty() {
        eprint(format!(
            "No personal data to remove: no case closed before {} still holds any ({} already removed, {} kept).",
            before.long(),
            plan.already,
            plan.kept + plan.stale.len()
        ));
        return Ok(());
    }
    let done = store.purge(&plan)?;
    let v = store.verify()?;
    for l in plan_lines(&plan) {
        print(l).map_err(stdout_failed)?;
    }
    eprint_lines(&[
        format!(
            "Removed the personal data of {} {} closed before {}: {} stored parts, erased from the file (now {} KB, was {} KB). The log verifies: {} entries, head {}{}; entries whose data went: {}.",
            plan.due.len(),
            if plan.due.len() == 1 { "case" } else { "cases" },
            before.long(),
            done.parts,
            done.size_after / 1024,
            done.size_before / 1024,
            v.entries,
            v.head,
            if (v.entries, &v.head) == (was.entries, &was.head) {
                " (as before)"
            } else {
                ""
            },
            runs(&v.purged)
        ),
        "warning: backups of this log taken before now still hold this data: purge each backup you keep too (fairpanel purge --log BACKUP --before the same day), or delete them when their own time is up".to_owned(),
    ]);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entry_ids_read_as_runs() {
        assert_eq!(runs(&[]), "");
        assert_eq!(runs(&[4]), "4");
        assert_eq!(runs(&[3, 4, 5, 9, 11, 12]), "3-5, 9, 11-12");
    }

    #[test]
    fn a_head_must_be_64_hex_characters() {
        assert!(parse_head(&"A".repeat(64)).is_ok());
        assert!(parse_head(&"a".repeat(63)).is_err());
        assert!(parse_head(&"g".repeat(64)).is_err());
    }
}
