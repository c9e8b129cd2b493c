//! The command line (cli.md): parse, run, map outcomes to exit codes. Problems go to stderr, one
//! per line; results to stdout.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::app::{App, Source};
use crate::caseload::model::{CaseKind, Caseload};
use crate::caseload::{self, Loaded, OpenError};
use crate::dates::Date;
use crate::diag::{Problem, Severity, report_lines};
use crate::log::event::{Decision, Event, Outcome};
use crate::session::{RecordError, Session, When, now_utc};
use crate::store::{self, Store, StoreError};
use crate::text::escape;

/// The embedded demo panel: real Walsall schools, invented pupils.
pub const DEMO_CASELOAD: &str = include_str!("../fixtures/demo-walsall.json");

/// cli.md exit codes.
pub mod exit {
    pub const OK: u8 = 0;
    pub const INTERNAL: u8 = 1;
    pub const BAD_INPUT: u8 = 2;
    pub const LOG_IN_USE: u8 = 3;
    pub const REFUSED: u8 = 4;
    pub const LOG_DAMAGED: u8 = 5;
}

fn parse_date(s: &str) -> Result<Date, String> {
    Date::parse(s).ok_or_else(|| crate::dates::BAD_DATE.to_owned())
}

#[derive(Debug, Parser)]
#[command(
    name = "fairpanel",
    version,
    about = "Triage for In-Year Fair Access and allocation panels",
    long_about = "Opens a panel's caseload on a keyboard-driven triage screen. Without CASELOAD it opens the embedded demo panel (real Walsall schools, invented pupils).",
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    /// Caseload file (JSON, format fairpanel-caseload/1); omit for the demo panel
    pub caseload: Option<PathBuf>,
    /// Decision log (SQLite); default: one per panel in the fairpanel data folder
    #[arg(long)]
    pub log: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate a caseload without opening the screen
    Check {
        /// Caseload file to check
        caseload: PathBuf,
    },
    /// Record one decision taken between meetings, through the same rules as the screen
    Record(RecordArgs),
    /// Write the minutes of a meeting as JSON, built from the log alone (no pupil names unless
    /// --with-names)
    Minutes {
        /// The decision log
        #[arg(long)]
        log: PathBuf,
        /// The meeting's date, YYYY-MM-DD; default the latest meeting in the log
        #[arg(long, value_parser = parse_date)]
        meeting: Option<Date>,
        /// Write to this file (atomically, owner-only) instead of stdout
        #[arg(long)]
        out: Option<PathBuf>,
        /// The LA's internal copy: include pupil names, dates of birth and UPNs (personal data)
        #[arg(long)]
        with_names: bool,
    },
    /// Walk the log's hash chain: entry count and head hash, or the first entry that fails
    Verify {
        /// The decision log
        #[arg(long)]
        log: PathBuf,
    },
    /// Schools from DfE Get Information About Schools (GIAS)
    Schools {
        #[command(subcommand)]
        command: SchoolsCommand,
    },
}

#[derive(Debug, clap::Args)]
pub struct RecordArgs {
    /// The decision log
    #[arg(long)]
    pub log: PathBuf,
    /// The caseload the case is in
    #[arg(long)]
    pub caseload: PathBuf,
    /// Case reference
    #[arg(long = "case")]
    pub case_ref: String,
    /// Outcome, spelled as in domain.md §6
    #[arg(long, value_enum)]
    pub outcome: Outcome,
    /// School or provision URN
    #[arg(long)]
    pub urn: Option<u32>,
    /// Start date, YYYY-MM-DD
    #[arg(long, value_parser = parse_date)]
    pub start: Option<Date>,
    /// Review date, YYYY-MM-DD
    #[arg(long, value_parser = parse_date)]
    pub review: Option<Date>,
    /// Support package and conditions
    #[arg(long)]
    pub package: Option<String>,
    /// The package includes a reduced timetable (a review date is then required)
    #[arg(long)]
    pub reduced_timetable: bool,
    /// Reasons, as they will stand in the minutes (no pupil names)
    #[arg(long)]
    pub reasons: String,
    /// A member who agreed (repeat for each); at least one must be able to decide
    #[arg(long = "agreed-by", required = true)]
    pub agreed_by: Vec<String>,
    /// A member who dissented (repeat for each)
    #[arg(long)]
    pub dissent: Vec<String>,
    /// Correct (supersede) this earlier decision entry
    #[arg(long, requires = "correction_reason")]
    pub corrects: Option<i64>,
    /// Why the earlier decision is corrected
    #[arg(long)]
    pub correction_reason: Option<String>,
    /// Why the panel goes ahead despite a warning that needs a reason (fair share, local bar)
    #[arg(long)]
    pub override_reason: Option<String>,
    /// The date the decision was taken; default today
    #[arg(long, value_parser = parse_date)]
    pub as_of: Option<Date>,
}

