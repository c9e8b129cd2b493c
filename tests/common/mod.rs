//! Set-up shared by the log, rule and tally tests (and the log bench): a meeting on the demo
//! panel in a given log, with members marked present through the one way in.
#![allow(dead_code)]

use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::sync::{Mutex, PoisonError};

use fairpanel::domain::caseload::Caseload;
use fairpanel::domain::event::{Attendance, Correction, Entry, Event, Proposal, When};
use fairpanel::domain::meeting::{Meeting, RecordError};
use fairpanel::domain::rules::Hit;
use fairpanel::domain::state::LogState;
use fairpanel::io::caseload;
use fairpanel::io::demo::DEMO_CASELOAD;
use fairpanel::log::{LogError, Session, Store};

/// Runs the fairpanel binary from the project folder (so `fixtures/…` paths work), with its own
/// data folder, and waits for it.
pub fn fairpanel<S: AsRef<std::ffi::OsStr>>(data: &Path, args: &[S]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_fairpanel"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("FAIRPANEL_DATA_DIR", data)
        .args(args)
        .output()
        .expect("the fairpanel binary runs")
}

/// The log timestamp tests record with.
pub const T: &str = "2026-03-12T10:00:00.000Z";

/// A meeting open on a log file: the session that writes it and the meeting it feeds.
pub struct Open {
    pub log: Session,
    pub meeting: Meeting,
}

impl Open {
    /// Through the one way in, `Meeting::record`.
    pub fn record(
        &mut self,
        event: Event,
        correction: Option<(i64, String)>,
        when: When,
        now: String,
    ) -> Result<(Entry, Vec<Hit>), RecordError<LogError>> {
        let p = Proposal {
            event,
            correction: correction.map(|(entry, reason)| Correction { entry, reason }),
            when,
        };
        self.meeting
            .record(&mut self.log, p, now)
            .map(|r| (r.entry, r.warnings))
    }

    pub fn state(&self) -> &LogState {
        self.meeting.state()
    }

    pub fn caseload(&self) -> &Caseload {
        self.meeting.caseload()
    }
}

/// Opens (or resumes) the meeting of `caseload` (its text as stored) in the log at `path`.
pub fn open_session(path: &Path, text: &str) -> Result<Open, LogError> {
    let c = caseload::parse(text).expect("caseload loads").caseload;
    open_caseload(path, c, text)
}

/// The same, for a caseload built by hand (which need not pass every check of a file).
pub fn open_caseload(path: &Path, c: Caseload, text: &str) -> Result<Open, LogError> {
    let (log, meeting) = Session::open(free_writer(path)?, c, text)?;
    Ok(Open { log, meeting })
}

/// Opens (or resumes) the demo panel's meeting in the log at `path`.
pub fn demo_session(path: &Path) -> Open {
    open_session(path, DEMO_CASELOAD).expect("session opens")
}

/// Records every member of the panel as present.
pub fn attend_all(s: &mut Open) {
    let names: Vec<String> = s
        .caseload()
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
                time: None,
            },
            None,
            When::Meeting,
            T.into(),
        )
        .expect("attendance is recorded");
    }
}

/// The first `n` members who can decide.
pub fn deciders(s: &Open, n: usize) -> Vec<String> {
    s.caseload()
        .panel
        .members
        .iter()
        .filter(|m| m.can_decide)
        .map(|m| m.name.clone())
        .take(n)
        .collect()
}

/// Children are spawned one at a time. A child forked while another test of this binary holds a
/// log's writer lock keeps a copy of the lock until it execs, so a test that has just let its
/// lock go could find it still held. `Command::spawn` returns once the child execs, so under one
/// mutex a copy outlives its spawn by a moment at most (see `free_writer`).
static SPAWN: Mutex<()> = Mutex::new(());

pub trait SettledOutput {
    /// As `Command::spawn`, under the mutex.
    fn settled_spawn(&mut self) -> Child;
    /// As `Command::output`, spawned under the mutex.
    fn settled_output(&mut self) -> Output;
}

impl SettledOutput for Command {
    fn settled_spawn(&mut self) -> Child {
        let _one = SPAWN.lock().unwrap_or_else(PoisonError::into_inner);
        self.spawn().expect("the child starts")
    }

    fn settled_output(&mut self) -> Output {
        self.stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .settled_spawn()
            .wait_with_output()
            .expect("the child ends")
    }
}

/// Waits until no child is being spawned.
pub fn forks_settled() {
    drop(SPAWN.lock().unwrap_or_else(PoisonError::into_inner));
}

/// A writer on a log this test expects free: once no child is being spawned, and, should a
/// child spawned a moment ago still hold a copy of a lock this test let go (the kernel wakes the
/// spawning thread in `exec` a little before it closes the child's close-on-exec files), again
/// after a pause, for up to two seconds. A lock really held stays `InUse`.
pub fn free_writer(path: &Path) -> Result<Store, LogError> {
    let until = std::time::Instant::now() + std::time::Duration::from_secs(2);
    loop {
        forks_settled();
        match Store::open_writer(path) {
            Err(LogError::InUse { .. }) if std::time::Instant::now() < until => {
                std::thread::sleep(std::time::Duration::from_millis(5));
            }
            other => return other,
        }
    }
}

/// The arguments of `fairpanel record` for a deferral of `case` between meetings (13 March 2026),
/// on the demo caseload at `caseload`, into the log at `log`.
pub fn deferral_args(log: &Path, caseload: &Path, case: &str) -> Vec<String> {
    [
        "record",
        "--log",
        &log.to_string_lossy(),
        "--caseload",
        &caseload.to_string_lossy(),
        "--case",
        case,
        "--outcome",
        "defer_more_info",
        "--reasons",
        "Awaiting the housing officer's report",
        "--agreed-by",
        "Janet Okafor",
        "--as-of",
        "2026-03-13",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}
