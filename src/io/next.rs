//! `fairpanel next`: the next meeting's caseload from a log, as it stands. Reads the meeting's
//! caseload as the log holds it and every entry up to the log's verified head, carries the
//! cases through `domain::carry`, and checks the result as `fairpanel check` would. `build`
//! writes nothing (the CLI writes its `--out`); `write_beside` writes the screen's file beside
//! the log. Both write atomically, owner-only.

use crate::domain::carry::{Carried, next_caseload};
use crate::domain::caseload::{CarriedFrom, Caseload, checks};
use crate::domain::dates::Date;
use crate::domain::meeting::Meeting;
use crate::domain::problem::{Problem, Severity};
use std::path::{Path, PathBuf};

use crate::domain::state::Here;
use crate::log::store::{MeetingRow, Store};
use crate::log::{LogError, MeetingKey};

/// The next meeting's caseload as JSON text, what was carried, and the checks' warnings.
#[derive(Debug, Clone)]
pub struct Next {
    pub caseload: Caseload,
    pub text: String,
    pub carried: Carried,
    pub warnings: Vec<Problem>,
}

#[derive(Debug, thiserror::Error)]
pub enum NextError {
    #[error(transparent)]
    Log(#[from] LogError),
    /// The next meeting's date is not after the meeting it follows.
    #[error(
        "--meeting: {next} is not after the meeting it follows ({after}); give the next meeting's date"
    )]
    NotAfter { next: Date, after: Date },
    /// The carried caseload does not pass the checks (e.g. the calendar does not reach the date).
    #[error("the next meeting's caseload does not pass the caseload checks; nothing was written")]
    Invalid(Vec<Problem>),
    #[error("could not write the caseload as JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// The meeting has nothing in the log yet.
    #[error("nothing has been recorded at this meeting yet: record attendance first")]
    NothingYet,
    #[error("{}: cannot write the next meeting's caseload: {source}; check the folder", .path.display())]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// Builds the next meeting's caseload from the log at `log` for the meeting `key`, and writes
/// it into `out_dir` as `caseload-PANEL-DATE.json` (atomically, owner-only): the screen's way to
/// `fairpanel next`. Returns the path and what was built.
pub fn write_beside(
    log: &Path,
    key: &MeetingKey,
    date: Date,
    out_dir: &Path,
) -> Result<(PathBuf, Next), NextError> {
    let store = Store::open_reader(log)?;
    let meeting = store.find_meeting(key)?.ok_or(NextError::NothingYet)?;
    let next = build(&store, &meeting, date)?;
    let write = |e: std::io::Error| NextError::Write {
        path: out_dir.to_owned(),
        source: e,
    };
    crate::log::store::create_private_dir(out_dir).map_err(write)?;
    let path = out_dir.join(crate::io::files::name_for(
        "caseload",
        &meeting.panel_id,
        &date.to_string(),
    ));
    crate::io::files::write_atomic(&path, next.text.as_bytes()).map_err(|e| NextError::Write {
        path: path.clone(),
        source: e,
    })?;
    Ok((path, next))
}

/// Builds the caseload of the meeting after `meeting` (a row of `store`), on `date`.
pub fn build(store: &Store, meeting: &MeetingRow, date: Date) -> Result<Next, NextError> {
    let verified = store.verify()?;
    let head_id = verified.entries as i64;
    let (_, latest) = crate::io::minutes::revisions(store, meeting, head_id)?;
    let caseload = latest.caseload;
    let after = caseload.panel.meeting_date;
    if date <= after {
        return Err(NextError::NotAfter { next: date, after });
    }
    // Everything about the meeting's cases up to the next meeting's day (decisions taken
    // between meetings included), its own entries, and the year's placements.
    let history = store.history_until(&caseload, None, Some(meeting.id), date, head_id)?;
    let m = Meeting::resume(caseload, Here::Meeting(meeting.id), history);
    let (mut next, carried) = next_caseload(&m, date);
    next.carried_from = Some(CarriedFrom {
        meeting_date: after,
        caseload_sha256: latest.file_sha256,
        log_entries: head_id,
        log_head: verified.head.clone(),
    });
    let problems: Vec<Problem> = checks::check(&next)
        .into_iter()
        .map(|f| f.problem)
        .collect();
    if problems.iter().any(|p| p.severity == Severity::Error) {
        return Err(NextError::Invalid(problems));
    }
    let text = format!("{}\n", serde_json::to_string_pretty(&next)?);
    Ok(Next {
        caseload: next,
        text,
        carried,
        warnings: problems,
    })
}