#[derive(Debug, Subcommand)]
pub enum SchoolsCommand {
    /// Read a GIAS establishment extract (CSV, UTF-8 or Windows-1252): the LA's open schools
    Import {
        /// The GIAS CSV file
        csv: PathBuf,
        /// DfE three-digit LA code, e.g. 335 for Walsall
        #[arg(long)]
        la: u16,
        /// Merge into this caseload by URN (written atomically) instead of printing JSON
        #[arg(long)]
        into: Option<PathBuf>,
    },
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let code = match cli.command {
        Some(Command::Check { caseload }) => check(&caseload),
        Some(Command::Record(args)) => record(&args),
        Some(Command::Verify { log }) => verify(&log),
        Some(Command::Minutes {
            log,
            meeting,
            out,
            with_names,
        }) => minutes(&log, meeting, out.as_deref(), with_names),
        Some(Command::Schools {
            command: SchoolsCommand::Import { csv, la, into },
        }) => import_schools(&csv, la, into.as_deref()),
        None => open(cli.caseload.as_deref(), cli.log.as_deref()),
    };
    ExitCode::from(code)
}

fn eprint_lines(lines: &[String]) {
    let mut err = std::io::stderr().lock();
    for l in lines {
        let _ = writeln!(err, "{l}");
    }
}

fn shown(path: &Path) -> String {
    escape(&path.display().to_string()).into_owned()
}

/// Reads a caseload, printing every problem; `None` when it cannot be used.
fn load(path: &Path) -> Option<Loaded> {
    load_with_text(path).map(|(l, _)| l)
}

/// Reads a caseload once, printing every problem; the text is what the log stores.
fn load_with_text(path: &Path) -> Option<(Loaded, String)> {
    match caseload::open_with_text(path) {
        Ok(l) => Some(l),
        Err(OpenError::Io(msg)) => {
            eprint_lines(&[msg]);
            None
        }
        Err(OpenError::Invalid(problems)) => {
            eprint_lines(&report_lines(&problems));
            eprint_lines(&[summary_of_problems(path, &problems)]);
            None
        }
    }
}

fn summary_of_problems(path: &Path, problems: &[Problem]) -> String {
    let errors = problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .count();
    let warnings = problems.len() - errors;
    format!(
        "{}: {errors} error{}, {warnings} warning{}: nothing was loaded; fix the errors above and try again",
        shown(path),
        if errors == 1 { "" } else { "s" },
        if warnings == 1 { "" } else { "s" },
    )
}

/// One line: cases by kind, schools, free places.
pub fn summary(c: &Caseload) -> String {
    let kinds: Vec<String> = CaseKind::ALL
        .iter()
        .map(|k| {
            let n = c.cases.iter().filter(|x| x.kind == *k).count();
            format!("{n} {}", k.label())
        })
        .collect();
    let free: i64 = c
        .places
        .iter()
        .flat_map(|p| p.pools.iter().map(|x| x.free()))
        .sum();
    format!(
        "{} cases ({}), {} schools, {free} free places in {} provisions",
        c.cases.len(),
        kinds.join(", "),
        c.schools.len(),
        c.places.len()
    )
}

