//! `fairpanel [CASELOAD]`: the triage screen over a meeting and its log.

use std::path::Path;

use crate::app::{App, Source};
use crate::cli::Failure;
use crate::domain::meeting::Meeting;
use crate::io::caseload::{self as load, Loaded};
use crate::io::demo::DEMO_CASELOAD;
use crate::log::store;
use crate::log::{MeetingKey, Session, Store, now_utc};
use crate::runtime::{self, Host};

/// Opens the meeting's log for writing: `--log`, else the panel's default (the demo's own log
/// for the demo, never a real panel's). `only_case`: read the earlier history of that case
/// alone (one decision's worth).
pub(super) fn open_session(
    loaded: Loaded,
    text: &str,
    log: Option<&Path>,
    demo: bool,
    only_case: Option<&str>,
) -> Result<(Session, Meeting), Failure> {
    let path = match log {
        Some(p) => p.to_owned(),
        None => store::default_log_path(&loaded.caseload.panel.id, demo).ok_or_else(|| {
            Failure::BadInput(
                "no data folder could be found for the decision log; set FAIRPANEL_DATA_DIR or pass --log"
                    .to_owned(),
            )
        })?,
    };
    if let Some(place) = crate::log::place::risky_place(&path) {
        crate::cli::out::eprint(place.warning());
    }
    let mut store = Store::open_writer(&path)?;
    if only_case.is_some() {
        // One decision and out (`fairpanel record`): its commit is synced; copying the journal
        // into the file on the way out is left to the next writer (docs/log.md section 5).
        store.leave_journal_on_close()?;
    }
    if demo {
        // The demo opens on a panel in its year: its log begins with an earlier meeting.
        store = crate::io::demo::seed(store).map_err(|e| match e {
            crate::io::demo::SeedError::Log(e) => Failure::from(e),
            e @ crate::io::demo::SeedError::Invalid(_) => Failure::Internal(e.to_string()),
        })?;
    }
    Ok(match only_case {
        Some(r) => Session::open_for_case(store, loaded.caseload, text, r)?,
        None => Session::open(store, loaded.caseload, text)?,
    })
}

pub(super) fn open(path: Option<&Path>, log: Option<&Path>, ascii: bool) -> Result<(), Failure> {
    let (loaded, source, text) = match path {
        Some(p) => {
            let (l, text) = load::open(p)?;
            (l, Source::File(p.display().to_string()), text)
        }
        None => match crate::io::demo::load() {
            Ok(l) => (l, Source::Demo, DEMO_CASELOAD.to_owned()),
            Err(problems) => {
                crate::cli::out::eprint_lines(&crate::io::diag::report_lines(&problems));
                return Err(Failure::Internal(
                    "the embedded demo caseload is invalid".to_owned(),
                ));
            }
        },
    };
    let warnings = loaded.warnings.len();
    let demo = source == Source::Demo;
    let (session, meeting) = open_session(loaded, &text, log, demo, None)?;
    let key = MeetingKey {
        panel: meeting.caseload().panel.id.clone(),
        date: meeting.meeting_date().to_string(),
    };
    let log_path = session.path().to_owned();
    let mut app = App::new(meeting, source)
        .with_color(std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()))
        .with_ascii(crate::ui::glyphs::ascii_wanted(
            ascii,
            |k| std::env::var(k).ok(),
            cfg!(windows),
        ));
    if let Some(place) = crate::log::place::risky_place(&log_path) {
        app = app.with_status(place.warning());
    } else if warnings > 0 {
        app = app.with_status(format!(
            "Loaded with {warnings} warning{}: run `fairpanel check` on the file to list them",
            if warnings == 1 { "" } else { "s" }
        ));
    }
    let host = Host::new(session, now_utc).with_minutes(log_path, key);
    runtime::run(app, host).map_err(|e| {
        Failure::Internal(format!(
            "the terminal failed: {e} (an unusual terminal can cause this too)"
        ))
    })
}
