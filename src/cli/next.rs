//! `fairpanel next`: the next meeting's caseload from the log, written atomically, owner-only.

use std::path::Path;

use crate::cli::Failure;
use crate::cli::out::eprint_lines;
use crate::domain::dates::Date;
use crate::io::diag::report_lines;
use crate::io::next::{self, NextError};
use crate::log::store::Store;

pub(super) fn next(log: &Path, date: Date, out: &Path) -> Result<(), Failure> {
    let store = Store::open_reader(log)?;
    let all = store.meetings()?;
    // The meeting it follows: the latest before the date (meetings come sorted by date).
    let before: Vec<_> = all
        .iter()
        .filter(|m| m.meeting_date < date.to_string())
        .collect();
    let Some(last) = before.last() else {
        return Err(Failure::BadInput(format!(
            "{}: the log holds no meeting before {}; open this meeting's caseload with this log first",
            log.display(),
            date.long()
        )));
    };
    let same_day: Vec<_> = before
        .iter()
        .filter(|m| m.meeting_date == last.meeting_date)
        .collect();
    if same_day.len() > 1 {
        return Err(Failure::BadInput(format!(
            "{}: {} panels met on {}; use one log per panel",
            log.display(),
            same_day.len(),
            last.meeting_date
        )));
    }
    refuse_other_meeting(out, date)?;
    let built = next::build(&store, last, date).map_err(|e| match e {
        NextError::Log(e) => Failure::Log(e),
        NextError::Invalid(problems) => {
            eprint_lines(&report_lines(&problems));
            Failure::BadInput(NextError::Invalid(Vec::new()).to_string())
        }
        NextError::Json(e) => Failure::Internal(e.to_string()),
        e @ (NextError::NotAfter { .. } | NextError::NothingYet) => {
            Failure::BadInput(e.to_string())
        }
        NextError::Write { path, source } => {
            Failure::io(&path, "write the next meeting's caseload", source)
        }
    })?;
    eprint_lines(&report_lines(&built.warnings));
    crate::io::files::write_atomic(out, built.text.as_bytes())
        .map_err(|e| Failure::io(out, "write the next meeting's caseload", e))?;
    eprint_lines(&[format!(
        "{}: caseload for the meeting on {} written: {}; carried from the meeting on {}, log entry {}",
        out.display(),
        date.long(),
        built.carried.words(),
        last.meeting_date,
        built
            .caseload
            .carried_from
            .as_ref()
            .map_or(0, |f| f.log_entries),
    )]);
    Ok(())
}

/// `--out` may replace an earlier run's file for the same meeting, never another meeting's
/// caseload (the one the meeting opened, most likely).
fn refuse_other_meeting(out: &Path, date: Date) -> Result<(), Failure> {
    let Ok(text) = std::fs::read_to_string(out) else {
        return Ok(());
    };
    let on = serde_json::from_str::<serde_json::Value>(&text)
        .ok()
        .and_then(|v| {
            v.pointer("/panel/meeting_date")
                .and_then(|d| d.as_str())
                .and_then(Date::parse)
        });
    match on {
        Some(d) if d == date => Ok(()),
        Some(d) => Err(Failure::BadInput(format!(
            "--out {}: holds the caseload of the meeting on {}; write the next meeting's to a new file",
            out.display(),
            d.long()
        ))),
        None => Err(Failure::BadInput(format!(
            "--out {}: the file exists and is not a caseload; choose a new file",
            out.display()
        ))),
    }
}
