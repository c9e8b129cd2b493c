//! Set-up shared by the log, rule and tally tests (and the log bench): a meeting on the demo
//! panel in a given log, with members marked present through the one way in.
#![allow(dead_code)]

use std::path::Path;

use fairpanel::caseload;
use fairpanel::cli::DEMO_CASELOAD;
use fairpanel::log::event::{Attendance, Event};
use fairpanel::session::{Session, When};
use fairpanel::store::Store;

/// The log timestamp tests record with.
pub const T: &str = "2026-03-12T10:00:00.000Z";

/// Opens (or resumes) the demo panel's meeting in the log at `path`.
pub fn demo_session(path: &Path) -> Session {
    let c = caseload::parse(DEMO_CASELOAD).expect("demo loads").caseload;
    Session::open(
        Store::open_writer(path).expect("log opens"),
        c,
        DEMO_CASELOAD,
        T.into(),
    )
    .expect("session opens")
}

/// Records every member of the panel as present.
pub fn attend_all(s: &mut Session) {
    let names: Vec<String> = s
        .caseload
        .panel
        .members
        .iter()
        .map(|m| m.name.clone())
        .collect();
    for member in names {
        s.record(
            Event::Attendance {
                member,
                status: Attendance::Present,
            },
            None,
            When::Meeting,
            T.into(),
        )
        .expect("attendance is recorded");
    }
}

/// The first `n` members who can decide.
pub fn deciders(s: &Session, n: usize) -> Vec<String> {
    s.caseload
        .panel
        .members
        .iter()
        .filter(|m| m.can_decide)
        .map(|m| m.name.clone())
        .take(n)
        .collect()
}