fn check(path: &Path) -> u8 {
    let Some(loaded) = load(path) else {
        return exit::BAD_INPUT;
    };
    eprint_lines(&report_lines(&loaded.warnings));
    let w = loaded.warnings.len();
    let warn = if w == 0 {
        String::new()
    } else {
        format!("; {w} warning{}", if w == 1 { "" } else { "s" })
    };
    println!("{}: ok: {}{warn}", shown(path), summary(&loaded.caseload));
    exit::OK
}

/// Exit code and message for a log that cannot be used.
fn store_failure(e: &StoreError) -> u8 {
    eprint_lines(&[e.to_string()]);
    match e {
        StoreError::InUse(_) => exit::LOG_IN_USE,
        StoreError::Damaged(_) => exit::LOG_DAMAGED,
        StoreError::NotFound(_) | StoreError::WrongPanel(_) => exit::BAD_INPUT,
        StoreError::Io(_) => exit::INTERNAL,
    }
}

/// Opens the meeting's log for writing: `--log`, else the panel's default (the demo's own log
/// for the demo, never a real panel's).
fn open_session(loaded: Loaded, text: &str, log: Option<&Path>, demo: bool) -> Result<Session, u8> {
    let path = match log {
        Some(p) => p.to_owned(),
        None => match store::default_log_path(&loaded.caseload.panel.id, demo) {
            Some(p) => p,
            None => {
                eprint_lines(&["no data folder could be found for the decision log; set FAIRPANEL_DATA_DIR or pass --log".to_owned()]);
                return Err(exit::BAD_INPUT);
            }
        },
    };
    let store = Store::open_writer(&path).map_err(|e| store_failure(&e))?;
    Session::open(store, loaded.caseload, text, now_utc()).map_err(|e| store_failure(&e))
}

fn open(path: Option<&Path>, log: Option<&Path>) -> u8 {
    let (loaded, source, text) = match path {
        Some(p) => {
            let Some((l, text)) = load_with_text(p) else {
                return exit::BAD_INPUT;
            };
            (l, Source::File(shown(p)), text)
        }
        None => match caseload::parse(DEMO_CASELOAD) {
            Ok(l) => (l, Source::Demo, DEMO_CASELOAD.to_owned()),
            Err(problems) => {
                eprint_lines(&report_lines(&problems));
                eprint_lines(&["internal error: the embedded demo caseload is invalid; this is a bug in this build of fairpanel, please report it".to_owned()]);
                return exit::INTERNAL;
            }
        },
    };
    let warnings = loaded.warnings.len();
    let session = match open_session(loaded, &text, log, source == Source::Demo) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let mut app = App::with_session(session, source);
    app.color = std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    if warnings > 0 {
        app.status = format!(
            "Loaded with {warnings} warning{}: run `fairpanel check` on the file to list them",
            if warnings == 1 { "" } else { "s" }
        );
    }
    match crate::runtime::run(app) {
        Ok(()) => exit::OK,
        Err(e) => {
            eprint_lines(&[format!(
                "internal error: the terminal failed: {e}; this is a bug or an unusual terminal, please report it"
            )]);
            exit::INTERNAL
        }
    }
}

