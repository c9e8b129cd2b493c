//! `fairpanel history` and `minutes`: readers of a log, which never change it.

use std::path::Path;

use crate::cli::out::{eprint_lines, print, print_document, print_json};
use crate::cli::{Failure, MinutesFormat};
use crate::domain::dates::Date;
use crate::io::minutes;
use crate::log::Store;

fn stdout_failed(e: std::io::Error) -> Failure {
    Failure::io(Path::new("standard output"), "write", e)
}

pub(super) fn history(log: &Path, case_ref: &str) -> Result<(), Failure> {
    let store = Store::open_reader(log)?;
    let story = crate::io::history::story(&store, case_ref)?.ok_or_else(|| {
        Failure::BadInput(format!(
            "--case: the log {} holds no case with this reference; check the reference",
            log.display()
        ))
    })?;
    for l in story.text() {
        print(l).map_err(stdout_failed)?;
    }
    Ok(())
}

pub(super) fn minutes(
    log: &Path,
    meeting: Option<Date>,
    format: MinutesFormat,
    out: Option<&Path>,
    with_names: bool,
) -> Result<(), Failure> {
    if format == MinutesFormat::Docx && out.is_none() {
        return Err(Failure::BadInput(
            "--format docx: a Word document is a file, not text for the terminal; add --out FILE.docx".to_owned(),
        ));
    }
    let store = Store::open_reader(log)?;
    let all = store.meetings()?;
    let wanted = match meeting {
        Some(d) => d.to_string(),
        // The latest meeting (meetings come sorted by date).
        None => match all.last() {
            Some(m) => m.meeting_date.clone(),
            None => {
                return Err(Failure::BadInput(format!(
                    "{}: the log holds no meeting yet; open the meeting's caseload with this log first",
                    log.display()
                )));
            }
        },
    };
    let matching: Vec<_> = all.iter().filter(|m| m.meeting_date == wanted).collect();
    let [row] = matching.as_slice() else {
        let listed: Vec<String> = all
            .iter()
            .map(|m| format!("{} ({})", m.meeting_date, m.panel_id))
            .collect();
        let what = if matching.is_empty() {
            format!("no meeting on {wanted}")
        } else {
            format!("{} meetings on {wanted} (one per panel)", matching.len())
        };
        return Err(Failure::BadInput(format!(
            "--meeting: {what} in {}; the log has meetings on: {}",
            log.display(),
            if listed.is_empty() {
                "none".to_owned()
            } else {
                listed.join(", ")
            }
        )));
    };
    let built = minutes::build(&store, row, with_names)?;
    let bytes = match format {
        MinutesFormat::Md => crate::io::minutes_text::to_markdown(&built).into_bytes(),
        MinutesFormat::Html => crate::io::minutes_text::to_html(&built).into_bytes(),
        MinutesFormat::Json => minutes::to_json(&built)?.into_bytes(),
        MinutesFormat::Docx => crate::io::minutes_text::to_docx(&built)
            .map_err(|e| Failure::Internal(format!("could not lay out the Word minutes: {e}")))?,
    };
    let mut notes = Vec::new();
    for at in &built.withheld {
        notes.push(format!(
            "warning: {at}: withheld from the minutes because it names a pupil (kept out of the minutes: UK GDPR data minimisation); the log keeps it"
        ));
    }
    if with_names {
        notes.push(format!(
            "warning: these minutes are the LA's internal copy: they contain pupil names, dates of birth and UPNs (personal data); keep them {}, do not circulate",
            if out.is_some() {
                "owner-only"
            } else {
                "out of shared folders"
            }
        ));
    }
    eprint_lines(&notes);
    let text = || String::from_utf8_lossy(&bytes).into_owned();
    match out {
        None if format == MinutesFormat::Json => print_json(&text()).map_err(stdout_failed),
        None => print_document(&text()).map_err(stdout_failed),
        Some(path) => {
            crate::io::files::write_atomic(path, &bytes)
                .map_err(|e| Failure::io(path, "write the minutes", e))?;
            eprint_lines(&[format!(
                "{}: minutes of {} ({}) written: {} cases considered, head {}",
                path.display(),
                row.meeting_date,
                row.panel_id,
                built.cases_considered.len(),
                built.head_hash
            )]);
            Ok(())
        }
    }
}