fn record(a: &RecordArgs) -> u8 {
    let Some((loaded, text)) = load_with_text(&a.caseload) else {
        return exit::BAD_INPUT;
    };
    if !loaded
        .caseload
        .cases
        .iter()
        .any(|c| c.reference == a.case_ref)
    {
        eprint_lines(&[format!(
            "--case: no case with this reference in {}; check the reference",
            shown(&a.caseload)
        )]);
        return exit::BAD_INPUT;
    }
    let as_of = a
        .as_of
        .unwrap_or_else(|| Date(chrono::Local::now().date_naive()));
    if !crate::calendar::SchoolCalendar::new(&loaded.caseload.calendar).covers(as_of) {
        eprint_lines(&[format!(
            "--as-of: {as_of} is outside the school calendar of {}; add the terms that cover it, or give --as-of",
            shown(&a.caseload)
        )]);
        return exit::BAD_INPUT;
    }
    let mut session = match open_session(loaded, &text, Some(&a.log), false) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let decision = Decision {
        case_ref: a.case_ref.clone(),
        outcome: a.outcome,
        urn: a.urn,
        year_group: None,
        start_date: a.start,
        package: a.package.clone(),
        reduced_timetable: a.reduced_timetable,
        review_date: a.review,
        reasons: a.reasons.clone(),
        agreed_by: a.agreed_by.clone(),
        dissent: a.dissent.clone(),
        outside_meeting: true,
        decided_on: None,
        override_reason: a.override_reason.clone(),
        options_considered: Vec::new(),
    };
    let correction = a
        .corrects
        .map(|id| (id, a.correction_reason.clone().unwrap_or_default()));
    match session.record(
        Event::Decision(decision),
        correction,
        When::Between(as_of),
        now_utc(),
    ) {
        Ok((entry, warnings)) => {
            eprint_lines(&warnings.iter().map(|h| h.line()).collect::<Vec<_>>());
            println!("{} {}", entry.id, entry.hash);
            exit::OK
        }
        Err(RecordError::Refused(hits)) => {
            eprint_lines(&hits.iter().map(|h| h.line()).collect::<Vec<_>>());
            eprint_lines(&["nothing was written".to_owned()]);
            exit::REFUSED
        }
        Err(RecordError::Store(e)) => store_failure(&e),
    }
}

fn verify(log: &Path) -> u8 {
    let result = Store::open_reader(log).and_then(|s| s.verify());
    match result {
        Ok(v) => {
            println!("{} entries, head {}", v.entries, v.head);
            exit::OK
        }
        Err(e) => store_failure(&e),
    }
}

fn minutes(log: &Path, meeting: Option<Date>, out: Option<&Path>, with_names: bool) -> u8 {
    let store = match Store::open_reader(log) {
        Ok(s) => s,
        Err(e) => return store_failure(&e),
    };
    let all = match store.find_meeting(None, None) {
        Ok(m) => m,
        Err(e) => return store_failure(&e),
    };
    let wanted = match meeting {
        Some(d) => d.to_string(),
        // The latest meeting (meetings come sorted by date).
        None => match all.last() {
            Some(m) => m.meeting_date.clone(),
            None => {
                eprint_lines(&[format!(
                    "{}: the log holds no meeting yet; open the meeting's caseload with this log first",
                    shown(log)
                )]);
                return exit::BAD_INPUT;
            }
        },
    };
    let matching: Vec<_> = all.iter().filter(|m| m.meeting_date == wanted).collect();
    let [row] = matching.as_slice() else {
        let listed: Vec<String> = all
            .iter()
            .map(|m| format!("{} ({})", escape(&m.meeting_date), escape(&m.panel_id)))
            .collect();
        let what = if matching.is_empty() {
            format!("no meeting on {}", escape(&wanted))
        } else {
            format!(
                "{} meetings on {} (one per panel)",
                matching.len(),
                escape(&wanted)
            )
        };
        eprint_lines(&[format!(
            "--meeting: {what} in {}; the log has meetings on: {}",
            shown(log),
            if listed.is_empty() {
                "none".to_owned()
            } else {
                listed.join(", ")
            }
        )]);
        return exit::BAD_INPUT;
    };
    let built = match crate::minutes::build(&store, row, with_names) {
        Ok(m) => m,
        Err(e) => return store_failure(&e),
    };
    let json = match crate::minutes::to_json(&built) {
        Ok(j) => j,
        Err(msg) => {
            eprint_lines(&[msg]);
            return exit::INTERNAL;
        }
    };
    let mut notes = Vec::new();
    for at in &built.withheld {
        notes.push(format!(
            "warning: {at}: withheld from the minutes because it names a pupil (domain.md §6 rule 13); the log keeps it"
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
    match out {
        None => {
            let mut stdout = std::io::stdout().lock();
            if let Err(e) = stdout
                .write_all(json.as_bytes())
                .and_then(|()| stdout.flush())
            {
                eprint_lines(&[format!("cannot write the minutes to standard output: {e}")]);
                return exit::INTERNAL;
            }
        }
        Some(path) => {
            if let Err(e) = crate::files::write_atomic(path, json.as_bytes()) {
                eprint_lines(&[format!(
                    "{}: cannot write the minutes: {e}; check the folder",
                    shown(path)
                )]);
                return exit::BAD_INPUT;
            }
            eprint_lines(&[format!(
                "{}: minutes of {} ({}) written: {} cases considered, head {}",
                shown(path),
                escape(&row.meeting_date),
                escape(&row.panel_id),
                built.cases_considered.len(),
                built.head_hash
            )]);
        }
    }
    exit::OK
}

fn import_schools(csv: &Path, la: u16, into: Option<&Path>) -> u8 {
    let bytes = match std::fs::read(csv) {
        Ok(b) => b,
        Err(e) => {
            eprint_lines(&[format!(
                "{}: cannot read the CSV: {e}; check the path",
                shown(csv)
            )]);
            return exit::BAD_INPUT;
        }
    };
    let prefixed = |problems: &[Problem]| -> Vec<String> {
        report_lines(problems)
            .into_iter()
            .map(|l| format!("{}: {l}", shown(csv)))
            .collect()
    };
    let import = match crate::gias::read_extract(&bytes, la) {
        Ok(i) => i,
        Err(problems) => {
            eprint_lines(&prefixed(&problems));
            eprint_lines(&[format!(
                "{}: nothing was imported; fix the problems above and try again",
                shown(csv)
            )]);
            return exit::BAD_INPUT;
        }
    };
    eprint_lines(&prefixed(&import.warnings));
    let Some(target) = into else {
        return match serde_json::to_string_pretty(&import.schools) {
            Ok(json) => {
                println!("{json}");
                exit::OK
            }
            Err(e) => {
                eprint_lines(&[format!(
                    "internal error: could not write the schools as JSON: {e}; please report it"
                )]);
                exit::INTERNAL
            }
        };
    };
    let Some(mut loaded) = load(target) else {
        return exit::BAD_INPUT;
    };
    let report = crate::gias::merge(&mut loaded.caseload, import.schools);
    // The merged caseload must pass every check before it replaces the file.
    let text = match serde_json::to_string_pretty(&loaded.caseload) {
        Ok(t) => t + "\n",
        Err(e) => {
            eprint_lines(&[format!(
                "internal error: could not write the caseload as JSON: {e}; please report it"
            )]);
            return exit::INTERNAL;
        }
    };
    if let Err(problems) = caseload::parse(&text) {
        eprint_lines(&report_lines(&problems));
        eprint_lines(&[format!(
            "{}: the merged caseload would not be valid, so it was not written",
            shown(target)
        )]);
        return exit::BAD_INPUT;
    }
    if let Err(e) = crate::files::write_atomic(target, text.as_bytes()) {
        eprint_lines(&[format!(
            "{}: cannot write the merged caseload: {e}; the file is unchanged",
            shown(target)
        )]);
        return exit::BAD_INPUT;
    }
    let list = |v: &[u32]| v.iter().map(u32::to_string).collect::<Vec<_>>().join(", ");
    let mut lines = vec![format!(
        "{}: {} added, {} updated, {} closed and removed",
        shown(target),
        report.added.len(),
        report.updated.len(),
        report.closed.len()
    )];
    for (what, v) in [
        ("added", &report.added),
        ("updated", &report.updated),
        ("closed", &report.closed),
    ] {
        if !v.is_empty() {
            lines.push(format!("  {what}: {}", list(v)));
        }
    }
    if !report.closed_but_referenced.is_empty() {
        lines.push(format!(
            "  not in the extract but still referenced by a case, place or member, so kept: {}; check whether they have closed",
            list(&report.closed_but_referenced)
        ));
    }
    eprint_lines(&lines);
    exit::OK
}
